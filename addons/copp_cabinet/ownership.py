"""Who reads which student in the cabinet, decided in SQL.

A portal account (web.user) reads:
- the student records of its own person (web.user.party = copp.student.party);
- the student records of a person it represents: the child's person is a
  secondary party of the account (web_user's mechanism, set when the
  college invites the parent) AND the college lists the account's person
  as a legal representative of that student record
  (copp.student.representative.party). Removing either ends the access.

Every cabinet route takes its student id through `student_for()`: another
student's id — or a child who is not the reader's — answers 404."""
from sql import Literal, Null, Union

from trytond.pool import Pool
from trytond.transaction import Transaction

OWN, CHILD = 'own', 'child'


def students_query(user_id):
    "python-sql query of (student id, relation) readable by the account"
    pool = Pool()
    User = pool.get('web.user')
    Secondary = pool.get('web.user-party.party.secondary')
    Student = pool.get('copp.student')
    Representative = pool.get('copp.student.representative')
    user, student = User.__table__(), Student.__table__()
    user2, student2 = User.__table__(), Student.__table__()
    secondary, representative = Secondary.__table__(), Representative.__table__()
    own = student.join(user, condition=student.party == user.party).select(
        student.id, Literal(OWN).as_('relation'),
        where=(user.id == user_id) & (user.active == Literal(True))
        & (user.party != Null))
    child = student2.join(secondary,
        condition=secondary.party == student2.party
        ).join(user2, condition=user2.id == secondary.user
        ).join(representative,
            condition=(representative.student == student2.id)
            & (representative.party == user2.party)
        ).select(student2.id, Literal(CHILD).as_('relation'),
            where=(user2.id == user_id) & (user2.active == Literal(True))
            & (user2.party != Null))
    return Union(own, child)


def account_students(user):
    "{student id: 'own' | 'child'} the account reads"
    if user is None:
        return {}
    cursor = Transaction().connection.cursor()
    cursor.execute(*students_query(int(user)))
    result = {}
    for student_id, relation in cursor:
        if result.get(student_id) != OWN:
            result[student_id] = relation
    return result


def student_for(portal, student_id):
    "The student `student_id` if the portal's account reads it, else 404"
    if student_id not in account_students(portal.user):
        portal.not_found()
    return Pool().get('copp.student')(student_id)
