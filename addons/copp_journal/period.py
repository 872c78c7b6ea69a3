"""Closing the journal: a month of a college (copp.journal.period) and the
current marks of a discipline once its grade sheet is closed.

`Period.check_lessons` is called by every change of a lesson, a mark or an
absence (back office, RPC and the journal page alike)."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from .exceptions import JournalClosedError
from .tools import reduce_ids, sliced


def month_name(date):
    "«ноябрь 2026» in the user's language"
    return gettext('copp_journal.msg_month_%s' % date.month,
        year=date.year)


def first_day(date):
    return date.replace(day=1)


def _date(value):
    if isinstance(value, str):  # SQLite
        return dt.date.fromisoformat(value[:10])
    return value


class Period(Workflow, ModelSQL, ModelView):
    "Journal Period"
    __name__ = 'copp.journal.period'
    __string__ = "Journal Period"

    company = fields.Many2One('company.company', "College", required=True,
        ondelete='RESTRICT', states={'readonly': Eval('id', -1) > 0})
    month = fields.Date("Month", required=True,
        states={'readonly': Eval('id', -1) > 0},
        help="Any day of the month; the first day is kept.")
    state = fields.Selection([
            ('open', "Open"),
            ('closed', "Closed"),
            ], "State", required=True, readonly=True, sort=False)
    closed_by = fields.Many2One('res.user', "Closed By", readonly=True)
    closed_at = fields.DateTime("Closed At", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('month', 'DESC'), ('company', 'ASC'), ('id', 'ASC')]
        cls._sql_constraints += [
            ('month_unique', Unique(t, t.company, t.month),
                'copp_journal.msg_period_unique'),
            ]
        cls._sql_indexes.add(Index(t,
                (t.company, Index.Range()), (t.month, Index.Range())))
        cls._transitions |= {('open', 'closed'), ('closed', 'open')}
        cls._buttons.update({
                'close': {
                    'invisible': Eval('state') != 'open',
                    'icon': 'copp-lock',
                    'depends': ['state'],
                    },
                'reopen': {
                    'invisible': Eval('state') != 'closed',
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_state(cls):
        return 'open'

    @classmethod
    def default_month(cls):
        return first_day(Pool().get('ir.date').today())

    def get_rec_name(self, name):
        return month_name(self.month)

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('month'):
            values['month'] = first_day(values['month'])
        return values

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, periods):
        cls.write(periods, {
                'closed_by': Transaction().user or None,
                'closed_at': dt.datetime.now(),
                })

    @classmethod
    @ModelView.button
    def reopen(cls, periods):
        # Only the college administrator and the ministry see the button
        # (ir.model.button-res.group); the ministry does not write college
        # records otherwise.
        with without_check_access():
            cls.write([cls(p.id) for p in periods if p.state == 'closed'], {
                    'state': 'open',
                    'closed_by': None,
                    'closed_at': None,
                    })

    @classmethod
    def close_months(cls, company, months):
        "Close the months (dates) of a college, creating the periods"
        months = sorted({first_day(m) for m in months})
        existing = {p.month: p for p in cls.search([
                    ('company', '=', company.id),
                    ('month', 'in', months),
                    ])}
        new = cls.create([{'company': company.id, 'month': m}
                for m in months if m not in existing])
        periods = [p for p in list(existing.values()) + new
            if p.state == 'open']
        cls.close(periods)
        return periods

    @classmethod
    def check_lessons(cls, lessons):
        """Raise JournalClosedError when a lesson's month is closed for its
        college or the regular grade sheet of its discipline and term is
        closed"""
        pool = Pool()
        Lesson = pool.get('copp.journal.lesson')
        ids = {int(l) for l in lessons if l is not None and int(l) >= 0}
        if ids:
            cls._check_rows(Lesson, ids, 'id')

    @classmethod
    def check_entries(cls, Model, records):
        """The same for marks or absences: they carry the college, date,
        group, discipline and term of their lesson, so no lesson is read"""
        ids = {int(r) for r in records if int(r) >= 0}
        if ids:
            cls._check_rows(Model, ids, 'lesson')

    @classmethod
    def _check_rows(cls, Model, ids, lesson_column):
        pool = Pool()
        Sheet = pool.get('copp.journal.sheet')
        Lesson = pool.get('copp.journal.lesson')
        cursor = Transaction().connection.cursor()
        period = cls.__table__()
        sheet = Sheet.__table__()
        table = Model.__table__()
        rows = set()
        for sub_ids in sliced(sorted(ids)):
            cursor.execute(*table.select(getattr(table, lesson_column),
                    table.company, table.date, table.group, table.line,
                    table.term,
                    where=reduce_ids(table.id, sub_ids),
                    group_by=[getattr(table, lesson_column), table.company,
                        table.date, table.group, table.line, table.term]))
            rows.update(cursor)
        with without_check_access():
            months = {(company, first_day(_date(date))): Lesson(id_)
                for id_, company, date, *_ in rows}
            for sub_keys in sliced(months, 200):
                condition = None
                for company, month in sub_keys:
                    key = (period.company == company) & (
                        period.month == month)
                    condition = key if condition is None else (
                        condition | key)
                cursor.execute(*period.select(period.company, period.month,
                        where=condition & (period.state == 'closed'),
                        limit=1))
                row = cursor.fetchone()
                if row:
                    company, month = row
                    month = _date(month)
                    lesson = months[(company, month)]
                    raise JournalClosedError(gettext(
                            'copp_journal.msg_period_closed',
                            college=lesson.company.rec_name,
                            month=month_name(month),
                            lesson=lesson.rec_name))
            keys = {(group, line, term): Lesson(id_)
                for id_, _, _, group, line, term in rows}
            for sub_keys in sliced(keys, 200):
                condition = None
                for group, line, term in sub_keys:
                    key = (sheet.group == group) & (
                        sheet.line == line) & (sheet.term == term)
                    condition = key if condition is None else (
                        condition | key)
                cursor.execute(*sheet.select(sheet.id, sheet.group,
                        sheet.line, sheet.term,
                        where=condition & (sheet.state == 'closed')
                        & (sheet.kind == 'regular'),
                        limit=1))
                row = cursor.fetchone()
                if row:
                    sheet_id, *key = row
                    lesson = keys[tuple(key)]
                    closed = Sheet(sheet_id)
                    raise JournalClosedError(gettext(
                            'copp_journal.msg_sheet_closed_lesson',
                            sheet=closed.number or closed.id,
                            discipline=lesson.line.rec_name,
                            group=lesson.group.rec_name,
                            lesson=lesson.rec_name))

    @classmethod
    def closed_dates(cls, company_id, date_from, date_to):
        "The set of first days of the closed months of a college"
        period = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*period.select(period.month,
                where=(period.company == company_id)
                & (period.state == 'closed')
                & (period.month >= first_day(date_from))
                & (period.month <= date_to)))
        result = set()
        for month, in cursor:
            if isinstance(month, str):
                month = dt.date.fromisoformat(month)
            result.add(month)
        return result
