"""Accounts of the portals: login, logout, invitation, password reset,
e-mail confirmation and the user's own account page."""
import datetime as dt
import urllib.parse

from trytond.i18n import gettext
from trytond.pool import Pool

from . import forms
from .exceptions import PortalPasswordError
from .portal import (
    A11Y_COOKIE, LOGIN_URL, is_secure, portal_route, register_menu,
    safe_next)

HOME_URL = '/partner/'

register_menu('account', '/partner/account', 'copp_portal.msg_nav_account',
    sequence=90)


class LoginForm(forms.Form):
    email = forms.EmailField(required=True)
    password = forms.PasswordField(required=True)


class ForgotForm(forms.Form):
    email = forms.EmailField(required=True)


class SetPasswordForm(forms.Form):
    password = forms.PasswordField(required=True)
    password2 = forms.PasswordField(required=True)

    def clean(self):
        password = self.values.get('password')
        if password and self.values.get('password2') and (
                password != self.values['password2']):
            self.add_error('password2',
                gettext('copp_portal.msg_password_mismatch'))


class InvitationForm(SetPasswordForm):
    consent = forms.BooleanField(required=True)


class ProfileForm(forms.Form):
    name = forms.CharField(required=True, max_length=150)
    position = forms.CharField(max_length=150)
    phone = forms.CharField(max_length=40, pattern=r'^[0-9+()\-\s]{5,40}$',
        pattern_message='copp_portal.msg_form_phone')


class ChangePasswordForm(SetPasswordForm):
    current = forms.PasswordField(required=True)


class ChangeEmailForm(forms.Form):
    email = forms.EmailField(required=True)
    current = forms.PasswordField(required=True)


def _login_error(reason):
    Configuration = Pool().get('copp.portal.configuration')
    if reason == 'locked':
        return gettext('copp_portal.msg_login_locked',
            minutes=Configuration.settings().lockout_minutes)
    return gettext('copp_portal.msg_login_invalid')


def _token_error(reason):
    return gettext({
            'expired': 'copp_portal.msg_token_expired',
            'used': 'copp_portal.msg_token_used',
            }.get(reason, 'copp_portal.msg_token_invalid'))


@portal_route('/partner/login', methods=['GET', 'POST'])
def login(portal, template='auth/login.html', home=HOME_URL, **context):
    """The login form (another area's login page passes its template, its
    home and what else its template shows)"""
    request = portal.request
    next_url = safe_next(request.values.get('next'), home)
    if portal.user and request.method == 'GET':
        return portal.redirect(next_url)
    form = LoginForm(portal)
    if form.submitted and form.validate():
        User = portal.pool.get('web.user')
        user, reason = User.portal_authenticate(form.values['email'],
            form.values['password'], portal.remote_addr, portal=portal)
        if user:
            portal.login(user)
            return portal.redirect(safe_next(request.values.get('next'),
                    user.home_url))
        form.add_error(None, _login_error(reason))
    status = 422 if form.submitted else 200
    return portal.render(template, status=status, form=form,
        next=next_url, **context)


@portal_route('/partner/logout', methods=['POST'])
def logout(portal):
    if portal.user:
        portal.log('logout')
    portal.logout()
    portal.flash(gettext('copp_portal.msg_logged_out'))
    return portal.redirect(LOGIN_URL)


@portal_route('/partner/password/forgot', methods=['GET', 'POST'])
def password_forgot(portal):
    pool = portal.pool
    User = pool.get('web.user')
    Event = pool.get('copp.security.event')
    request = portal.request
    form = ForgotForm(portal)
    if form.submitted and form.validate():
        users = User.search([('email', '=', form.values['email'])], limit=1)
        if users:
            user, = users
            since = dt.datetime.now() - dt.timedelta(hours=1)
            recent = Event.search_count([
                    ('portal_user', '=', user.id),
                    ('kind', '=', 'password_reset_requested'),
                    ('date', '>=', since),
                    ])
            if recent < 3:
                user.send_password_reset()
            portal.log('password_reset_requested', user=user,
                email=form.values['email'],
                details=None if recent < 3 else 'throttled')
        # The same answer whether the address is known or not.
        return portal.render('auth/message.html',
            title=gettext('copp_portal.msg_forgot_title'),
            message=gettext('copp_portal.msg_forgot_sent',
                email=form.values['email']))
    return portal.render('auth/forgot.html',
        status=422 if form.submitted else 200, form=form)


def _token_page(portal, kind, key, form_class, template, on_success):
    pool = portal.pool
    Token = pool.get('copp.portal.token')
    request = portal.request
    token, reason = Token.check(key, kind)
    if token is None:
        return portal.render('auth/message.html',
            status=404 if reason == 'invalid' else 410,
            title=gettext('copp_portal.msg_token_title'),
            message=_token_error(reason), error=True)
    user = token.user
    form = form_class(portal)
    if form.submitted and form.validate():
        try:
            user.check_password_policy(form.values['password'], user)
        except PortalPasswordError as exc:
            form.add_error('password', exc.message)
        else:
            token, reason = Token.consume(key, kind)
            if token is None:
                return portal.render('auth/message.html', status=410,
                    title=gettext('copp_portal.msg_token_title'),
                    message=_token_error(reason), error=True)
            return on_success(user, form)
    return portal.render(template, status=422 if form.submitted else 200,
        form=form, invited_user=user)


@portal_route('/partner/password/reset/<key>', methods=['GET', 'POST'])
def password_reset(portal, key):
    Session = portal.pool.get('web.user.session')

    def success(user, form):
        user.change_password(form.values['password'])
        user.email_valid = True
        user.save()
        Session.end_for([user])
        portal.log('password_reset', user=user)
        portal.logout()
        portal.flash(gettext('copp_portal.msg_password_reset_done'))
        return portal.redirect(LOGIN_URL)
    return _token_page(portal, 'reset', key, SetPasswordForm,
        'auth/reset.html', success)


@portal_route('/partner/invitation/<key>', methods=['GET', 'POST'])
def invitation(portal, key):
    def success(user, form):
        user.change_password(form.values['password'])
        user.email_valid = True
        user.save()
        portal.pool.get('copp.portal.consent').give(user, 'partner_account',
            'invitation', ip_address=portal.remote_addr)
        portal.log('invitation_accepted', user=user)
        portal.login(user)
        portal.log('login', user=user)
        portal.flash(gettext('copp_portal.msg_invitation_done'))
        return portal.redirect(HOME_URL)
    return _token_page(portal, 'invitation', key, InvitationForm,
        'auth/invitation.html', success)


@portal_route('/partner/email/confirm/<key>', methods=['GET', 'POST'])
def email_confirm(portal, key):
    pool = portal.pool
    Token = pool.get('copp.portal.token')
    User = pool.get('web.user')
    request = portal.request
    token, reason = Token.check(key, 'email')
    if token is None:
        return portal.render('auth/message.html',
            status=404 if reason == 'invalid' else 410,
            title=gettext('copp_portal.msg_token_title'),
            message=_token_error(reason), error=True)
    if request.method == 'POST':
        new_email = token.data
        if User.search([('email', '=', new_email),
                    ('id', '!=', token.user.id)]):
            return portal.render('auth/message.html', status=409,
                title=gettext('copp_portal.msg_token_title'),
                message=gettext('copp_portal.msg_email_taken'), error=True)
        token, reason = Token.consume(key, 'email')
        if token is None:
            return portal.render('auth/message.html', status=410,
                title=gettext('copp_portal.msg_token_title'),
                message=_token_error(reason), error=True)
        user = token.user
        old = user.email
        user.email = new_email
        user.email_valid = True
        user.save()
        portal.log('email_changed', user=user, details=f"{old} → {new_email}")
        portal.flash(gettext('copp_portal.msg_email_changed',
                email=new_email))
        return portal.redirect('/partner/account' if portal.user else (
                LOGIN_URL))
    return portal.render('auth/email_confirm.html', new_email=token.data)


def _account_page(portal, status=200, **forms_):
    user = portal.user
    profile = forms_.get('profile') or ProfileForm(portal, None, initial={
            'name': user.name, 'position': user.position,
            'phone': user.phone})
    password = forms_.get('password') or ChangePasswordForm(portal, None)
    email = forms_.get('email') or ChangeEmailForm(portal, None)
    return portal.render('account.html', status=status,
        profile_form=profile, password_form=password, email_form=email)


@portal_route('/partner/account', methods=['GET', 'POST'], login=True)
def account(portal):
    request = portal.request
    if request.method == 'GET':
        return _account_page(portal)
    form = ProfileForm(portal)
    if not form.validate():
        return _account_page(portal, 422, profile=form)
    user = portal.user
    user.name = form.values['name']
    user.position = form.values['position']
    user.phone = form.values['phone']
    user.save()
    portal.log('profile_changed')
    portal.flash(gettext('copp_portal.msg_profile_saved'))
    return portal.redirect('/partner/account')


def _log(portal):
    return lambda kind, user=None, details=None: portal.log(
        kind, user=user, details=details)


@portal_route('/partner/account/password', methods=['POST'], login=True)
def account_password(portal):
    Session = portal.pool.get('web.user.session')
    form = ChangePasswordForm(portal)
    user = portal.user
    if form.validate():
        ok, reason = user.verify_password(form.values['current'],
            _log(portal), portal.remote_addr)
        if not ok:
            if reason == 'locked':
                # Too many wrong passwords: the session ends as well.
                Session.end_for([user])
                portal.logout()
                portal.flash(_login_error('locked'), 'error')
                return portal.redirect(LOGIN_URL)
            form.add_error('current',
                gettext('copp_portal.msg_current_password_wrong'))
        else:
            try:
                user.change_password(form.values['password'])
            except PortalPasswordError as exc:
                form.add_error('password', exc.message)
            else:
                Session.end_for([user], keep=portal.session)
                portal.log('password_changed')
                portal.flash(gettext('copp_portal.msg_password_changed'))
                return portal.redirect('/partner/account')
    return _account_page(portal, 422, password=form)


@portal_route('/partner/account/email', methods=['POST'], login=True)
def account_email(portal):
    User = portal.pool.get('web.user')
    Session = portal.pool.get('web.user.session')
    form = ChangeEmailForm(portal)
    user = portal.user
    if form.validate():
        new_email = form.values['email']
        ok, reason = user.verify_password(form.values['current'],
            _log(portal), portal.remote_addr)
        if not ok:
            if reason == 'locked':
                Session.end_for([user])
                portal.logout()
                portal.flash(_login_error('locked'), 'error')
                return portal.redirect(LOGIN_URL)
            form.add_error('current',
                gettext('copp_portal.msg_current_password_wrong'))
        elif new_email == user.email:
            form.add_error('email', gettext('copp_portal.msg_email_same'))
        elif User.search([('email', '=', new_email)]):
            form.add_error('email', gettext('copp_portal.msg_email_taken'))
        else:
            user.send_email_confirmation(new_email)
            portal.log('email_change_requested', details=new_email)
            portal.flash(gettext('copp_portal.msg_email_confirmation_sent',
                    email=new_email))
            return portal.redirect('/partner/account')
    return _account_page(portal, 422, email=form)


@portal_route('/portal/accessibility', methods=['GET'])
def accessibility(portal):
    "Switch the version for the visually impaired (a cookie) and go back"
    request = portal.request
    mode = request.args.get('mode')
    target = safe_next(request.args.get('next'), portal.home_url)
    response = portal.redirect(target)
    if mode == 'on':
        response.set_cookie(A11Y_COOKIE, '1', max_age=365 * 24 * 3600,
            path='/', secure=is_secure(request), httponly=True,
            samesite='Lax')
    else:
        response.delete_cookie(A11Y_COOKIE, path='/')
    return response


def login_url(next_url=None):
    if not next_url:
        return LOGIN_URL
    return LOGIN_URL + '?' + urllib.parse.urlencode({'next': next_url})


@portal_route('/portal/privacy', methods=['GET'])
def privacy(portal):
    return portal.render('privacy.html')
