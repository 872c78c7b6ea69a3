"""Running totals of the journal per student, discipline and term (and
per month of it).

The rates of a term or a year for a college or the region would otherwise
aggregate millions of marks on every report (about 8 s for 4 million marks
on the 2-core reference machine). One row per (student, discipline, term,
group) keeps the sums the rates need — the points and the count of the
numeric marks, the «зачёт» / «незачёт» counts, the missed (and excused)
hours and the late arrivals — so a term report reads ~10 times fewer rows.

The rows of the keys touched by a change of a mark or an absence are
recomputed from those tables in the same transaction (`refresh`: one
DELETE and one INSERT … SELECT on the student's rows, well under a
millisecond); `rebuild` recomputes the whole table (bulk loads, repairs).
`copp.journal.total.month` keeps the same sums per month (a monthly
attestation of a college or the region reads it instead of a month of
marks: 1.6 million rows at the region scale); it is refreshed from the
marks and absences first, the term totals then from it. Arbitrary dates
read the marks themselves.
"""
from sql import Literal, Union
from sql.aggregate import Sum
from sql.conditionals import Case
from sql.functions import CurrentTimestamp, DateTrunc, Function

from trytond import backend
from trytond.model import Index, ModelSQL, Unique, fields
from trytond.pool import Pool
from trytond.transaction import Transaction

from .tools import reduce_ids, sliced

KEY = ['student', 'line', 'term', 'group']
SUMS = ['points', 'numeric', 'passes', 'fails', 'missed', 'excused', 'late']
COLUMNS = ['company', 'group', 'student', 'line', 'term']


class _SQLiteDate(Function):
    __slots__ = ()
    _function = 'DATE'


class _ToDate(Function):
    __slots__ = ()
    _function = 'CAST'

    def __str__(self):
        return 'CAST(%s AS DATE)' % self._format(self.args[0])


def month_of(column):
    "The first day of the month of a date column, as a date"
    if backend.name == 'sqlite':
        return _SQLiteDate(column, 'start of month')
    return _ToDate(DateTrunc('month', column))


class TotalMixin:
    "The sums of the marks and absences of a student in a discipline"
    __slots__ = ()

    company = fields.Many2One('company.company', "College", required=True,
        ondelete='CASCADE')
    group = fields.Many2One('copp.study.group', "Group", required=True,
        ondelete='CASCADE')
    student = fields.Many2One('copp.student', "Student", required=True,
        ondelete='CASCADE')
    line = fields.Many2One('copp.journal.curriculum.line', "Discipline",
        required=True, ondelete='CASCADE')
    term = fields.Many2One('copp.academic.term', "Term", required=True,
        ondelete='CASCADE')
    points = fields.Integer("Points")
    numeric = fields.Integer("Numeric Marks")
    passes = fields.Integer("Passes")
    fails = fields.Integer("Fails")
    missed = fields.Integer("Missed Hours")
    excused = fields.Integer("Excused Hours")
    late = fields.Integer("Late")

    @classmethod
    def keys_of(cls, Model, records):
        "The keys (student, line, term, group) of rows of marks or absences"
        table = Model.__table__()
        cursor = Transaction().connection.cursor()
        keys = set()
        for sub_ids in sliced([int(r) for r in records]):
            cursor.execute(*table.select(
                    *[getattr(table, k) for k in KEY],
                    where=reduce_ids(table.id, sub_ids),
                    group_by=[getattr(table, k) for k in KEY]))
            keys.update(tuple(row) for row in cursor)
        return keys

    @classmethod
    def _insert(cls, where):
        """The INSERT … SELECT of the rows whose sources pass
        where(source table)"""
        raise NotImplementedError

    @classmethod
    def _insert_sums(cls, source, columns, where=None):
        "INSERT of the SUMS of source (a table or a union) by columns"
        table = cls.__table__()
        query = source.select(*[getattr(source, c) for c in columns],
            *[Sum(getattr(source, s)) for s in SUMS],
            Literal(0), CurrentTimestamp(),
            where=where,
            group_by=[getattr(source, c) for c in columns])
        return table.insert([getattr(table, c) for c in columns + SUMS] + [
                table.create_uid, table.create_date], query)

    @classmethod
    def refresh(cls, keys):
        "Recompute the rows of the keys (student, line, term, group)"
        keys = sorted(k for k in keys if all(v is not None for v in k))
        if not keys:
            return
        cursor = Transaction().connection.cursor()
        table = cls.__table__()
        for start in range(0, len(keys), 200):
            part = keys[start:start + 200]

            def where(t, part=part):
                # No FALSE seed: "FALSE OR …" hides the student index from
                # SQLite's planner.
                condition = None
                for student, line, term, group in part:
                    key = ((t.student == student) & (t.line == line)
                        & (t.term == term) & (t.group == group))
                    condition = key if condition is None else (
                        condition | key)
                return condition
            cursor.execute(*table.delete(where=where(table)))
            cursor.execute(*cls._insert(where))

    @classmethod
    def rebuild(cls, terms=None):
        "Recompute the whole table (or the rows of the terms)"
        cursor = Transaction().connection.cursor()
        table = cls.__table__()
        if terms is None:
            cursor.execute(*table.delete())

            def where(t):
                return Literal(True)
        else:
            terms = [int(t) for t in terms]
            cursor.execute(*table.delete(where=table.term.in_(terms)))

            def where(t):
                return t.term.in_(terms)
        cursor.execute(*cls._insert(where))



class Total(TotalMixin, ModelSQL):
    "Journal Total"
    __name__ = 'copp.journal.total'
    __string__ = "Journal Total"

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('key_unique', Unique(t, t.student, t.line, t.term, t.group),
                'copp_journal.msg_entry_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.term, Index.Range()), (t.company, Index.Range())),
                Index(t, (t.group, Index.Range()), (t.term, Index.Range())),
                })

    @classmethod
    def _insert(cls, where):
        "The sums of the monthly totals: a few rows per key, not its marks"
        pool = Pool()
        TotalMonth = pool.get('copp.journal.total.month')
        monthly = TotalMonth.__table__()
        return cls._insert_sums(monthly, COLUMNS, where(monthly))

    @classmethod
    def refresh(cls, keys):
        pool = Pool()
        TotalMonth = pool.get('copp.journal.total.month')
        TotalMonth.refresh(keys)
        super().refresh(keys)

    @classmethod
    def rebuild(cls, terms=None):
        pool = Pool()
        TotalMonth = pool.get('copp.journal.total.month')
        TotalMonth.rebuild(terms=terms)
        super().rebuild(terms=terms)


class TotalMonth(TotalMixin, ModelSQL):
    "Journal Total of a Month"
    __name__ = 'copp.journal.total.month'
    __string__ = "Journal Total of a Month"

    month = fields.Date("Month", required=True,
        help="The first day of the month.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('key_unique', Unique(t, t.student, t.line, t.term, t.group,
                    t.month), 'copp_journal.msg_entry_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.month, Index.Range()),
                    (t.company, Index.Range())),
                Index(t, (t.group, Index.Range()), (t.month, Index.Range())),
                })

    @classmethod
    def _insert(cls, where):
        "marks ∪ absences as rows of increments, summed by key and month"
        pool = Pool()
        Mark = pool.get('copp.journal.mark')
        Absence = pool.get('copp.journal.absence')
        mark, absence = Mark.__table__(), Absence.__table__()
        zero = Literal(0)

        def keys(table):
            return [getattr(table, c).as_(c) for c in COLUMNS] + [
                month_of(table.date).as_('month')]
        points = Case((mark.value == '5', 5), (mark.value == '4', 4),
            (mark.value == '3', 3), (mark.value == '2', 2), else_=0)
        numeric = Case((mark.value.in_(['5', '4', '3', '2']), 1), else_=0)
        marks = mark.select(*keys(mark),
            points.as_('points'), numeric.as_('numeric'),
            Case((mark.value == 'pass', 1), else_=0).as_('passes'),
            Case((mark.value == 'fail', 1), else_=0).as_('fails'),
            zero.as_('missed'), zero.as_('excused'), zero.as_('late'),
            where=where(mark))
        absences = absence.select(*keys(absence),
            zero.as_('points'), zero.as_('numeric'), zero.as_('passes'),
            zero.as_('fails'), absence.hours.as_('missed'),
            Case((absence.excused == Literal(True), absence.hours),
                else_=0).as_('excused'),
            Case((absence.kind == 'late', 1), else_=0).as_('late'),
            where=where(absence))
        return cls._insert_sums(Union(marks, absences, all_=True),
            COLUMNS + ['month'])
