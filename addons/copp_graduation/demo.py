"""Demo graduation: for every demo college the latest graduated group (its
graduation order was signed by the contingent's demo) gets its ГИА with
results, blanks received, diplomas drafted from the journal and issued
(some with honours, one duplicate), and the employment statuses of its
graduates at both checkpoints. Small numbers: everything goes through the
ORM."""
import datetime as dt
from decimal import Decimal

from trytond.transaction import Transaction

STATUS_WEIGHTS = [('employed', 55), ('self_employed', 8), ('study', 15),
    ('army', 10), ('maternity', 4), ('unemployed', 8)]


def _pick(rng, weights):
    total = sum(w for _, w in weights)
    value = rng.uniform(0, total)
    for item, weight in weights:
        value -= weight
        if value <= 0:
            return item
    return weights[-1][0]


def populate(env):
    pool = env.pool
    Company = pool.get('company.company')
    Student = pool.get('copp.student')
    colleges = Company.search([('institution_kind', '=', 'college')],
        order=[('id', 'ASC')])
    counts = {'attestations': 0, 'documents': 0, 'employment': 0}
    for college in colleges:
        graduates = Student.search([
                ('company', '=', college.id), ('state', '=', 'graduated'),
                ], order=[('id', 'DESC')])
        if not graduates:
            continue
        with Transaction().set_context(company=college.id):
            _college(env, college, graduates, counts)
    env.count("Государственная итоговая аттестация (группы)",
        counts['attestations'])
    env.count("Документы об образовании", counts['documents'])
    env.count("Сведения о трудоустройстве выпускников",
        counts['employment'])


def _college(env, college, graduates, counts):
    pool = env.pool
    Movement = pool.get('copp.contingent.movement')
    Attestation = pool.get('copp.graduation.attestation')
    Line = pool.get('copp.graduation.attestation.line')
    Batch = pool.get('copp.graduation.blank.batch')
    Document = pool.get('copp.graduation.document')
    DocumentLine = pool.get('copp.graduation.document.line')
    Employment = pool.get('copp.graduation.employment')
    rng = env.random
    # the latest graduation of the college and its group
    movements = Movement.search([
            ('student', 'in', [s.id for s in graduates]),
            ('state', '=', 'graduated'),
            ], order=[('date', 'DESC'), ('id', 'DESC')])
    if not movements:
        return
    latest = movements[0]
    group = latest.from_group or latest.group
    if not group:
        return
    date = latest.date
    students = [m.student for m in movements if m.date == date
        and (m.from_group or m.group) == group]
    attestation, = Attestation.create([{
                'company': college.id, 'group': group.id, 'form': 'both',
                'date_from': date - dt.timedelta(days=14),
                'date_to': date - dt.timedelta(days=1),
                'chairman': env.faker.name(),
                'commission': '\n'.join(env.faker.name() for _ in range(4)),
                }])
    Line.create([{'attestation': attestation.id, 'student': s.id}
            for s in students])
    attestation = Attestation(attestation.id)
    Line.update_admission(list(attestation.lines))
    excellent = set()
    for line in Attestation(attestation.id).lines:
        # they graduated: admitted, with a positive result
        good = rng.random() < 0.3
        if good:
            excellent.add(line.student.id)
        line.admitted = True
        line.debts = 0
        line.demo_grade = '5' if good else rng.choice(['5', '4', '4', '3'])
        line.thesis_grade = '5' if good else rng.choice(['5', '4', '3'])
        line.demo_score = Decimal(rng.randint(60, 100))
        line.demo_level = rng.choice(['basic', 'profile'])
        line.thesis_topic = "Разработка информационной системы " + \
            env.faker.company()
        line.save()
    Attestation.done([attestation])
    counts['attestations'] += 1

    year = date.year
    Batch.receive(Batch.create([
                {'company': college.id, 'kind': 'diploma',
                    'series': '1162' + f'{college.id % 100:02d}',
                    'number_from': f'{year % 100:02d}00001',
                    'number_to': f'{year % 100:02d}00060', 'date': date
                    - dt.timedelta(days=60), 'reference': "Накладная № 14"},
                {'company': college.id, 'kind': 'diploma_honours',
                    'series': '1163' + f'{college.id % 100:02d}',
                    'number_from': f'{year % 100:02d}00001',
                    'number_to': f'{year % 100:02d}00040', 'date': date
                    - dt.timedelta(days=60), 'reference': "Накладная № 14"},
                ]))
    _curriculum(pool, group)
    documents = Attestation.draft_documents([attestation])
    # the demo journal keeps only recent terms: the supplement lines the
    # sheets did not grade get a grade, «отлично» for the best students
    # (the best: excellent at the ГИА and no grade below «хорошо» in
    # their sheets)
    to_write = []
    for document in documents:
        best = document.student.id in excellent and all(
            l.grade in {None, '5', '4', 'pass'} for l in document.lines)
        for line in document.lines:
            if line.grade is None:
                grade = '5' if best else rng.choice(['5', '4', '4', '3'])
                to_write.extend([[line], {'grade': grade}])
    if to_write:
        DocumentLine.write(*to_write)
    Document.update_honours(documents)
    for document in documents:
        document.issue_date = date
        if document.targeted:
            # the contract of targeted training, as the ФРДО wants it
            customer = env.faker.company()
            ogrn = env.faker.businesses_ogrn()
            kpp = env.faker.kpp()
            document.targeted_number = f"ЦО-{rng.randint(1, 300)}"
            document.targeted_date = dt.date(
                document.admission_year or year - 4, 8, 20)
            document.targeted_org = customer
            document.targeted_ogrn = ogrn
            document.targeted_kpp = kpp
            document.employer_name = customer
            document.employer_ogrn = ogrn
            document.employer_kpp = kpp
            document.employer_region = "Рязанская область"
    Document.save(documents)
    Document.issue(documents)
    counts['documents'] += len(documents)
    if documents:
        duplicate, = Document.draft_duplicates([documents[0]])
        duplicate.issue_date = min(env.today, date + dt.timedelta(days=90))
        duplicate.save()
        Document.issue([duplicate])
        counts['documents'] += 1

    values = []
    for student in students:
        first = _pick(rng, STATUS_WEIGHTS)
        second = first if rng.random() < 0.7 else _pick(rng, STATUS_WEIGHTS)
        for checkpoint, status in [('december', first), ('april', second)]:
            employed = status in {'employed', 'self_employed'}
            values.append({
                    'company': college.id, 'student': student.id,
                    'specialty': group.specialty.id,
                    'graduation_year': year, 'checkpoint': checkpoint,
                    'status': status,
                    'by_specialty': status == 'employed'
                    and rng.random() < 0.7,
                    'employer': env.faker.company() if employed else None,
                    })
    Employment.create(values)
    counts['employment'] += len(values)


def _curriculum(pool, group):
    """The demo journal has curricula for the groups it teaches: a
    graduated group without one gets a copy of its specialty's latest, so
    that its diplomas have a supplement"""
    Curriculum = pool.get('copp.journal.curriculum')
    if Curriculum.find(group):
        return
    models = Curriculum.search([
            ('company', '=', group.company.id),
            ('specialty', '=', group.specialty.id),
            ('study_form', '=', group.study_form),
            ], order=[('admission_year', 'DESC'), ('id', 'DESC')], limit=1)
    if models:
        Line = pool.get('copp.journal.curriculum.line')
        curriculum, = Curriculum.copy(models, default={
                'admission_year': group.admission_year,
                'basis': group.basis,
                'name': f"{group.specialty.code} {group.admission_year}",
                'lines': None,
                })
        # (the link of a line to its module would point to the model's)
        Line.copy(models[0].lines, default={
                'curriculum': curriculum.id, 'parent': None})
