"""Persons held by the training records (copp/party_access.py): an
applicant and a learner by the organization that runs the programme."""
from trytond.pool import Pool, PoolMeta


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    @classmethod
    def _person_holders(cls):
        pool = Pool()
        Application = pool.get('copp.training.application')
        Learner = pool.get('copp.training.learner')
        application = Application.__table__()
        learner = Learner.__table__()
        return super()._person_holders() + [
            (application, application.party, application.company, None),
            (learner, learner.party, learner.company, None),
            ]
