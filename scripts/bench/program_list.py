"""The programs list as a college clerk sees it in the back office.

Measured: copp.program search_read through the ORM as a college user, with
access checks and the record rules of the college (what sao's list asks).
Baseline: the same rows fetched with hand-written SQL filtered by company.
"""
from trytond.transaction import Transaction, check_access

DESCRIPTION = "список программ ЦОПП глазами сотрудника колледжа (ORM + правила) против SQL"
# One page of sao (its default limit is 1 000 rows).
LIMIT = 1000
GOAL_SECONDS = 0.5
FIELDS = ['name', 'kind', 'hours', 'format', 'free', 'price', 'company',
    'state']


def setup(ctx):
    pool = ctx.pool
    User = pool.get('res.user')
    Program = pool.get('copp.program')
    Company = pool.get('company.company')
    colleges = Company.search([('institution_kind', '=', 'college')],
        order=[('id', 'ASC')])
    if not colleges:
        raise SystemExit("Нет колледжей: сначала copp demo")
    college = colleges[0]
    # Enough rows to measure: 2 000 programs per college in this transaction
    # (rolled back by the runner).
    values = []
    for company in colleges:
        for i in range(2000):
            values.append({'name': f"Программа {i}", 'kind': 'advanced',
                    'hours': 16 + i % 200, 'format': 'onsite', 'free': True,
                    'company': company.id, 'state': 'published'})
    Program.create(values)
    ModelData = pool.get('ir.model.data')
    # By the group's XML id: its name is translated in a Russian database
    admins = ModelData.get_id('copp', 'group_college_admin')
    users = User.search([('company', '=', college.id),
            ('groups', '=', admins)], limit=1)
    if not users:
        raise SystemExit("Нет администратора колледжа: сначала copp demo")
    return {'user': users[0].id, 'company': college.id}


def measured(ctx, state):
    Program = ctx.pool.get('copp.program')
    with Transaction().set_user(state['user']), \
            Transaction().set_context(company=state['company']), \
            check_access():
        rows = Program.search_read([], fields_names=FIELDS,
            order=[('name', 'ASC'), ('id', 'ASC')], limit=LIMIT)
    assert rows


def baseline(ctx, state):
    cursor = ctx.cursor
    cursor.execute(
        'SELECT id, name, kind, hours, format, free, price, company, state '
        'FROM copp_program WHERE company = %s ORDER BY name, id LIMIT 1000'
        .replace('%s', '?' if ctx.settings.backend == 'sqlite' else '%s'),
        (state['company'],))
    rows = cursor.fetchall()
    assert rows
