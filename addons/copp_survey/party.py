"""Organizations of the surveys (copp/party_access.py): the organization
invited to or answering a survey is readable like every organization."""
from trytond.pool import Pool, PoolMeta


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    @classmethod
    def _organization_sources(cls):
        pool = Pool()
        Invitation = pool.get('copp.survey.invitation')
        Response = pool.get('copp.survey.response')
        invitation = Invitation.__table__()
        response = Response.__table__()
        return super()._organization_sources() + [
            (invitation, invitation.organization, None),
            (response, response.organization, None),
            ]
