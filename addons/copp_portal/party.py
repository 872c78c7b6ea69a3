"""Organizations of the portal (copp/party_access.py): the organization a
portal user acts for is readable like every organization. The persons of
portal users are read by the region's users (ЦОПП, ministry), who alone
manage the accounts."""
from trytond.pool import Pool, PoolMeta


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    @classmethod
    def _organization_sources(cls):
        pool = Pool()
        User = pool.get('web.user')
        user = User.__table__()
        return super()._organization_sources() + [
            (user, user.organization, None),
            ]
