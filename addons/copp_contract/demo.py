"""Demo data of paid education: a contract for every contract-funded student
of the demo colleges (made by copp_contingent's demo, which runs before),
their schedules, the charges of the past periods and payments — most paid on
time, some partly, some not at all (the debtors)."""
import datetime as dt
from decimal import Decimal

PRICES = [Decimal(p) for p in ('58000', '64000', '72000', '78000', '86000',
        '94000')]


def populate(env):
    pool = env.pool
    Student = pool.get('copp.student')
    Contract = pool.get('copp.contract')
    Charge = pool.get('copp.contract.charge')
    Payment = pool.get('copp.contract.payment')
    Party = pool.get('party.party')
    Representative = pool.get('copp.student.representative')
    rnd = env.random
    today = env.today
    year = today.year if today.month >= 9 else today.year - 1
    start, end = dt.date(year, 9, 1), dt.date(year + 1, 6, 30)

    students = Student.search([
            ('funding', '=', 'contract'),
            ('state', 'in', ['studying', 'academic_leave', 'expelled']),
            ], order=[('company', 'ASC'), ('id', 'ASC')])
    if not students:
        env.count("Договоры на платное обучение", 0)
        return
    representatives = {}
    for representative in Representative.search([
                ('student', 'in', [s.id for s in students])],
            order=[('id', 'ASC')]):
        representatives.setdefault(representative.student.id,
            representative)
    # A few employers pay for their future staff.
    companies = sorted({s.company for s in students}, key=lambda c: c.id)
    employers = {}
    for company in companies:
        employers[company.id] = Party.create([{
                    'name': env.faker.company(),
                    'inn': env.faker.businesses_inn(),
                    'kpp': env.faker.kpp(),
                    } for _ in range(2)])
    # The parties of the paying representatives, in one create.
    paying = [s for s in students if s.id in representatives
        and rnd.random() < 0.6]
    rep_parties = Party.create([{'name': representatives[s.id].name}
            for s in paying])
    rep_party = {s.id: p for s, p in zip(paying, rep_parties)}

    values = []
    for student in env.progress(students, desc="Договоры"):
        if not student.specialty:
            continue
        price = rnd.choice(PRICES)
        kind = 'month' if rnd.random() < 0.3 else 'term'
        draw = rnd.random()
        if student.id in rep_party:
            payer_kind, payer = 'representative', rep_party[student.id]
        elif draw < 0.08:
            payer_kind = 'organization'
            payer = rnd.choice(employers[student.company.id])
        else:
            payer_kind, payer = 'student', student.party
        contract = Contract(company=student.company, student=student,
            start_date=start, end_date=end, total_amount=price,
            schedule_kind=kind)
        state = 'terminated' if student.state == 'expelled' else 'signed'
        values.append({
                'company': student.company.id,
                'date': start - dt.timedelta(days=rnd.randint(5, 40)),
                'student': student.id,
                'payer_kind': payer_kind,
                'representative': (representatives[student.id].id
                    if payer_kind == 'representative' else None),
                'payer': payer.id,
                'subject': 'specialty',
                'specialty': student.specialty.id,
                'start_date': start,
                'end_date': end,
                'total_amount': price,
                'schedule_kind': kind,
                'schedule': [('create', contract._schedule_values())],
                'state': state,
                'signed_date': start - dt.timedelta(days=rnd.randint(1, 5)),
                'termination_date': (today - dt.timedelta(
                        days=rnd.randint(1, 30))
                    if state == 'terminated' else None),
                })
    contracts = Contract.create(values)
    env.count("Договоры на платное обучение", len(contracts))

    charges = Charge.generate(date=today, contracts=[
            c for c in contracts if c.state == 'signed'])
    env.count("Начисления", len(charges))
    payments = []
    for charge in charges:
        draw = rnd.random()
        if draw < 0.78:
            amount = charge.amount
        elif draw < 0.9:
            amount = (charge.amount / 2).quantize(Decimal('0.01'))
        else:
            continue  # not paid: a debtor
        date = min(charge.date + dt.timedelta(days=rnd.randint(0, 12)),
            today)
        payments.append({
                'company': charge.company.id,
                'contract': charge.contract.id,
                'date': date,
                'amount': amount,
                'number': str(rnd.randint(1000, 99999)),
                'payer_name': charge.contract.payer.rec_name,
                'origin': 'manual',
                })
    Payment.create(payments)
    env.count("Оплаты", len(payments))
