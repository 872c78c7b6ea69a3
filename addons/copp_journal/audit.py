"""Registration of reads of personal data (152-ФЗ, ФСТЭК order 21, РСБ).

A read of students' marks and attendance on behalf of a user (the journal
page, the diary) writes one row per student in the suite's register
`copp.personal_data.log` (module copp: who, whose record, what, when). Every
attempt, granted or refused, is also one line of the logger «copp.audit»
with the address of the request, for the deployment's security log.
"""
import logging
from types import SimpleNamespace

from trytond.pool import Pool
from trytond.transaction import Transaction

from .tools import reduce_ids, sliced

logger = logging.getLogger('copp.audit')
JOURNAL_FIELDS = ['absences', 'marks']
DIARY_FIELDS = ['absences', 'debts', 'homework', 'marks']


def log_personal_data(request, what, obj, result, students=(),
        fields=JOURNAL_FIELDS):
    """Log an access of the transaction's user to the marks and attendance
    of the students (ids); `obj` names what was asked"""
    pool = Pool()
    transaction = Transaction()
    address = request.remote_addr if request is not None else None
    logger.info("personal-data read: user=%s database=%s what=%s object=%s "
        "result=%s address=%s", transaction.user,
        transaction.database.name if transaction.database else None,
        what, obj, result, address or '-')
    students = list(students)
    if result == 'ok' and students and transaction.user:
        Log = pool.get('copp.personal_data.log')
        Log.register('copp.student', _with_company(students), fields)


def _with_company(student_ids):
    """Light records (id, company) of the students, read in one query:
    browsing copp.student would read (and log) its personal fields"""
    pool = Pool()
    Student = pool.get('copp.student')
    student = Student.__table__()
    cursor = Transaction().connection.cursor()
    records = []
    for sub_ids in sliced(student_ids):
        cursor.execute(*student.select(student.id, student.company,
                where=reduce_ids(student.id, sub_ids)))
        records.extend(SimpleNamespace(id=i, company=SimpleNamespace(id=c))
            for i, c in cursor)
    return records
