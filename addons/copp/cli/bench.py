"""copp bench NAME: run a benchmark of scripts/bench/ against a database.

A benchmark is a Python file scripts/bench/NAME.py with:
    DESCRIPTION = "…"
    def setup(ctx): ...            # optional; returns a state object
    def measured(ctx, state): ...  # the work through the suite's code
    def baseline(ctx, state): ...  # the same work in hand-written SQL
    GOAL_RATIO = 1.5               # optional: measured / baseline goal
    GOAL_SECONDS = 1.0             # optional: absolute goal of the median
Both are repeated alternately in one transaction (rolled back at the end) and
the medians and their ratio are printed. Benchmarks are never timed tests.
"""
import importlib.util
import statistics
import time

from . import database
from .config import repo_root
from .errors import CoppError


class BenchContext:
    def __init__(self, settings, pool, transaction):
        self.settings = settings
        self.pool = pool
        self.transaction = transaction

    @property
    def cursor(self):
        return self.transaction.connection.cursor()


def bench_dir():
    return repo_root() / 'scripts' / 'bench'


def available():
    return sorted(p.stem for p in bench_dir().glob('*.py')
        if not p.stem.startswith('_'))


def load(name):
    path = bench_dir() / f'{name}.py'
    if not path.is_file():
        raise CoppError(f"Нет бенчмарка «{name}». Есть: "
            f"{', '.join(available()) or 'никаких'}.")
    spec = importlib.util.spec_from_file_location(f'copp_bench_{name}', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _time(func, *args):
    start = time.perf_counter()
    func(*args)
    return time.perf_counter() - start


def run(settings, name, repeat=7, warmup=1):
    module = load(name)
    settings.apply()
    database.require(settings)
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool(settings.database)
    pool.init()
    with Transaction().start(settings.database, 0,
            context={'language': 'ru'}) as transaction:
        ctx = BenchContext(settings, Pool(), transaction)
        state = module.setup(ctx) if hasattr(module, 'setup') else None
        for _ in range(warmup):
            module.measured(ctx, state)
            module.baseline(ctx, state)
        measured, baseline = [], []
        for _ in range(repeat):
            measured.append(_time(module.measured, ctx, state))
            baseline.append(_time(module.baseline, ctx, state))
        transaction.rollback()
    result = report(name, module, measured, baseline, settings)
    return result


def report(name, module, measured, baseline, settings):
    m, b = statistics.median(measured), statistics.median(baseline)
    ratio = m / b if b else float('inf')
    print(f"Бенчмарк {name} ({settings.backend}, база «{settings.database}»): "
        f"{getattr(module, 'DESCRIPTION', '')}")
    print(f"  через модули ГИС ЦОПП: медиана {m * 1000:9.2f} мс "
        f"(мин. {min(measured) * 1000:.2f}, повторов {len(measured)})")
    print(f"  базовая линия (SQL):   медиана {b * 1000:9.2f} мс "
        f"(мин. {min(baseline) * 1000:.2f})")
    verdict = []
    goal_ratio = getattr(module, 'GOAL_RATIO', None)
    if goal_ratio:
        verdict.append(f"цель ≤ {goal_ratio}× — "
            + ("выполнена" if ratio <= goal_ratio else "НЕ выполнена"))
    goal_seconds = getattr(module, 'GOAL_SECONDS', None)
    if goal_seconds:
        verdict.append(f"цель ≤ {goal_seconds} с — "
            + ("выполнена" if m <= goal_seconds else "НЕ выполнена"))
    print(f"  отношение: {ratio:.2f}×" + (
            f" ({'; '.join(verdict)})" if verdict else ''))
    return {'measured': m, 'baseline': b, 'ratio': ratio}
