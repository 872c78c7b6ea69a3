"""Demo journal: the colleges' bell schedules, the weekly timetables of the
current term and the lessons of every term (inserted in bulk)."""
import datetime as dt
import math
from collections import defaultdict

from trytond.transaction import Transaction

from .demo_bulk import _reserve_ids, _Writer
from .demo_data import SUBJECTS, TOPIC_KINDS
from .lesson import DEFAULT_BELLS, HOLIDAYS

WEEKDAY_SLOTS = [(d, p) for p in (1, 2, 3, 4) for d in range(5)] + [
    (d, 5) for d in range(5)] + [(5, p) for p in (1, 2, 3)]


class _TimetableDemo:
    """Bells, timetables and lessons of demo._Demo (fills self.slots and
    self.lesson_rows)"""

    def bells(self):
        Bell = self.pool.get('copp.journal.bell')
        values = []
        for college in self.colleges:
            shift = dt.timedelta(minutes=self.random.choice([0, 0, 15, -15]))
            for number, start, end in DEFAULT_BELLS:
                values.append({'company': college.id, 'number': number,
                        'start': (dt.datetime.combine(self.today, start)
                            + shift).time(),
                        'end': (dt.datetime.combine(self.today, end)
                            + shift).time()})
        Bell.create(values)

    def timetables(self, term):
        "The weekly timetable of the current term of every group (records)"
        Timetable = self.pool.get('copp.journal.timetable')
        values = []
        self.slots = {}
        for group in self.groups:
            slots = self._slots(group, term)
            self.slots[(group.id, term.id)] = slots
            values.append({'company': group.company.id, 'group': group.id,
                    'term': term.id, 'lines': [('create', [{
                                'weekday': str(day), 'pair': pair,
                                'workload': workload.id, 'hours': 2,
                                'kind': 'lesson'}
                            for workload, day, pair in slots])]})
        for start in self.env.progress(range(0, len(values), 200),
                desc="Расписания", unit="×200"):
            Timetable.create(values[start:start + 200])

    def _slots(self, group, term):
        "[(workload, weekday, pair)] of a week of the group"
        loads = self.load[(group.id, term.id)]
        weeks = max(1, ((term.end_date - term.start_date).days + 1) // 7)
        slots, position = [], 0
        free = list(WEEKDAY_SLOTS)
        for workload in loads:
            pairs = max(1, math.ceil((workload.hours_planned or 2)
                    / 2 / weeks))
            for _ in range(pairs):
                if position >= len(free):
                    break
                day, pair = free[position]
                slots.append((workload, day, pair))
                position += 1
        return slots

    # Lessons -----------------------------------------------------------

    def lessons(self, terms):
        Lesson = self.pool.get('copp.journal.lesson')
        cursor = Transaction().connection.cursor()
        self.lesson_rows = []  # (id, workload, group, line, date, hours, kind)
        rows = []
        rnd = self.random
        for term in terms:
            for group in self.groups:
                slots = getattr(self, 'slots', {}).get((group.id, term.id)) \
                    or self._slots(group, term)
                if not slots:
                    continue
                monday = term.start_date - dt.timedelta(
                    days=term.start_date.weekday())
                given = defaultdict(int)
                numbers = defaultdict(int)
                day = monday
                while day <= term.end_date:
                    for workload, weekday, pair in slots:
                        date = day + dt.timedelta(days=weekday)
                        if not (term.start_date <= date <= term.end_date):
                            continue
                        if (date.month, date.day) in HOLIDAYS:
                            continue
                        if given[workload.id] + 2 > (
                                workload.hours_planned or 0):
                            continue
                        given[workload.id] += 2
                        numbers[workload.id] += 1
                        number = numbers[workload.id]
                        practice = workload.line.kind in {
                            'edu_practice', 'work_practice'}
                        kind, pattern = (('practice', "Практика: {n}")
                            if practice else TOPIC_KINDS[
                                (number + workload.id) % len(TOPIC_KINDS)])
                        past = date <= self.today
                        topic = pattern.format(
                            n=SUBJECTS[(number * 7 + workload.id)
                                % len(SUBJECTS)],
                            k=number // 2 + 1) if past else None
                        homework = (f"§ {number}, вопросы 1–{3 + number % 4}"
                            if past and rnd.random() < 0.3 else None)
                        rows.append([workload.id, group.company.id,
                                group.id, workload.line.id, term.id,
                                workload.teacher.id if workload.teacher
                                else None, date, pair, 2, kind, topic,
                                homework])
                    day += dt.timedelta(days=7)
        ids = _reserve_ids(cursor, Lesson._table, len(rows))
        columns = ['id', 'workload', 'company', 'group', 'line', 'term',
            'teacher', 'date', 'pair', 'hours', 'kind', 'topic', 'homework',
            'create_uid', 'create_date']
        writer = _Writer(Lesson, columns)
        for lesson_id, row in zip(ids, self.env.progress(rows,
                    desc="Занятия", unit="зан.")):
            writer.add([lesson_id] + row + [0, self.now])
            self.lesson_rows.append((lesson_id, row[0], row[2], row[3],
                    row[4], row[6], row[8]))
        self.lesson_count = writer.close()
