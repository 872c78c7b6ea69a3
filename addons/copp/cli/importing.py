"copp import KIND FILE: run an importer that a module offers"
from pathlib import Path

from . import database
from .errors import CoppError
from .progress import bar


def run(settings, kind, path, importers):
    if kind not in importers:
        raise CoppError(f"Неизвестный вид импорта «{kind}». Доступны: "
            f"{', '.join(sorted(importers)) or 'нет'}.")
    path = Path(path)
    if not path.is_file():
        raise CoppError(f"Файл «{path}» не найден.")
    settings.apply()
    database.require(settings)
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool(settings.database)
    pool.init()
    with Transaction().start(settings.database, 0,
            context={'language': 'ru'}):
        # The importer raises on the first bad row: nothing is committed.
        message = importers[kind](Pool(), path, bar)
    print(message)
