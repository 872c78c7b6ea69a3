"""The weekly timetable of a group for a term, and the wizard that generates
the lessons of the term from it (skipping public holidays and other days
off, within the planned hours)."""
import datetime as dt
from collections import defaultdict

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import JournalError
from .lesson import HOLIDAYS, LESSON_KINDS

WEEKDAYS = [
    ('0', "Monday"),
    ('1', "Tuesday"),
    ('2', "Wednesday"),
    ('3', "Thursday"),
    ('4', "Friday"),
    ('5', "Saturday"),
    ]
PARITIES = [
    ('every', "Every Week"),
    ('odd', "Odd Weeks (Numerator)"),
    ('even', "Even Weeks (Denominator)"),
    ]

class Timetable(ModelSQL, ModelView):
    "Weekly Timetable"
    __name__ = 'copp.journal.timetable'
    __string__ = "Weekly Timetable"

    company = fields.Many2One('company.company', "College", required=True,
        ondelete='RESTRICT')
    group = fields.Many2One('copp.study.group', "Group", required=True,
        ondelete='RESTRICT',
        domain=[('company', '=', Eval('company', -1))])
    term = fields.Many2One('copp.academic.term', "Term", required=True,
        ondelete='RESTRICT')
    start_date = fields.Date("Valid From",
        help="Empty for the start of the term.")
    end_date = fields.Date("Valid To", help="Empty for the end of the term.")
    lines = fields.One2Many('copp.journal.timetable.line', 'timetable',
        "Lines")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('term', 'DESC'), ('group', 'ASC'), ('id', 'ASC')]
        cls._buttons.update({
                'generate': {
                    'icon': 'tryton-launch',
                    'invisible': Eval('id', -1) < 0,
                    'depends': ['id'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_term(cls):
        return Pool().get('copp.journal.workload').default_term()

    def get_rec_name(self, name):
        return f'{self.group.rec_name} — {self.term.rec_name}'

    @classmethod
    @ModelView.button_action('copp_journal.wizard_timetable_generate')
    def generate(cls, timetables):
        pass

    def lesson_values(self, date_from, date_to, skip=(), limit_to_plan=True):
        """Values of the lessons of the timetable between the dates: every
        line on its weekday (and week parity counted from the start of the
        term), except the dates of `skip` and the lessons that exist"""
        pool = Pool()
        Lesson = pool.get('copp.journal.lesson')
        date_from = max(date_from, self.start_date or self.term.start_date,
            self.term.start_date)
        date_to = min(date_to, self.end_date or self.term.end_date,
            self.term.end_date)
        workloads = {l.workload.id for l in self.lines}
        existing = set()
        given = defaultdict(int)  # hours of every lesson, future ones too
        if workloads:
            for lesson in Lesson.search([
                        ('workload', 'in', list(workloads)),
                        ]):
                existing.add((lesson.workload.id, lesson.date, lesson.pair))
                given[lesson.workload.id] += lesson.hours
        term_monday = self.term.start_date - dt.timedelta(
            days=self.term.start_date.weekday())
        values = []
        day = date_from
        lines = sorted(self.lines, key=lambda l: (l.weekday, l.pair or 0))
        while day <= date_to:
            if day not in skip:
                week = (day - term_monday).days // 7 + 1
                for line in lines:
                    if int(line.weekday) != day.weekday():
                        continue
                    if line.parity == 'odd' and week % 2 == 0:
                        continue
                    if line.parity == 'even' and week % 2 == 1:
                        continue
                    key = (line.workload.id, day, line.pair)
                    if key in existing:
                        continue
                    planned = line.workload.hours_planned
                    if limit_to_plan and planned is not None and (
                            given.get(line.workload.id, 0) + line.hours
                            > planned):
                        continue
                    given[line.workload.id] = given.get(
                        line.workload.id, 0) + line.hours
                    existing.add(key)
                    values.append({
                            'workload': line.workload.id,
                            'date': day,
                            'pair': line.pair,
                            'hours': line.hours,
                            'kind': line.kind,
                            'room': line.room,
                            })
            day += dt.timedelta(days=1)
        return values


class TimetableLine(ModelSQL, ModelView):
    "Weekly Timetable Line"
    __name__ = 'copp.journal.timetable.line'
    __string__ = "Weekly Timetable Line"

    timetable = fields.Many2One('copp.journal.timetable', "Timetable",
        required=True, ondelete='CASCADE')
    weekday = fields.Selection(WEEKDAYS, "Weekday", required=True,
        sort=False)
    pair = fields.Integer("Pair", required=True,
        domain=[('pair', '>=', 1), ('pair', '<=', 10)])
    parity = fields.Selection(PARITIES, "Weeks", required=True)
    workload = fields.Many2One('copp.journal.workload', "Teaching Load",
        required=True, ondelete='CASCADE',
        domain=[
            ('group', '=', Eval('_parent_timetable', {}).get('group', -1)),
            ('term', '=', Eval('_parent_timetable', {}).get('term', -1)),
            ])
    hours = fields.Integer("Hours", required=True,
        domain=[('hours', '>', 0), ('hours', '<=', 12)])
    kind = fields.Selection(LESSON_KINDS, "Kind", required=True)
    room = fields.Char("Room")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('timetable')
        cls._order = [('timetable', 'ASC'), ('weekday', 'ASC'),
            ('pair', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_parity(cls):
        return 'every'

    @classmethod
    def default_hours(cls):
        return 2

    @classmethod
    def default_kind(cls):
        return 'lesson'


class TimetableGenerateStart(ModelView):
    "Generate Lessons"
    __name__ = 'copp.journal.timetable.generate.start'
    __string__ = "Generate Lessons"

    date_from = fields.Date("From", required=True)
    date_to = fields.Date("To", required=True,
        domain=[('date_to', '>=', Eval('date_from'))])
    skip_holidays = fields.Boolean("Skip Public Holidays")
    skip_dates = fields.Text("Other Days Off",
        help="Dates without lessons, one per line (ДД.ММ.ГГГГ).")
    limit_to_plan = fields.Boolean("Within Planned Hours",
        help="Do not create lessons beyond the planned hours of the load.")

    @classmethod
    def default_skip_holidays(cls):
        return True

    @classmethod
    def default_limit_to_plan(cls):
        return True


class TimetableGenerate(Wizard):
    "Generate Lessons"
    __name__ = 'copp.journal.timetable.generate'

    start = StateView('copp.journal.timetable.generate.start',
        'copp_journal.timetable_generate_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Generate", 'generate', 'tryton-ok', default=True),
            ])
    generate = StateTransition()

    def default_start(self, fields):
        timetable = self.record
        return {
            'date_from': (timetable.start_date
                or timetable.term.start_date),
            'date_to': timetable.end_date or timetable.term.end_date,
            }

    def transition_generate(self):
        generate_lessons(self.records, self.start.date_from,
            self.start.date_to, skip_holidays=self.start.skip_holidays,
            skip_dates=parse_dates(self.start.skip_dates),
            limit_to_plan=self.start.limit_to_plan)
        return 'end'


def parse_dates(text):
    dates = set()
    for number, raw in enumerate((text or '').splitlines(), 1):
        raw = raw.strip()
        if not raw:
            continue
        for fmt in ('%d.%m.%Y', '%Y-%m-%d', '%d.%m.%y'):
            try:
                dates.add(dt.datetime.strptime(raw, fmt).date())
                break
            except ValueError:
                continue
        else:
            raise JournalError(gettext('copp_journal.msg_bad_date',
                    line=number, value=raw))
    return dates


def holidays_between(date_from, date_to):
    day, result = date_from, set()
    while day <= date_to:
        if (day.month, day.day) in HOLIDAYS:
            result.add(day)
        day += dt.timedelta(days=1)
    return result


def generate_lessons(timetables, date_from, date_to, skip_holidays=True,
        skip_dates=(), limit_to_plan=True):
    pool = Pool()
    Lesson = pool.get('copp.journal.lesson')
    skip = set(skip_dates)
    if skip_holidays:
        skip |= holidays_between(date_from, date_to)
    values = []
    for timetable in timetables:
        values.extend(timetable.lesson_values(date_from, date_to, skip=skip,
                limit_to_plan=limit_to_plan))
    return Lesson.create(values)
