"""copp demo: realistic Russian demo data, contributed by every module.

Registration mechanism: a module of the suite that has a submodule `demo`
with a function `populate(env)` takes part. They run in the order of the
module dependency graph, so copp_contingent finds the colleges that copp made.
"""
import datetime as dt
import importlib
import random

from . import database
from .errors import CoppError
from .progress import bar

SCALES = {
    # scale: (colleges, students, employers, events)
    'small': {'colleges': 5, 'students': 1500, 'employers': 50, 'events': 30},
    'region': {'colleges': 35, 'students': 30000, 'employers': 500,
        'events': 100},
    }


class DemoEnv:
    "What each module's populate(env) receives"

    def __init__(self, pool, scale, seed=2026):
        from faker import Faker
        self.pool = pool
        self.scale = scale
        self.size = SCALES[scale]
        self.random = random.Random(seed)
        self.faker = Faker('ru_RU')
        self.faker.seed_instance(seed)
        self.today = dt.date.today()
        self.users = []  # (role, login, password, institution)
        self.notes = []  # printed under the users table
        self.summary = []  # (what, count)

    def progress(self, iterable=None, total=None, desc='', unit='шт.'):
        return bar(iterable, total=total, desc=desc, unit=unit)

    def add_user(self, role, login, password, institution=''):
        self.users.append((role, login, password, institution))

    def add_note(self, text):
        "A line printed (and kept) under the users table"
        self.notes.append(text)

    def count(self, what, number):
        self.summary.append((what, number))


def demo_modules(pool):
    "Activated modules that have a demo, in dependency order"
    from trytond.modules import create_graph, get_modules
    Module = pool.get('ir.module')
    activated = {m.name for m in Module.search([('state', '=', 'activated')])}
    graph = create_graph(activated & set(get_modules()))
    ordered = []
    for node in graph:
        name = node.name
        try:
            module = importlib.import_module(f'{name}.demo')
        except ModuleNotFoundError as exc:
            if exc.name in {name, f'{name}.demo'}:
                continue
            raise
        if hasattr(module, 'populate'):
            ordered.append((name, module))
    return ordered


def run(settings, scale, if_empty=False):
    if scale not in SCALES:
        raise CoppError(
            f"Неизвестный масштаб «{scale}»: возможны small или region.")
    settings.apply()
    database.require(settings)
    from trytond import backend
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    pool = Pool(settings.database)
    pool.init()
    with Transaction().start(settings.database, 0,
            context={'language': 'ru'}) as transaction:
        pool = Pool()
        Company = pool.get('company.company')
        if Company.search([], limit=1):
            if if_empty:
                print(f"В базе «{settings.database}» уже есть данные: "
                    "демо-данные не загружаются.")
                _print_saved_report(settings)
                return None
            raise CoppError(
                f"В базе «{settings.database}» уже есть учреждения: "
                "демо-данные загружаются только в новую базу "
                "(copp init с другим именем базы, параметр -d).")
        env = DemoEnv(pool, scale)
        modules = demo_modules(pool)
        for name, module in modules:
            print(f"Демо-данные модуля {name}…")
            module.populate(env)
        # Data loaded in bulk by SQL gets its first version (restorable)
        from copp.history import record_missing_versions
        record_missing_versions()
        transaction.commit()
    if backend.name == 'postgresql':
        # No dead rows and fresh statistics after the bulk load, or the
        # planner guesses row counts of tables that were empty.
        print("Очистка и статистика PostgreSQL (VACUUM ANALYZE)…")
        database.vacuum_analyze(settings)
    _print_report(env, settings)
    return env


def report_path(settings):
    "Where the users table of a database's demo is kept (var/, not in git)"
    return settings.base / 'var' / f'demo-users-{settings.database}.txt'


def _print_report(env, settings=None):
    if env.summary:
        print("\nСоздано:")
        width = max(len(w) for w, _ in env.summary)
        for what, number in env.summary:
            print(f"  {what.ljust(width)}  {number:>8}")
    if env.users:
        lines = ["Пользователи для входа (демо-пароли):"]
        headers = ("Роль", "Логин", "Пароль", "Учреждение")
        rows = [headers] + [tuple(map(str, u)) for u in env.users]
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        for row in rows:
            lines.append('  ' + '  '.join(
                    c.ljust(w) for c, w in zip(row, widths)).rstrip())
        lines += ['  ' + note for note in env.notes]
        text = '\n'.join(lines) + '\n'
        print('\n' + text, end='')
        if settings is not None:
            path = report_path(settings)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding='utf-8')


def _print_saved_report(settings):
    "The users table of the demo loaded earlier into this database"
    path = report_path(settings)
    if path.is_file():
        print('\n' + path.read_text(encoding='utf-8'), end='')
    else:
        print("Таблица демо-пользователей не сохранилась (база заполнена "
            "не командой copp demo или в другом каталоге); их пароли — "
            "<логин>-demo-2026, например uch1 / uch1-demo-2026.")
