"""Persons held by the events (copp/party_access.py): a registrant's person
by the organizer of the event."""
from trytond.pool import Pool, PoolMeta


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    @classmethod
    def _person_holders(cls):
        pool = Pool()
        Registration = pool.get('copp.event.registration')
        Event = pool.get('copp.event')
        registration = Registration.__table__()
        event = Event.__table__()
        return super()._person_holders() + [
            (registration.join(event,
                    condition=event.id == registration.event),
                registration.party, event.company, None),
            ]
