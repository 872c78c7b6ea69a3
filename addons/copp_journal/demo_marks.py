"""Demo journal: the marks, absences and late arrivals of the lessons held
(up to today), with spells of illness, inserted in bulk."""
import datetime as dt
from collections import defaultdict

from .demo_bulk import _BulkLoad, _Writer

# The density of the region figures (30 000 students, ~10 M marks
# and ~3 M absences a year): a mark at ~55 % of the student-lessons, an
# absence or a late arrival at ~16 %.
MARK_RATE = 0.7
LATE_RATE = 0.015


class _MarkDemo:
    "Marks and absences of demo._Demo (reads self.lesson_rows)"

    def entries(self, terms):
        "Marks and absences of the lessons held (dated up to today)"
        pool = self.pool
        Mark = pool.get('copp.journal.mark')
        Absence = pool.get('copp.journal.absence')
        rnd = self.random
        pass_fail = {w.id for loads in self.load.values() for w in loads
            if w.line.assessment == 'credit'}
        companies = {g.id: g.company.id for g in self.groups}
        marks = _Writer(Mark, ['lesson', 'student', 'company', 'group',
                'line', 'term', 'date', 'value', 'create_uid',
                'create_date'])
        absences = _Writer(Absence, ['lesson', 'student', 'company', 'group',
                'line', 'term', 'date', 'kind', 'reason', 'excused', 'hours',
                'create_uid', 'create_date'])
        # Illnesses: a few spells of 3–8 days per student and term.
        ill = defaultdict(set)
        for term in terms:
            span = (min(term.end_date, self.today) - term.start_date).days
            if span <= 0:
                continue
            for ids in self.students.values():
                for student in ids:
                    for _ in range(rnd.choice([0, 1, 1, 1, 2, 2])):
                        start = term.start_date + dt.timedelta(
                            days=rnd.randrange(span))
                        for offset in range(rnd.randint(3, 8)):
                            ill[student].add(start + dt.timedelta(
                                    days=offset))
        now = self.now
        with _BulkLoad([Mark, Absence]):
            self._entries(marks, absences, ill, pass_fail, companies, now)
        self.mark_count = marks.count
        self.absence_count = absences.count

    def _entries(self, marks, absences, ill, pass_fail, companies, now):
        rnd = self.random
        for lesson_id, workload_id, group_id, line_id, term_id, date, hours \
                in self.env.progress(self.lesson_rows,
                    desc="Оценки и пропуски", unit="зан."):
            if date > self.today:
                continue
            company = companies[group_id]
            credit = workload_id in pass_fail
            for student in self.students.get(group_id, ()):
                roll = rnd.random()
                if date in ill[student]:
                    absences.add([lesson_id, student, company, group_id,
                            line_id, term_id, date, 'absent', 'illness',
                            True, hours, 0, now])
                    continue
                truancy = self.truancy[student]
                if roll < truancy:
                    absences.add([lesson_id, student, company, group_id,
                            line_id, term_id, date, 'absent', None, False,
                            hours, 0, now])
                    continue
                if roll < truancy + 0.006:
                    reason = 'application' if roll < truancy + 0.004 \
                        else 'order'
                    absences.add([lesson_id, student, company, group_id,
                            line_id, term_id, date, 'absent', reason, True,
                            hours, 0, now])
                    continue
                late = roll > 1 - LATE_RATE
                if late:
                    absences.add([lesson_id, student, company, group_id,
                            line_id, term_id, date, 'late', None, False, 0,
                            0, now])
                if rnd.random() >= MARK_RATE:
                    continue
                ability = self.ability[student]
                if credit:
                    value = 'fail' if rnd.random() > 0.9 + ability / 10 \
                        else 'pass'
                else:
                    score = ability + rnd.gauss(0, 0.22)
                    value = ('5' if score > 0.74 else '4' if score > 0.48
                        else '3' if score > 0.16 else '2')
                marks.add([lesson_id, student, company, group_id, line_id,
                        term_id, date, value, 0, now])
        marks.close()
        absences.close()
