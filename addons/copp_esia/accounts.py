"""The portal account of a person signing in through ЕСИА: copp_portal's
hook `sign_in_identity` finds the account ЕСИА signed in before (kept in
copp.esia.account), else the person's, else the confirmed e-mail's, else
creates one (no password: it signs in through ЕСИА), and opens the portal
session."""
from trytond.pool import Pool


def sign_in(portal, account, identity):
    """Open a portal session for the ЕСИА account `account` (its person is
    set); returns (web.user or None, outcome)"""
    from copp_portal.identity import sign_in_identity
    Account = Pool().get('copp.esia.account')
    user, outcome = sign_in_identity(portal, dict(identity,
            party=account.party, user=account.user), source='esia')
    if user is not None and account.user != user:
        Account.write([account], {'user': user.id})
    return user, outcome
