"""Persons held by the journal (copp/party_access.py): the person of a
legal representative (their diary account) by the college of the student."""
from trytond.pool import Pool, PoolMeta


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    @classmethod
    def _person_holders(cls):
        pool = Pool()
        Representative = pool.get('copp.student.representative')
        Student = pool.get('copp.student')
        representative = Representative.__table__()
        student = Student.__table__()
        return super()._person_holders() + [
            (representative.join(student,
                    condition=student.id == representative.student),
                representative.party, student.company, None),
            ]
