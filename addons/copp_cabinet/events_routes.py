"""A citizen's events in the cabinet (/cabinet/events): the registrations
of the account's person (made with the account, or linked by ЕСИА's
sign-in through the confirmed e-mail and name), with their tickets and,
once attended, the certificate and its verification page.

Only the account's own person is read: a registration of another person
never appears, and its ticket stays reachable only by its signed link."""
from copp_portal.portal import register_menu

from .routes import cabinet_route

register_menu('cabinet', '/cabinet/events', 'copp_cabinet.msg_nav_events',
    sequence=20)


def ticket_path(registration):
    from copp_event.tokens import ticket_token
    return f'/events/ticket/{ticket_token(registration)}'


@cabinet_route('/cabinet/events', model='copp.event.registration')
def events(portal):
    Registration = portal.pool.get('copp.event.registration')
    user = portal.user
    registrations = Registration.search([
            ('party', '=', user.party.id if user.party else -1),
            ], order=[('event.begin', 'DESC NULLS LAST'), ('id', 'DESC')])
    Log = portal.pool.get('copp.personal_data.log')
    Log.register_portal(user, 'copp.event.registration', registrations,
        ['event', 'state', 'ticket'])
    states = dict(Registration.fields_get(['state'])['state']['selection'])
    return portal.render('cabinet/events.html', registrations=registrations,
        ticket_path=ticket_path, states=states)
