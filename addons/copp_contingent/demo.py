"""Demo contingent: groups, students and realistic movement histories.

For every demo college a few federal specialties, one group per specialty
and cohort (the cohorts of the last years, the oldest already graduated),
students enrolled by orders, transferred to the next course every
1 September, with expulsions, academic leaves, returns, reinstatements and
transfers budget ↔ contract, and graduations. Groups, persons and students
go through the ORM in bulk; the ~150 000 order lines and movements of the
region scale are inserted in bulk with SQL (their `valid_to` is known).
"""
import datetime as dt
import math
import re
from collections import defaultdict
from decimal import Decimal

from sql.functions import CurrentTimestamp

from trytond.transaction import Transaction

from copp.demo import person_values
from copp.identifiers import snils as snils_validator

from . import bulk
from .study_group import course_of

COHORTS = 6  # admission years kept: the oldest have graduated
GROUP_SIZE = 25
EXPULSION_REASONS = [('own_will', 45), ('academic_failure', 30),
    ('transfer_out', 12), ('military', 5), ('contract_breach', 4),
    ('discipline', 2), ('other', 2)]
LEAVE_REASONS = [('medical', 50), ('family', 25), ('military', 15),
    ('maternity', 10)]
SMALL_WORDS = {'и', 'в', 'по', 'на', 'с', 'для', 'из', 'к', 'о', 'от'}


def populate(env):
    pool = env.pool
    Company = pool.get('company.company')
    colleges = Company.search([('institution_kind', '=', 'college')],
        order=[('id', 'ASC')])
    if not colleges:
        return
    today = env.today
    demo = _Demo(env, colleges, today)
    demo.plan()
    demo.create_groups()
    demo.simulate()
    demo.create_students()
    demo.create_orders()
    demo.insert_lines_and_movements()
    demo.numbering()
    env.count("Учебные группы", len(demo.groups))
    env.count("Студенты (личные дела)", len(demo.students))
    env.count("Приказы по контингенту", len(demo.orders))
    env.count("Записи журнала движения", demo.movement_count)


def _abbreviation(name):
    words = [w for w in re.split(r'[\s\-,()]+', name.lower())
        if w and w not in SMALL_WORDS]
    abbr = ''.join(w[0] for w in words[:4]).upper()
    return abbr or 'Г'


def _snils(number):
    digits = f'{number:09d}'
    return snils_validator.format(
        digits + f'{snils_validator.checksum(digits + "00"):02d}')


class _Demo:

    def __init__(self, env, colleges, today):
        self.env = env
        self.pool = env.pool
        self.random = env.random
        self.colleges = colleges
        self.today = today
        self.year = today.year if today.month >= 9 else today.year - 1
        self.groups = []  # dicts
        self.students = []  # dicts
        self.orders = []
        self.movement_count = 0

    # Plan -----------------------------------------------------------------

    def plan(self):
        pool = self.pool
        Specialty = pool.get('copp.specialty')
        Employee = pool.get('company.employee')
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        specialties = [s for s in Specialty.search([('company', '=', None)])
            if any(d.study_form == 'full_time' for d in s.durations)]
        # env.size['students'] is the contingent of today (the students of
        # the active groups); the graduated cohorts come on top.
        per_college = self.env.size['students'] / len(self.colleges)
        # About 3.3 courses are studied at once (4-year specialties, 3-year
        # professions) and about a tenth of a cohort leaves on the way.
        count = max(2, round(per_college / (3.3 * GROUP_SIZE * 0.9)))
        teacher_group = ModelData.get_id('copp', 'group_teacher')
        demo_teachers = {}
        for user in User.search([('groups', '=', teacher_group)]):
            for employee in user.employees:
                demo_teachers.setdefault(employee.company.id, employee)
        def full_time(specialty):
            return min((d for d in specialty.durations
                    if d.study_form == 'full_time'), key=lambda d: d.basis)

        for college in self.colleges:
            chosen = self.random.sample(specialties,
                min(count, len(specialties)))
            # Groups sized so that today's contingent of the college is
            # per_college: the courses studied now, less the leavers.
            courses = sum(math.ceil(full_time(s).months / 12)
                for s in chosen)
            size = per_college / courses / 0.9
            teachers = Employee.search([('company', '=', college.id),
                    ('position', 'in', ["преподаватель",
                            "мастер производственного обучения"])])
            abbreviations = set()
            for specialty in chosen:
                abbr = _abbreviation(specialty.name)
                while abbr in abbreviations:
                    abbr += specialty.code[-1]
                abbreviations.add(abbr)
                duration = full_time(specialty)
                years = math.ceil(duration.months / 12)
                for admission in range(self.year - COHORTS + 1,
                        self.year + 1):
                    graduation = admission + years
                    course = min(years, self.year - admission + 1)
                    graduated = dt.date(graduation, 6, 30) <= self.today
                    curator = self.random.choice(teachers) if teachers \
                        else None
                    self.groups.append({
                            'college': college, 'specialty': specialty,
                            'abbr': abbr, 'basis': duration.basis,
                            'admission': admission, 'years': years,
                            'graduation': graduation, 'course': course,
                            'active': not graduated,
                            'name': f'{abbr}-{course}1',
                            'curator': curator,
                            'size': max(8, round(self.random.gauss(
                                        size, size / 8))),
                            })
        # The demo teachers of copp curate groups of their college.
        for company_id, employee in demo_teachers.items():
            active = [g for g in self.groups
                if g['college'].id == company_id and g['active']]
            for group in active[:2]:
                group['curator'] = employee
        self.by_cohort = {(g['college'].id, g['specialty'].id,
                g['admission']): g for g in self.groups}

    def create_groups(self):
        Group = self.pool.get('copp.study.group')
        values = [{
                'name': g['name'], 'company': g['college'].id,
                'specialty': g['specialty'].id, 'study_form': 'full_time',
                'basis': g['basis'], 'admission_year': g['admission'],
                'course': g['course'], 'graduation_year': g['graduation'],
                'curator': g['curator'].id if g['curator'] else None,
                'size_limit': 30, 'active': g['active'],
                } for g in self.groups]
        records = Group.create(values)
        for group, record in zip(self.groups, records):
            group['id'] = record.id

    # Simulation -------------------------------------------------------------

    def _weighted(self, choices):
        total = sum(w for _, w in choices)
        roll = self.random.uniform(0, total)
        for value, weight in choices:
            roll -= weight
            if roll <= 0:
                return value
        return choices[-1][0]

    def _date_in_year(self, year):
        "A working day between 1 October and 31 May of the academic year"
        start = dt.date(year, 10, 1)
        return start + dt.timedelta(days=self.random.randint(0, 242))

    def _name(self, group, course):
        return f"{group['abbr']}-{course}1"

    def simulate(self):
        for group in self.env.progress(self.groups, desc="Движение контингента",
                unit="гр."):
            for _ in range(group['size']):
                funding = self._weighted([('budget', 75), ('contract', 20),
                        ('targeted', 5)])
                student = {'group': group, 'funding': funding, 'events': [],
                    'state': 'studying', 'course': 1}
                self._event(student, dt.date(group['admission'], 9, 1),
                    'enrolment', group=group, course=1)
                self._life(student, group)
                self.students.append(student)

    def _event(self, student, date, kind, **values):
        student.update(values)
        if kind in {'enrolment', 'reinstatement', 'leave_return'}:
            student['state'] = 'studying'
        elif kind == 'academic_leave':
            student['state'] = 'academic_leave'
        elif kind == 'expulsion':
            student['state'] = ('graduated'
                if values.get('reason') == 'graduation' else 'expelled')
        group = student['group']
        student['events'].append({
                'date': date, 'kind': kind, 'group': group,
                'group_name': self._name(group, student['course']),
                'course': student['course'], 'funding': student['funding'],
                'state': student['state'], 'reason': values.get('reason'),
                })

    def _life(self, student, group):
        random = self.random
        today = self.today
        year = group['admission']
        pending = None  # (date, kind)
        while True:
            end_of_year = dt.date(year + 1, 8, 31)
            if pending and pending[0] <= end_of_year:
                date, kind = pending
                pending = None
                if date > today:
                    break
                current = student['group']
                if kind == 'leave_return':
                    younger = self.by_cohort.get((current['college'].id,
                            current['specialty'].id, current['admission'] + 1))
                    target = younger if younger and (
                        younger['admission'] <= year) else current
                    self._event(student, date, 'leave_return', group=target,
                        course=min(target['years'], course_of(
                                target['admission'], year)))
                else:
                    self._event(student, date, 'reinstatement',
                        course=min(current['years'], course_of(
                                current['admission'], year)))
            elif student['state'] == 'studying':
                roll = random.random()
                expel = 0.07 if year == group['admission'] else 0.035
                date = self._date_in_year(year)
                if date <= today:
                    if roll < expel:
                        reason = self._weighted(EXPULSION_REASONS)
                        self._event(student, date, 'expulsion', reason=reason)
                        if reason in {'own_will', 'academic_failure'} and (
                                random.random() < 0.12):
                            pending = (date + dt.timedelta(
                                    days=random.randint(60, 200)),
                                'reinstatement')
                    elif roll < expel + 0.02:
                        self._event(student, date, 'academic_leave',
                            reason=self._weighted(LEAVE_REASONS))
                        pending = (date + dt.timedelta(
                                days=random.randint(330, 380)),
                            'leave_return')
                    elif roll < expel + 0.035:
                        funding = {'budget': 'contract', 'contract': 'budget',
                            'targeted': 'budget'}[student['funding']]
                        self._event(student, date, 'transfer',
                            funding=funding)
            following = year + 1
            current = student['group']
            if student['state'] == 'studying' and (
                    following >= current['graduation']):
                # (a student back from leave into a group that has already
                # graduated graduates at the end of this academic year)
                date = dt.date(max(current['graduation'], following), 6, 30)
                if date <= today:
                    self._event(student, date, 'expulsion',
                        reason='graduation')
                break
            if dt.date(following, 9, 1) > today:
                break
            if student['state'] == 'studying':
                self._event(student, dt.date(following, 9, 1),
                    'course_transfer', course=min(current['years'],
                        course_of(current['admission'], following)))
            elif student['state'] in {'expelled', 'graduated'} and not pending:
                break
            year = following

    # Records --------------------------------------------------------------

    def create_students(self):
        pool = self.pool
        Party = pool.get('party.party')
        Identifier = pool.get('party.identifier')
        Student = pool.get('copp.student')
        Representative = pool.get('copp.student.representative')
        Numbering = pool.get('copp.contingent.numbering')
        env = self.env
        faker = env.faker
        random = self.random
        base = 300_000_000 + random.randint(0, 100_000)
        people = []
        for index, student in enumerate(env.progress(self.students,
                    desc="Личные дела", unit="чел.")):
            group = student['group']
            age_at_entry = 15 if group['basis'] == '9' else 17
            age = age_at_entry + (self.today.year - group['admission'])
            values = person_values(env, age=(age, age + 1))
            values.pop('snils', None)
            values['snils'] = _snils(base + index * 7)
            people.append(values)
            student['person'] = values
        # Set-based inserts (bulk.py): the ORM is too slow for the region.
        party_ids = bulk.insert(Party, bulk.party_values(Party, [
                    {k: v for k, v in p.items() if k != 'snils'}
                    for p in people]))
        bulk.insert(Identifier, [{'party': party_id, 'type': 'ru_snils',
                    'code': p['snils'],
                    'code_compact': snils_validator.compact(p['snils'])}
                for party_id, p in zip(party_ids, people)])
        # Record books per college and year of enrolment.
        by_key = defaultdict(list)
        for student in self.students:
            by_key[(student['group']['college'], student['events'][0][
                        'date'].year)].append(student)
        for (college, year), students in by_key.items():
            numbers = Numbering.next_record_books(college,
                dt.date(year, 9, 1), len(students))
            for student, number in zip(students, numbers):
                student['record_book'] = number
        values = []
        for student, party_id in zip(self.students, party_ids):
            group = student['group']
            last = student['events'][-1] if student['events'] else None
            person = student['person']
            passport = random.randint(1000, 9999)
            values.append({
                    'company': group['college'].id, 'party': party_id,
                    'citizenship': '643',
                    'id_document_kind': 'passport_ru',
                    'id_document_series': f"61{random.randint(10, 24)}",
                    'id_document_number': f"{random.randint(100000, 999999)}",
                    'id_document_issuer': "УМВД России по Рязанской области",
                    'id_document_date': person['birth_date'] + dt.timedelta(
                        days=14 * 365 + random.randint(10, 200)),
                    'id_document_issuer_code': f"620-0{passport % 50:02d}",
                    'registration_address': (
                        f"Рязанская обл., {faker.city_name()}, "
                        f"{faker.street_address()}"),
                    'actual_address': f"г. Рязань, {faker.street_address()}",
                    'phone': faker.phone_number(),
                    'email': f"student{party_id}@mail.example",
                    'previous_school': (
                        f"МБОУ «Средняя школа № {random.randint(1, 75)}»"),
                    'previous_document_kind': (
                        'basic_general' if group['basis'] == '9'
                        else 'secondary_general'),
                    'previous_document_number':
                        f"0622{random.randint(10**9, 10**10 - 1)}",
                    'previous_graduation_year': group['admission'],
                    'average_mark': Decimal(str(round(random.uniform(3.2, 5.0), 2))),
                    'record_book': student['record_book'],
                    'funding': last['funding'],
                    'study_form': 'full_time',
                    'specialty': last['group']['specialty'].id,
                    'group': last['group']['id'],
                    'course': last['course'],
                    'state': last['state'],
                    })
        student_ids = bulk.insert(Student, values)
        representatives = []
        for student, student_id in zip(self.students, student_ids):
            student['id'] = student_id
            person = student['person']
            if self.today.year - person['birth_date'].year <= 18:
                last = person['last_name']
                mother = last + ('а' if person['gender'] == 'male'
                    and not last.endswith(('а', 'ая')) else '')
                representatives.append({
                        'student': student_id, 'relation': 'mother',
                        'name': f"{mother} {faker.first_name_female()} "
                        f"{faker.middle_name_female()}",
                        'phone': faker.phone_number(),
                        })
        bulk.insert(Representative, representatives)
        # Applicants of the coming admission.
        applicants = []
        for college in self.colleges:
            for _ in range(5):
                person = person_values(env, age=(15, 16))
                person.pop('snils', None)
                applicants.append(dict(person, company=college.id,
                        funding='budget', study_form='full_time'))
        Student.create([{k: v for k, v in a.items() if k != 'name'}
                for a in applicants])

    def create_orders(self):
        "Group the events into orders of the college"
        Order = self.pool.get('copp.contingent.order')
        buckets = defaultdict(list)
        for student in self.students:
            for index, event in enumerate(student['events']):
                college = student['group']['college'].id
                kind = event['kind']
                date = event['date']
                if kind == 'enrolment':
                    key = ('enrolment', college, event['group']['id'],
                        date.year)
                elif kind == 'course_transfer':
                    key = ('course_transfer', college, date.year)
                elif kind == 'expulsion' and event['reason'] == 'graduation':
                    key = ('graduation', college, date.year)
                else:
                    key = (kind, college, date.year, date.month)
                buckets[key].append((student, index))
        counters = defaultdict(int)
        plans = []
        for key in sorted(buckets, key=lambda k: (min(
                        s['events'][i]['date'] for s, i in buckets[k]),
                    str(k))):
            entries = buckets[key]
            kind = key[0]
            first = min(s['events'][i]['date'] for s, i in entries)
            if kind == 'enrolment':
                date, effective = first - dt.timedelta(days=7), first
            elif kind == 'course_transfer':
                date, effective = dt.date(first.year, 6, 30), first
            elif kind == 'graduation':
                date, effective = first - dt.timedelta(days=2), first
            else:
                date, effective = first, None
            college = key[1]
            counters[(college, date.year)] += 1
            plans.append({
                    'key': key, 'entries': entries,
                    'values': {
                        'company': college,
                        'kind': 'expulsion' if kind == 'graduation' else kind,
                        'date': date, 'effective_date': effective,
                        'number': f"{counters[(college, date.year)]}-к",
                        'state': 'signed',
                        'signed_at': dt.datetime.combine(date, dt.time(12)),
                        }})
        self.counters = counters
        chunk = 100
        for start in self.env.progress(range(0, len(plans), chunk),
                desc="Приказы", unit="×500"):
            batch = plans[start:start + chunk]
            records = Order.create([p['values'] for p in batch])
            for plan, record in zip(batch, records):
                plan['id'] = record.id
        self.orders = plans
        # The groups of the course transfer orders.
        OrderGroup = self.pool.get('copp.contingent.order.group')
        values = []
        for plan in plans:
            if plan['key'][0] != 'course_transfer':
                continue
            groups = {}
            for student, index in plan['entries']:
                event = student['events'][index]
                groups[event['group']['id']] = (event['group'],
                    event['course'])
            for group_id, (group, course) in groups.items():
                values.append({'order': plan['id'], 'group': group_id,
                        'from_course': course - 1, 'to_course': course,
                        'from_name': self._name(group, course - 1),
                        'to_name': self._name(group, course)})
        from .order import LINE_CONTEXT
        with Transaction().set_context(**{LINE_CONTEXT: True}):
            for start in range(0, len(values), 100):
                OrderGroup.create(values[start:start + 100])

    def insert_lines_and_movements(self):
        pool = self.pool
        Line = pool.get('copp.contingent.order.line')
        Movement = pool.get('copp.contingent.movement')
        cursor = Transaction().connection.cursor()
        lines, movements = [], []
        line_table = Line.__table__()
        movement_table = Movement.__table__()
        for plan in self.orders:
            for student, index in plan['entries']:
                lines.append((plan, student, index))
        # Ids follow each student's chronology: the latest movement of a day
        # is the one with the greatest id (as in Movement.update_valid_to).
        lines.sort(key=lambda l: (l[1]['events'][l[2]]['date'], l[2]))
        line_ids = bulk.reserve_ids(Line._table, len(lines))
        line_columns = ['id', 'order', 'student', 'from_group', 'from_course',
            'from_funding', 'from_state', 'to_group', 'to_group_name',
            'to_course', 'to_funding', 'date', 'expulsion_reason',
            'leave_reason', 'create_uid', 'create_date']
        movement_columns = ['student', 'company', 'date', 'kind', 'order',
            'order_line', 'document_number', 'document_date', 'from_group',
            'group', 'group_name', 'specialty', 'course', 'study_form',
            'funding', 'state', 'reason', 'from_state', 'from_specialty',
            'from_course', 'from_study_form', 'from_funding', 'valid_to',
            'create_uid', 'create_date']
        line_rows, movement_rows = [], []
        for line_id, (plan, student, index) in zip(line_ids, lines):
            events = student['events']
            event = events[index]
            previous = events[index - 1] if index else None
            following = events[index + 1] if index + 1 < len(events) else None
            values = plan['values']
            kind = values['kind']
            group = event['group']
            reason = event['reason']
            line_rows.append([line_id, plan['id'], student['id'],
                    previous['group']['id'] if previous else None,
                    previous['course'] if previous else None,
                    previous['funding'] if previous else None,
                    previous['state'] if previous else 'applicant',
                    group['id'], event['group_name'], event['course'],
                    event['funding'], event['date'],
                    reason if kind == 'expulsion' else None,
                    reason if kind == 'academic_leave' else None,
                    0, CurrentTimestamp()])
            movement_rows.append([student['id'], group['college'].id,
                    event['date'], kind, plan['id'], line_id,
                    values['number'], values['date'],
                    previous['group']['id'] if previous else None,
                    group['id'], event['group_name'],
                    group['specialty'].id, event['course'], 'full_time',
                    event['funding'], event['state'], reason,
                    previous['state'] if previous else 'applicant',
                    previous['group']['specialty'].id if previous else None,
                    previous['course'] if previous else None,
                    'full_time' if previous else None,
                    previous['funding'] if previous else None,
                    following['date'] if following else None,
                    0, CurrentTimestamp()])
        chunk = 400
        for start in self.env.progress(range(0, len(line_rows), chunk),
                desc="Строки приказов и движение", unit="×400"):
            cursor.execute(*line_table.insert(
                    [getattr(line_table, c) for c in line_columns],
                    line_rows[start:start + chunk]))
            cursor.execute(*movement_table.insert(
                    [getattr(movement_table, c) for c in movement_columns],
                    movement_rows[start:start + chunk]))
        self.movement_count = len(movement_rows)

    def numbering(self):
        "Continue the order registers after the demo orders"
        pool = self.pool
        Numbering = pool.get('copp.contingent.numbering')
        Company = pool.get('company.company')
        for (college, year), count in self.counters.items():
            sequence = Numbering._sequence(Company(college), 'order', year)
            Numbering._take(sequence, count, dt.date(year, 1, 1))

