"copp serve: trytond with the sao web client"
import os
import shutil
import sys
from pathlib import Path

from . import database
from .errors import CoppError


def run(settings, extra_args=()):
    runtime = settings.apply()
    database.require(settings)
    root = Path(settings.parser.get('web', 'root', fallback=''))
    if not (root / 'index.html').is_file():
        raise CoppError(
            f"Веб-клиент sao не установлен в «{root}». "
            "Выполните: scripts/install-sao.sh")
    trytond = shutil.which('trytond')
    if not trytond:
        raise CoppError("Команда trytond не найдена: выполните pip install -e .")
    print(f"ГИС ЦОПП: http://{settings.listen} (база «{settings.database}», "
        "остановка — Ctrl+C)", flush=True)
    # -d preloads the pool; trytond 8.0.12 fails every login without it.
    args = [trytond, '-c', str(runtime), '-d', settings.database,
        *extra_args]
    sys.stdout.flush()
    os.execv(trytond, args)
