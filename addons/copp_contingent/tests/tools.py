"Helpers for the tests of copp_contingent (and of the modules built on it)"
import datetime as dt

from trytond.pool import Pool

from copp.tests.tools import create_college

D = dt.date
# Valid СНИЛС numbers
SNILS = ['945-807-302 33', '157-368-193 00', '036-426-212 33',
    '997-220-033 31', '224-538-323 54', '640-562-241 68', '549-909-514 49',
    '547-527-720 17']


def federal_specialty(code='09.02.07'):
    pool = Pool()
    Specialty = pool.get('copp.specialty')
    specialty, = Specialty.search([
            ('code', '=', code), ('company', '=', None)])
    return specialty


def create_group(college, name, admission_year, course=1,
        code='09.02.07', study_form='full_time', basis='9', **values):
    pool = Pool()
    Group = pool.get('copp.study.group')
    group, = Group.create([dict({
                    'name': name, 'company': college.id,
                    'specialty': federal_specialty(code).id,
                    'study_form': study_form, 'basis': basis,
                    'admission_year': admission_year, 'course': course,
                    }, **values)])
    return group


def create_applicants(college, names, funding='budget'):
    "Applicants named «Фамилия Имя Отчество»"
    pool = Pool()
    Student = pool.get('copp.student')
    values = []
    for i, name in enumerate(names):
        last, first, *middle = name.split()
        values.append({
                'company': college.id,
                'last_name': last, 'first_name': first,
                'patronymic': middle[0] if middle else None,
                'birth_date': dt.date(2008, 1, 1) + dt.timedelta(days=i),
                'gender': 'female' if last.endswith('а') else 'male',
                'funding': funding,
                })
    return Student.create(values)


def order(college, kind, date, lines, groups=None, sign=True, **values):
    """Create (and sign) an order; lines are dicts of line values with
    'student' as a record"""
    pool = Pool()
    Order = pool.get('copp.contingent.order')
    line_values = []
    for line in lines:
        line = dict(line)
        for key in ['student', 'to_group']:
            if key in line and hasattr(line[key], 'id'):
                line[key] = line[key].id
        line_values.append(line)
    order_values = dict({
            'company': college.id, 'kind': kind, 'date': date,
            'lines': [('create', line_values)],
            }, **values)
    if groups:
        order_values['groups'] = [('create', [
                    {'group': g.id, 'to_name': name}
                    for g, name in groups])]
    record, = Order.create([order_values])
    if sign:
        Order.sign([record])
    return record


def contingent(date, from_date=None, company=None, model='copp.contingent.report'):
    "Rows of a contingent report on date as dicts without zero rows"
    pool = Pool()
    Report = pool.get(model)
    from trytond.transaction import Transaction
    context = {'date': date, 'from_date': from_date or date}
    if company:
        context['company'] = company.id
    with Transaction().set_context(**context):
        records = Report.search([])
        return records


def history():
    """A small history of college «Колледж А», signed order by order (the
    docstring of test_report.test_contingent_on_date tells it): returns
    college, (g1, g2, g3), (a1, … a5), {order key: order}"""
    college = create_college("Колледж А", "КА")
    g1 = create_group(college, "ИСП-11", 2024)
    g2 = create_group(college, "ИСП-12", 2024)
    g3 = create_group(college, "Б-11", 2024, code='38.02.01',
        study_form='extramural')
    a1, a2, a3, a4, a5 = create_applicants(college, [
            "Антонова Анна Игоревна", "Борисов Борис Олегович",
            "Власова Вера Павловна", "Глебов Глеб Ильич",
            "Дарьина Дарья Петровна"])
    Student = Pool().get('copp.student')
    Student.write([a1, a3, a5], {'gender': 'female'})
    Student.write([a2, a4], {'gender': 'male'})
    o = {}
    o['E1'] = order(college, 'enrolment', D(2024, 8, 25), [
            {'student': a1, 'to_group': g1, 'to_funding': 'budget'},
            {'student': a2, 'to_group': g1, 'to_funding': 'budget'},
            {'student': a3, 'to_group': g1, 'to_funding': 'budget'},
            {'student': a4, 'to_group': g1, 'to_funding': 'contract'},
            ], effective_date=D(2024, 9, 1))
    o['E2'] = order(college, 'enrolment', D(2024, 8, 26), [
            {'student': a5, 'to_group': g3, 'to_funding': 'budget'}],
        effective_date=D(2024, 9, 1))
    o['T1'] = order(college, 'transfer', D(2024, 11, 15), [
            {'student': a3, 'to_group': g2}])
    o['L1'] = order(college, 'academic_leave', D(2025, 2, 1), [
            {'student': a2, 'leave_reason': 'medical',
                'leave_end_date': D(2026, 1, 31)}])
    o['X1'] = order(college, 'expulsion', D(2025, 3, 1), [
            {'student': a4, 'expulsion_reason': 'own_will'}])
    o['C1'] = order(college, 'course_transfer', D(2025, 6, 30), [
            {'student': a1}, {'student': a3}],
        groups=[(g1, "ИСП-21"), (g2, "ИСП-22")],
        effective_date=D(2025, 9, 1))
    o['R1'] = order(college, 'leave_return', D(2025, 10, 1), [
            {'student': a2, 'to_group': g1}])
    o['V1'] = order(college, 'reinstatement', D(2025, 12, 1), [
            {'student': a4, 'to_group': g2, 'to_funding': 'contract'}])
    o['T2'] = order(college, 'transfer', D(2026, 1, 15), [
            {'student': a3, 'to_funding': 'contract'}])
    return college, (g1, g2, g3), (a1, a2, a3, a4, a5), o


__all__ = ['create_college', 'federal_specialty', 'create_group',
    'create_applicants', 'order', 'contingent', 'history', 'SNILS']
