"""Demo journal: curricula for the specialties of the demo groups, the
college's bell schedule, the teaching load of the current term (and of the
two previous academic years at the region scale), weekly timetables, lessons,
marks, absences, closed grade sheets with debts and retakes.

Curricula, teaching load and timetables go through the ORM in bulk;
lessons, marks, absences and sheet lines are inserted with SQL (COPY on
PostgreSQL): the region scale makes ~10 million marks and ~3 million
absences. The teacher of the demo user prep1 gets a real teaching load in
the first college, so the journal page has data at his first login.
"""
import datetime as dt
import math
import time
import zlib
from collections import defaultdict

from trytond import backend
from trytond.pool import Pool
from trytond.transaction import Transaction

from .demo_bulk import _BulkLoad, _reserve_ids, _Writer, analyze
from .demo_data import (
    GENERAL, GENERIC, PROFESSIONAL, PROFILES, SUBJECTS, TOPIC_KINDS)
from .lesson import DEFAULT_BELLS, HOLIDAYS
from .sheet import sheet_digest

# The density of the region figures (30 000 students, ~10 M marks
# and ~3 M absences a year): a mark at ~55 % of the student-lessons, an
# absence or a late arrival at ~16 %.
MARK_RATE = 0.7
LATE_RATE = 0.015
# Terms of history at the region scale (two academic years) besides the
# current one.
REGION_HISTORY = 4
SEMESTER_HOURS = 600
WEEKDAY_SLOTS = [(d, p) for p in (1, 2, 3, 4) for d in range(5)] + [
    (d, 5) for d in range(5)] + [(5, p) for p in (1, 2, 3)]


def populate(env):
    pool = env.pool
    Company = pool.get('company.company')
    Group = pool.get('copp.study.group')
    Term = pool.get('copp.academic.term')
    colleges = Company.search([('institution_kind', '=', 'college')],
        order=[('id', 'ASC')])
    groups = [g for g in Group.search([('active', '=', True)],
            order=[('company', 'ASC'), ('name', 'ASC'), ('id', 'ASC')])
        if g.student_count]
    if not colleges or not groups:
        return
    today = env.today
    current = Term.find(today) or _nearest_term(today)
    if not current:
        return
    terms = [current]
    if env.scale == 'region':
        terms = _previous_terms(current, REGION_HISTORY) + terms
    sheet_terms = _previous_terms(current, 2 if env.scale == 'region' else 1)
    demo = _Demo(env, colleges, groups, today)
    started = time.perf_counter()
    demo.bells()
    demo.curricula()
    demo.workloads(sorted(set(terms) | set(sheet_terms),
            key=lambda t: t.start_date))
    demo.give_prep1_a_load(current)
    demo.timetables(current)
    demo.lessons(terms)
    demo.entries(terms)
    pool.get('copp.journal.total').rebuild()
    demo.sheets(sheet_terms)
    demo.periods(terms, current)
    analyze([pool.get(name) for name in [
                'copp.journal.curriculum', 'copp.journal.curriculum.line',
                'copp.journal.workload', 'copp.journal.timetable',
                'copp.journal.timetable.line', 'copp.journal.lesson',
                'copp.journal.total', 'copp.journal.sheet',
                'copp.journal.sheet.line', 'copp.journal.period']])
    env.count("Учебные планы", demo.curriculum_count)
    env.count("Строки педагогической нагрузки", demo.workload_count)
    env.count("Занятия", demo.lesson_count)
    env.count("Текущие оценки", demo.mark_count)
    env.count("Пропуски и опоздания", demo.absence_count)
    env.count("Ведомости", demo.sheet_count)
    env.count("Журнал: секунд на генерацию",
        round(time.perf_counter() - started))


def _nearest_term(date):
    Term = Pool().get('copp.academic.term')
    terms = Term.search([('start_date', '>', date)], limit=1,
        order=[('start_date', 'ASC')])
    return terms[0] if terms else None


def _previous_terms(term, count):
    Term = Pool().get('copp.academic.term')
    return list(reversed(Term.search([('end_date', '<', term.start_date)],
                order=[('start_date', 'DESC')], limit=count)))


def _date(value):
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


class _Demo:

    def __init__(self, env, colleges, groups, today):
        self.env = env
        self.pool = env.pool
        self.random = env.random
        self.colleges = colleges
        self.groups = groups
        self.today = today
        self.now = dt.datetime.now()
        self.curriculum_count = self.workload_count = 0
        self.lesson_count = self.mark_count = self.absence_count = 0
        self.sheet_count = 0
        self.load = defaultdict(list)  # (group, term) → workloads
        self.teachers = {}
        self.students = {}  # group id → [student ids]
        self.ability = {}
        self.truancy = {}
        Student = self.pool.get('copp.student')
        student = Student.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*student.select(student.id, student.group,
                where=student.state.in_(['studying', 'academic_leave'])
                & (student.group != None),  # noqa: E711
                order_by=[student.id]))
        for student_id, group_id in cursor:
            self.students.setdefault(group_id, []).append(student_id)
        rnd = self.random
        for ids in self.students.values():
            for student_id in ids:
                self.ability[student_id] = min(1.0, max(0.0,
                        rnd.betavariate(2.6, 1.9)))
                self.truancy[student_id] = rnd.choice(
                    [0.01, 0.02, 0.04, 0.06, 0.09, 0.14, 0.22])

    # Reference data --------------------------------------------------------

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

    def curricula(self):
        Curriculum = self.pool.get('copp.journal.curriculum')
        Line = self.pool.get('copp.journal.curriculum.line')
        keys = sorted({(g.company.id, g.specialty.id, g.study_form,
                    g.admission_year, g.basis) for g in self.groups})
        specialties = {g.specialty.id: g.specialty for g in self.groups}
        values = []
        for company, specialty_id, form, year, basis in keys:
            specialty = specialties[specialty_id]
            values.append({
                    'name': f"{specialty.code} {specialty.name[:60]}, "
                    f"набор {year}",
                    'company': company, 'specialty': specialty_id,
                    'study_form': form, 'admission_year': year,
                    'basis': basis, 'state': 'approved',
                    'approval_date': dt.date(year, 8, 25),
                    'lines': [('create', self._lines(specialty, basis))],
                    })
        created = []
        for start in self.env.progress(range(0, len(values), 50),
                desc="Учебные планы", unit="×50"):
            created += Curriculum.create(values[start:start + 50])
        Line.link_modules(created)
        self.curriculum_count = len(created)
        self.curriculum = {
            (c.company.id, c.specialty.id, c.study_form, c.admission_year,
                c.basis): c for c in created}

    def _lines(self, specialty, basis):
        disciplines, modules = PROFILES.get(specialty.code[:2], GENERIC)
        shift = 0 if basis == '9' else -2  # 11 classes: no general part
        lines, sequence = [], 0
        for index, name, semesters, theory, practice, last, other in GENERAL:
            for semester in semesters:
                if semester + shift < 1:
                    continue
                sequence += 10
                lines.append({'index': index, 'name': name,
                        'semester': semester + shift, 'sequence': sequence,
                        'hours_theory': theory or None,
                        'hours_practice': practice or None,
                        'hours_self': 4,
                        'assessment': last if semester == semesters[-1]
                        else other})
        for kind, number, semester, theory, practice, assessment in (
                PROFESSIONAL):
            if semester + shift < 1:
                continue
            sequence += 10
            if kind == 'ОП':
                index, name = f'ОП.{number:02d}', disciplines[number - 1]
            elif kind == 'ПМ':
                index, name = f'ПМ.{number:02d}', modules[number - 1]
            elif kind == 'МДК':
                index = f'МДК.{number:02d}.01'
                name = modules[number - 1]
            elif kind == 'ПДП':
                index, name = 'ПДП', "Производственная практика "\
                    "(преддипломная)"
            else:
                index = f'{kind}.{number:02d}'
                name = ("Учебная практика" if kind == 'УП'
                    else "Производственная практика")
            lines.append({'index': index, 'name': name,
                    'semester': semester + shift, 'sequence': sequence,
                    'hours_theory': theory or None,
                    'hours_practice': practice or None,
                    'hours_self': 6 if theory else None,
                    'assessment': assessment})
        # A semester of full-time study is about 17 weeks × 36 hours.
        by_semester = defaultdict(list)
        for line in lines:
            if line['hours_theory'] or line['hours_practice']:
                by_semester[line['semester']].append(line)
        for semester_lines in by_semester.values():
            total = sum((l['hours_theory'] or 0) + (l['hours_practice'] or 0)
                for l in semester_lines)
            factor = SEMESTER_HOURS / total
            for line in semester_lines:
                for field in ['hours_theory', 'hours_practice']:
                    if line[field]:
                        line[field] = max(2, int(line[field] * factor / 2) * 2)
        return lines

    def workloads(self, terms):
        pool = self.pool
        Employee = pool.get('company.employee')
        Workload = pool.get('copp.journal.workload')
        from .curriculum import semester_of
        from copp.demo import POSITIONS_TEACHER
        for college in self.colleges:
            teachers = Employee.search([('company', '=', college.id),
                    ('position', 'in', POSITIONS_TEACHER)],
                order=[('id', 'ASC')])
            self.teachers[college.id] = teachers
        values = []
        for term in terms:
            for group in self.groups:
                curriculum = self.curriculum[(group.company.id,
                        group.specialty.id, group.study_form,
                        group.admission_year, group.basis)]
                semester = semester_of(group.admission_year, term)
                teachers = self.teachers.get(group.company.id) or []
                for line in curriculum.lines:
                    if line.semester != semester or line.kind == 'module':
                        continue
                    teacher = None
                    if teachers:
                        # The same teacher keeps a discipline of a group.
                        key = f'{group.id}:{line.index}'.encode()
                        teacher = teachers[zlib.crc32(key) % len(teachers)]
                    values.append({'company': group.company.id,
                            'term': term.id, 'group': group.id,
                            'line': line.id,
                            'teacher': teacher.id if teacher else None,
                            'hours_planned': line.classroom_hours or None})
        created = []
        for start in self.env.progress(range(0, len(values), 500),
                desc="Педагогическая нагрузка", unit="×500"):
            created += Workload.create(values[start:start + 500])
        for workload in created:
            self.load[(workload.group.id, workload.term.id)].append(workload)
        self.workload_count = len(created)

    def give_prep1_a_load(self, term):
        "prep1 teaches three disciplines in two groups of the first college"
        pool = self.pool
        User = pool.get('res.user')
        Workload = pool.get('copp.journal.workload')
        users = User.search([('login', '=', 'prep1')])
        if not users or not users[0].employee:
            return
        employee = users[0].employee
        groups = [g for g in self.groups
            if g.company == employee.company][:2]
        chosen = []
        for group in groups:
            loads = [w for w in self.load[(group.id, term.id)]
                if w.line.kind != 'edu_practice']
            chosen += loads[:2 if group == groups[0] else 1]
        if chosen:
            Workload.write(chosen, {'teacher': employee.id})

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

    # Lessons, marks, absences -------------------------------------------

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

    # Grade sheets, debts, retakes, closed months -----------------------------

    def sheets(self, terms):
        pool = self.pool
        Sheet = pool.get('copp.journal.sheet')
        Line = pool.get('copp.journal.sheet.line')
        Sequence = pool.get('ir.sequence')
        ModelData = pool.get('ir.model.data')
        cursor = Transaction().connection.cursor()
        rnd = self.random
        sheet_rows, retakes = [], []
        for term in terms:
            for group in self.groups:
                students = self.students.get(group.id, [])
                for workload in self.load[(group.id, term.id)]:
                    assessment = workload.line.assessment
                    if not assessment or assessment == 'other' or (
                            not students):
                        continue
                    date = term.end_date - dt.timedelta(
                        days=rnd.randint(2, 12))
                    sheet_rows.append([workload, group, term, assessment,
                            date])
        ids = _reserve_ids(cursor, Sheet._table, len(sheet_rows))
        sequence = Sequence(ModelData.get_id('copp_journal',
                'sequence_sheet'))
        sheet_writer = _Writer(Sheet, ['id', 'number', 'company', 'kind',
                'group', 'line', 'term', 'workload', 'teacher', 'assessment',
                'date', 'state', 'signed_by', 'signed_at', 'signature',
                'original', 'create_uid', 'create_date'])
        line_rows = []  # written after their sheets
        now = self.now
        def signature(number, kind, workload, group, term, assessment, date,
                lines):
            return sheet_digest(number, group.company.id, kind, group.id,
                group.name, workload.line.id, workload.line.index, term.id,
                assessment, date,
                workload.teacher.id if workload.teacher else None, lines)

        for sheet_id, (workload, group, term, assessment, date) in zip(
                ids, self.env.progress(sheet_rows, desc="Ведомости",
                    unit="вед.")):
            number = f'{date.year}-{sheet_id:06d}'
            lines = [(s, self._grade(s, assessment))
                for s in self.students[group.id]]
            sheet_writer.add([sheet_id, number, group.company.id, 'regular',
                    group.id, workload.line.id, term.id, workload.id,
                    workload.teacher.id if workload.teacher else None,
                    assessment, date, 'closed', None, now,
                    signature(number, 'regular', workload, group, term,
                        assessment, date, lines), None, 0, now])
            for student, grade in lines:
                line_rows.append([sheet_id, student, grade, 0, now])
                if grade in {'2', 'fail', 'absent'}:
                    retakes.append((sheet_id, number, workload, group, term,
                            assessment, date, student))
        # Retakes: most debtors passed their retake, some have one pending.
        if backend.name == 'postgresql':
            retake_ids = _reserve_ids(cursor, Sheet._table, len(retakes))
        else:
            start = max(ids, default=0) + 1
            retake_ids = list(range(start, start + len(retakes)))
        for retake_id, (original, number, workload, group, term, assessment,
                date, student) in zip(retake_ids, retakes):
            closed = rnd.random() < 0.7
            retake_date = date + dt.timedelta(days=rnd.randint(14, 40))
            grade = None
            if closed:
                grade = ('pass' if assessment == 'credit' else
                    rnd.choice(['3', '3', '4']))
                if rnd.random() < 0.1:
                    grade = 'fail' if assessment == 'credit' else '2'
            retake_number = f'{retake_date.year}-{retake_id:06d}'
            sheet_writer.add([retake_id, retake_number, group.company.id,
                    'retake', group.id, workload.line.id, term.id,
                    workload.id,
                    workload.teacher.id if workload.teacher else None,
                    assessment, retake_date, 'closed' if closed else 'open',
                    None, now if closed else None,
                    signature(retake_number, 'retake', workload, group, term,
                        assessment, retake_date, [(student, grade)])
                    if closed else None, original, 0, now])
            line_rows.append([retake_id, student, grade, 0, now])
        self.sheet_count = sheet_writer.close()
        line_writer = _Writer(Line, ['sheet', 'student', 'grade',
                'create_uid', 'create_date'])
        for row in line_rows:
            line_writer.add(row)
        line_writer.close()
        number_next = (max(ids + retake_ids) + 1) if ids else None
        if number_next:
            Sequence.write([sequence], {'number_next': number_next})

    def _grade(self, student, assessment):
        rnd = self.random
        ability = self.ability[student]
        if rnd.random() < 0.015 + self.truancy[student] / 3:
            return 'absent'
        if assessment == 'credit':
            return 'fail' if rnd.random() > 0.93 + ability / 15 else 'pass'
        score = ability + rnd.gauss(0, 0.18)
        return ('5' if score > 0.7 else '4' if score > 0.42
            else '3' if score > 0.12 else '2')

    def periods(self, terms, current):
        "The months of the past terms are closed by the registrar's office"
        Period = self.pool.get('copp.journal.period')
        values = []
        for term in terms:
            if term == current:
                continue
            month = term.start_date.replace(day=1)
            while month <= term.end_date:
                for college in self.colleges:
                    values.append({'company': college.id, 'month': month,
                            'state': 'closed', 'closed_at': self.now})
                month = (month + dt.timedelta(days=32)).replace(day=1)
        if values:
            Period.create(values)
