"Helpers for the tests of copp_contingent (and of the modules built on it)"
import datetime as dt

from trytond.pool import Pool

from copp.tests.tools import create_college


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


__all__ = ['create_college', 'federal_specialty', 'create_group',
    'create_applicants', 'order', 'contingent']
