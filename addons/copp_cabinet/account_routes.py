"""Everyone's page of the cabinet (/cabinet/account): the profile, the
history of the consents with their withdrawal, the e-mail notifications
(the consent «mailing»), the open sessions with «sign out elsewhere».

A consent is withdrawn only by its own account (another's id: 404);
withdrawing the consent of the account closes it (copp_portal.consent)."""
from trytond.i18n import gettext

from copp_portal.consent import ACCOUNT_PURPOSES

from .routes import cabinet_route

MAILING = 'mailing'


def _own_consent(portal, consent_id):
    Consent = portal.pool.get('copp.portal.consent')
    consents = Consent.search([('id', '=', consent_id),
            ('user', '=', portal.user.id)])
    if not consents:
        portal.not_found()
    return consents[0]


@cabinet_route('/cabinet/account')
def account(portal):
    pool = portal.pool
    Consent = pool.get('copp.portal.consent')
    Session = pool.get('web.user.session')
    user = portal.user
    consents = Consent.search([('user', '=', user.id)])
    sessions = Session.search([('user', '=', user.id)])
    return portal.render('cabinet/account.html', consents=consents,
        sessions=sessions, current=portal.session,
        mailing=bool(Consent.active_for(user, MAILING)),
        ACCOUNT_PURPOSES=ACCOUNT_PURPOSES)


@cabinet_route('/cabinet/account/consents/<int:consent_id>/withdraw',
    methods=['POST'])
def withdraw_consent(portal, consent_id):
    consent = _own_consent(portal, consent_id)
    closed = consent.withdraw(ip_address=portal.remote_addr)
    if closed:
        portal.logout()
        return portal.render('auth/message.html',
            title=gettext('copp_cabinet.msg_account_closed_title'),
            message=gettext('copp_cabinet.msg_account_closed'))
    portal.flash(gettext('copp_cabinet.msg_consent_withdrawn'))
    return portal.redirect('/cabinet/account')


@cabinet_route('/cabinet/account/mailing', methods=['POST'])
def mailing(portal):
    "Subscribe to the e-mails of the ЦОПП (a consent) or unsubscribe"
    Consent = portal.pool.get('copp.portal.consent')
    user = portal.user
    active = Consent.active_for(user, MAILING)
    if portal.request.form.get('subscribe') == '1':
        if not active:
            Consent.give(user, MAILING, 'cabinet',
                ip_address=portal.remote_addr)
        portal.flash(gettext('copp_cabinet.msg_mailing_on'))
    else:
        for consent in active:
            consent.withdraw(ip_address=portal.remote_addr)
        portal.flash(gettext('copp_cabinet.msg_mailing_off'))
    return portal.redirect('/cabinet/account')


@cabinet_route('/cabinet/account/sessions/end', methods=['POST'])
def end_sessions(portal):
    "Sign out everywhere but here"
    Session = portal.pool.get('web.user.session')
    Session.end_for([portal.user], keep=portal.session)
    portal.log('sessions_ended')
    portal.flash(gettext('copp_cabinet.msg_sessions_ended'))
    return portal.redirect('/cabinet/account')
