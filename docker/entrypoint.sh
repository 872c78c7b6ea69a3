#!/usr/bin/env bash
# Точка входа образа ГИС ЦОПП (server, cron, worker).
#
# 1. Ждёт PostgreSQL из TRYTOND_DATABASE__URI (до COPP_DB_WAIT_TIMEOUT секунд, 60).
# 2. Если база не инициализирована (нет базы или модуль copp не активирован),
#    выполняет `copp init --no-input` (он же создаёт базу). Проверка и инициализация идут
#    под advisory-блокировкой PostgreSQL, поэтому одновременно стартующие
#    server, cron и worker не инициализируют базу дважды: остальные дождутся
#    первого и увидят готовую базу.
# 3. exec "$@" — запускает команду контейнера (по умолчанию gunicorn).
#
# Переменные:
#   TRYTOND_DATABASE__URI   postgresql://user:password@host:5432/ (обязательна
#                           для ожидания и инициализации; иначе шаги 1–2 пропускаются)
#   COPP_DATABASE, TRYTOND_COPP__DATABASE  имя базы (по умолчанию copp)
#   COPP_DB_WAIT_TIMEOUT    сколько секунд ждать PostgreSQL (60)
#   COPP_AUTO_INIT          1 — инициализировать базу при старте (по умолчанию), 0 — нет
#   COPP_ADMIN_PASSWORD     пароль пользователя admin для `copp init`
set -euo pipefail

log() { printf '[copp-entrypoint] %s\n' "$*" >&2; }

# Имя базы — как его определяет команда copp: COPP_DATABASE,
# затем [copp] database (TRYTOND_COPP__DATABASE), по умолчанию copp.
export COPP_DATABASE_NAME="${COPP_DATABASE:-${TRYTOND_COPP__DATABASE:-copp}}"
export COPP_DB_WAIT_TIMEOUT="${COPP_DB_WAIT_TIMEOUT:-60}"
COPP_AUTO_INIT="${COPP_AUTO_INIT:-1}"

if [[ $# -eq 0 ]]; then
    log "Не задана команда запуска."
    exit 64
fi

# Общий помощник на Python: работает с PostgreSQL через psycopg,
# строит строку подключения так же, как trytond (URI с путём /<база>).
copp_db() {
    python - "$@" <<'PY'
import os
import subprocess
import sys
import time
from urllib.parse import urlparse

import psycopg
from psycopg import errors


def log(message):
    print(f'[copp-entrypoint] {message}', file=sys.stderr, flush=True)


URI = urlparse(os.environ['TRYTOND_DATABASE__URI'])
DB_NAME = os.environ['COPP_DATABASE_NAME']
LOCK_KEY = f'copp-init:{DB_NAME}'


def conninfo(name):
    return URI._replace(scheme='postgresql', path='/' + name).geturl()


def connect(name, **kwargs):
    return psycopg.connect(
        conninfo(name), connect_timeout=5,
        application_name='copp-entrypoint', **kwargs)


def connect_maintenance():
    # База для служебного подключения: postgres, а если её нет — template1.
    try:
        return connect('postgres', autocommit=True)
    except psycopg.OperationalError as exc:
        if 'does not exist' not in str(exc):
            raise
        return connect('template1', autocommit=True)


def wait():
    timeout = float(os.environ.get('COPP_DB_WAIT_TIMEOUT') or 60)
    deadline = time.monotonic() + timeout
    where = URI.hostname or 'localhost'
    attempt = 0
    while True:
        attempt += 1
        try:
            with connect_maintenance() as conn:
                conn.execute('SELECT 1')
        except psycopg.OperationalError as exc:
            if time.monotonic() >= deadline:
                log(f'PostgreSQL на {where} недоступен за {timeout:.0f} с: '
                    f'{str(exc).strip()}')
                sys.exit(1)
            if attempt == 1 or attempt % 10 == 0:
                log(f'Жду PostgreSQL на {where}…')
            time.sleep(1)
        else:
            log(f'PostgreSQL на {where} доступен.')
            return


def database_exists(conn):
    return conn.execute(
        'SELECT 1 FROM pg_database WHERE datname = %s',
        (DB_NAME,)).fetchone() is not None


def initialised():
    try:
        with connect(DB_NAME) as conn:
            row = conn.execute(
                "SELECT state FROM ir_module WHERE name = 'copp'").fetchone()
    except errors.UndefinedTable:
        return False
    return bool(row) and row[0] == 'activated'


def init():
    with connect_maintenance() as lock_conn:
        # Сессионная блокировка держится, пока идёт `copp init`.
        lock_conn.execute(
            'SELECT pg_advisory_lock(hashtext(%s))', (LOCK_KEY,))
        try:
            if database_exists(lock_conn) and initialised():
                log(f'База «{DB_NAME}» уже инициализирована.')
                return
            # copp init сам создаёт базу, если её нет.
            log(f'База «{DB_NAME}» не инициализирована: выполняю copp init…')
            result = subprocess.run(
                ['copp', 'init', '--no-input'], stdin=subprocess.DEVNULL)
            if result.returncode:
                log(f'copp init завершился с кодом {result.returncode}.')
                sys.exit(result.returncode)
            if initialised():
                log(f'База «{DB_NAME}» инициализирована.')
            else:
                log('Внимание: после copp init модуль copp не активирован.')
        finally:
            lock_conn.execute(
                'SELECT pg_advisory_unlock(hashtext(%s))', (LOCK_KEY,))


{'wait': wait, 'init': init}[sys.argv[1]]()
PY
}

case "${TRYTOND_DATABASE__URI:-}" in
    postgresql://*|postgres://*)
        copp_db wait
        # `copp init` как команда контейнера сама выполнит инициализацию.
        if [[ "$1" == "copp" && " ${*:2} " == *" init "* ]]; then
            log "Команда — copp init: автоматическую инициализацию пропускаю."
        elif [[ "$COPP_AUTO_INIT" == "1" || "$COPP_AUTO_INIT" == "true" ]]; then
            if [[ "${COPP_ADMIN_PASSWORD:-}" == "change-me" ]]; then
                log "Внимание: COPP_ADMIN_PASSWORD имеет значение по умолчанию" \
                    "«change-me» — задайте свой пароль в docker/.env."
            fi
            copp_db init
        fi
        ;;
    *)
        log "TRYTOND_DATABASE__URI не указывает на PostgreSQL:" \
            "ожидание базы и инициализацию пропускаю."
        ;;
esac

exec "$@"
