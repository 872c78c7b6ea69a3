"""Parties of the partners (copp/party_access.py): an employer's party is an
organization, readable by every user; the person of a student placed on
practice is held by the college of the practice place."""
from trytond.pool import Pool, PoolMeta


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    @classmethod
    def _organization_sources(cls):
        pool = Pool()
        Employer = pool.get('copp.employer')
        employer = Employer.__table__()
        return super()._organization_sources() + [
            (employer, employer.party, None),
            ]

    @classmethod
    def _person_holders(cls):
        pool = Pool()
        PlaceStudent = pool.get('copp.employer.practice_place.student')
        Place = pool.get('copp.employer.practice_place')
        place_student = PlaceStudent.__table__()
        place = Place.__table__()
        return super()._person_holders() + [
            (place_student.join(place,
                    condition=place.id == place_student.place),
                place_student.student, place.company, None),
            ]
