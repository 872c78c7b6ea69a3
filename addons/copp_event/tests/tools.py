"Helpers for the tests of copp_event (used by copp_survey too)"
import datetime as dt

from trytond.pool import Pool

from copp.tests.tools import create_college as _create_college


def create_college(name, short_name=None, kind='college'):
    """A company of the given institution kind that the administrator
    (user 1, who runs the tests) works with"""
    pool = Pool()
    User = pool.get('res.user')
    company = _create_college(name, short_name, kind=kind)
    admins = User.search([('login', '=', 'admin')])
    if admins:
        User.write(admins, {
                'companies': [('add', [company.id])],
                'company_filter': 'all',
                })
    return company


def create_event(company, name="День открытых дверей", capacity=None,
        waiting_list=True, days=5, sessions=1, publish=True, **values):
    """A published event of `company` whose sessions start `days` days from
    now (negative: in the past), one per day, 10:00–12:00 UTC"""
    pool = Pool()
    Event = pool.get('copp.event')
    start = (dt.datetime.now() + dt.timedelta(days=days)).replace(
        hour=10, minute=0, second=0, microsecond=0)
    session_values = [{
            'start': start + dt.timedelta(days=i),
            'end': start + dt.timedelta(days=i, hours=2),
            'name': f"День {i + 1}" if sessions > 1 else None,
            } for i in range(sessions)]
    values = dict({
            'name': name,
            'kind': 'open_day',
            'company': company.id,
            'venue_kind': 'college',
            'venue_company': company.id,
            'venue_room': "Мастерская «Сварочные технологии»",
            'capacity': capacity,
            'waiting_list': waiting_list,
            'audience': ('schoolchildren', 'adults'),
            'sessions': [('create', session_values)],
            }, **values)
    event, = Event.create([values])
    if publish:
        Event.publish([event])
    return event


def adult(last_name="Иванов", first_name="Пётр", email=None, **values):
    return dict({
            'last_name': last_name,
            'first_name': first_name,
            'birth_date': dt.date(1990, 5, 17),
            'category': 'adult',
            'email': email or f'{last_name.lower()}@example.com',
            'phone': '+7 910 000-00-00',
            'consent': True,
            'consent_by': 'participant',
            'source': 'portal',
            }, **values)


def child(last_name="Смирнова", first_name="Анна", **values):
    today = dt.date.today()
    return dict({
            'last_name': last_name,
            'first_name': first_name,
            'birth_date': today.replace(year=today.year - 14),
            'category': 'schoolchild',
            'email': f'{last_name.lower()}@example.com',
            'representative_name': "Смирнова Ольга Ивановна",
            'representative_relation': 'mother',
            'representative_phone': '+7 910 111-11-11',
            'consent': True,
            'consent_by': 'representative',
            'source': 'portal',
            }, **values)


__all__ = ['create_college', 'create_event', 'adult', 'child']


class ActivatedMenusMixin:
    """Keep in the portal's navigation only the entries of the modules
    activated in the test database.

    The suite's packages register their menu entries when imported, but a
    test database activates only some modules: copp_portal's `menu()` then
    fails on the label of a module that is not activated (KeyError of
    ir.message). Production databases activate every module."""

    @classmethod
    def setUpClass(cls):
        from trytond.tests.test_tryton import DB_NAME
        from trytond.transaction import Transaction

        from copp_portal import portal
        super().setUpClass()
        cls._saved_menus = {k: list(v) for k, v in portal._menus.items()}
        with Transaction().start(DB_NAME, 0):
            Module = Pool().get('ir.module')
            activated = {m.name for m in Module.search([
                        ('state', '=', 'activated')])}
        for entries in portal._menus.values():
            entries[:] = [e for e in entries
                if e[2].split('.')[0] in activated]

    @classmethod
    def tearDownClass(cls):
        from copp_portal import portal
        for area, entries in cls._saved_menus.items():
            portal._menus[area] = entries
        super().tearDownClass()
