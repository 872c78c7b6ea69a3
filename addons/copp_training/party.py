"""Persons held by the training records (copp/party_access.py): an
applicant and a learner by the organization that runs the programme; a
learner's name is read by the teachers of their cohort."""
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

    @classmethod
    def _person_staff(cls):
        pool = Pool()
        Learner = pool.get('copp.training.learner')
        CohortTeacher = pool.get('copp.training.cohort-company.employee')
        learner = Learner.__table__()
        teacher = CohortTeacher.__table__()
        return super()._person_staff() + [
            (learner.join(teacher,
                    condition=teacher.cohort == learner.cohort),
                learner.party, teacher.employee, None),
            ]
