"""Sign-in with an identity verified by an outside provider (ЕСИА): the hook
of copp_esia. The provider module resolves the person (by СНИЛС, with its
own list of conflicts for a clerk) and the provider account it already
knows; this finds, links or creates the portal account and opens the
session.

    from copp_portal.identity import sign_in_identity
    user, outcome = sign_in_identity(portal, identity, source='esia')
    if user is None:
        ...  # outcome 'disabled': show a refusal
    return portal.redirect(user.home_url)
"""
import datetime as dt
import logging

from trytond.pool import Pool
from trytond.transaction import without_check_access

from .user import normalize_email, valid_email

logger = logging.getLogger(__name__)
OUTCOMES = {'existing', 'linked', 'created', 'party_mismatch', 'disabled'}


def full_name(identity):
    return ' '.join(filter(None, [identity.get('last_name'),
                identity.get('first_name'), identity.get('patronymic')]))


def find_account(identity):
    """(web.user or None, how): the account of a verified identity —
    the one the provider knows, else the person's, else the e-mail's.
    Deactivated accounts are found too (they are not replaced)."""
    User = Pool().get('web.user')
    user = identity.get('user')
    if user is not None:
        return User(int(user)), 'existing'
    party = identity.get('party')
    if party is not None:
        users = User.search([('party', '=', int(party)),
                ('active', 'in', [True, False])],
            order=[('active', 'DESC'), ('id', 'ASC')], limit=1)
        if users:
            return users[0], 'linked'
    email = normalize_email(identity.get('email'))
    if valid_email(email):
        users = User.search([('email', '=', email)], limit=1)
        if users:
            return users[0], 'linked'
    return None, 'created'


# Names of the identity sources in the security log
SOURCE_LABELS = {'esia': 'ЕСИА'}


def sign_in_identity(portal, identity, source='esia'):
    """Find, link or create the portal account of a verified identity and
    open its session: (web.user, outcome) or (None, 'disabled')"""
    # The security log is read by people: the source by its name
    label = SOURCE_LABELS.get(source, source)
    pool = Pool()
    User = pool.get('web.user')
    Consent = pool.get('copp.portal.consent')
    party = identity.get('party')
    email = normalize_email(identity.get('email'))
    email = email if valid_email(email) else None
    with without_check_access():
        user, outcome = find_account(identity)
        if user is not None and not user.active:
            portal.log('login_failed', user=user, email=user.email,
                details=f'{label}: disabled')
            return None, 'disabled'
        if user is None:
            user, = User.create([{
                        'name': full_name(identity) or email,
                        'email': email,
                        'email_valid': bool(email),
                        'party': int(party) if party is not None else None,
                        }])
            portal.log('signup', user=user, email=email, details=label)
        else:
            values = {}
            if party is not None and not user.party:
                values['party'] = int(party)
            elif (party is not None and user.party
                    and user.party.id != int(party)):
                outcome = 'party_mismatch'
                portal.log('identity_linked', user=user, email=user.email,
                    details=f'{label}: person {int(party)} differs from '
                    f'the account\'s {user.party.id}')
            if email and not user.email:
                values['email'] = email
            if email and user.email == email and not user.email_valid:
                values['email_valid'] = True
            if values:
                User.write([user], values)
            if outcome == 'linked':
                portal.log('identity_linked', user=user, email=user.email,
                    details=label)
        if not Consent.active_for(user, 'cabinet_account') and not (
                user.organization
                and Consent.active_for(user, 'partner_account')):
            Consent.give(user, 'cabinet_account', 'esia',
                ip_address=portal.remote_addr)
        User.write([user], {'last_login': dt.datetime.now()})
    portal.login(user)
    portal.log('login', user=user, email=user.email, details=label)
    return user, outcome
