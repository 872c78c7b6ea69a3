"""The links a portal account receives by e-mail: invitation, password
reset, confirmation of an e-mail address (a new one, or the address of a
new account). Each is a single-use copp.portal.token (only the hash of its
key is stored) sent through the outbox (copp.mail). web_user's own
buttons (validate_email, reset_password) go the same way, so that there is
one mechanism and no token stored in clear."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import ModelView
from trytond.pool import Pool
from trytond.transaction import without_check_access

from . import mail
from .exceptions import PortalInvitationError
from .token import token_validity


class UserMailMixin:
    "The e-mails of web.user (mixed into the copp_portal extension)"
    __slots__ = ()

    @property
    def invitation_path(self):
        "The page of the invitation link (partner or cabinet)"
        if self.organization:
            return '/partner/invitation/'
        return '/cabinet/invitation/'

    @property
    def reset_path(self):
        if self.organization:
            return '/partner/password/reset/'
        return '/cabinet/password/reset/'

    def _hours(self, kind):
        return int(token_validity(kind).total_seconds() // 3600)

    def send_invitation(self, template='invitation', subject=None,
            **context):
        pool = Pool()
        Token = pool.get('copp.portal.token')
        Event = pool.get('copp.security.event')
        key = Token.issue(self, 'invitation', token_validity('invitation'))
        link = mail.portal_url(self.invitation_path + key)
        mail.send(self.email, subject or gettext(
                'copp_portal.msg_email_invitation_subject'),
            template, name=self.name, user=self, link=link, origin=self,
            hours=self._hours('invitation'), **context)
        with without_check_access():
            self.__class__.write([self], {'invited': dt.datetime.now()})
        Event.log_portal('invitation_sent', user=self, email=self.email)
        return key

    def send_password_reset(self):
        pool = Pool()
        Token = pool.get('copp.portal.token')
        key = Token.issue(self, 'reset', token_validity('reset'))
        link = mail.portal_url(self.reset_path + key)
        validity = token_validity('reset')
        mail.send(self.email, gettext('copp_portal.msg_email_reset_subject'),
            'password_reset', name=self.name, user=self, link=link,
            origin=self,
            minutes=int(validity.total_seconds() // 60))
        return key

    def send_email_confirmation(self, new_email):
        pool = Pool()
        Token = pool.get('copp.portal.token')
        key = Token.issue(self, 'email', token_validity('email'),
            data=new_email)
        link = mail.portal_url(f'/partner/email/confirm/{key}')
        mail.send(new_email, gettext(
                'copp_portal.msg_email_confirm_subject'),
            'email_confirm', name=self.name, user=self, link=link,
            origin=self,
            new_email=new_email, hours=self._hours('email'))
        return key

    # Buttons of the back office ----------------------------------------
    @classmethod
    @ModelView.button
    def invite(cls, users):
        for user in users:
            if user.has_password:
                raise PortalInvitationError(gettext(
                        'copp_portal.msg_user_already_active',
                        user=user.rec_name))
            user.send_invitation()

    @classmethod
    @ModelView.button
    def send_reset(cls, users):
        pool = Pool()
        Event = pool.get('copp.security.event')
        for user in users:
            user.send_password_reset()
            Event.log_portal('password_reset_requested', user=user,
                email=user.email)

    @classmethod
    def reset_password(cls, users, from_=None):
        "web_user's button: the portal's single-use link instead"
        cls.send_reset(users)

    @classmethod
    def validate_email(cls, users, from_=None):
        "web_user's button: a confirmation link of the current address"
        for user in users:
            if user.email:
                user.send_email_confirmation(user.email)

