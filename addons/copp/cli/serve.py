"""copp serve: trytond with the sao web client, in this process.

Before serving it says what the server does with e-mail and printing:
- e-mail: the SMTP server of `[email] uri`, or, when none is configured,
  a local mailbox (an SMTP server on 127.0.0.1 writing .eml files into
  var/mail/); the mail runner thread sends the queued e-mails and retries
  them (mailbox.py);
- printing: reports are converted to PDF by LibreOffice (`soffice`) when it
  is installed, otherwise they are ODT only.
"""
import os
import shutil
import sys
from pathlib import Path

from . import database
from .errors import CoppError
from .mailbox import DEFAULT_PORT, Mailbox, MailRunner


def pdf_converter(settings):
    """The program that converts reports to PDF ([report] convert_command,
    default soffice), or None"""
    command = settings.parser.get('report', 'convert_command',
        fallback='soffice')
    program = command.split()[0] if command.split() else 'soffice'
    return shutil.which(program)


def run(settings, extra_args=()):
    parser = settings.parser
    mailbox = None
    if not parser.has_option('email', 'uri'):
        folder = settings.base / 'var' / 'mail'
        port = parser.getint('copp', 'mailbox_port', fallback=DEFAULT_PORT)
        mailbox = Mailbox(folder, port)
        if not parser.has_section('email'):
            parser.add_section('email')
        parser.set('email', 'uri', mailbox.uri)
    runtime = settings.apply()
    database.require(settings)
    root = Path(parser.get('web', 'root', fallback=''))
    if not (root / 'index.html').is_file():
        raise CoppError(
            f"Веб-клиент sao не установлен в «{root}». "
            "Выполните: scripts/install-sao.sh")
    if not shutil.which('trytond'):
        raise CoppError("Команда trytond не найдена: выполните pip install -e .")

    print(f"ГИС ЦОПП: http://{settings.listen} (база «{settings.database}», "
        "остановка — Ctrl+C)")
    if mailbox:
        mailbox.start()
        print(f"Почта: SMTP-сервер не задан ([email] uri), письма "
            f"сохраняются в {mailbox.folder}/ как .eml "
            f"(локальный приёмник {mailbox.uri})")
    else:
        print(f"Почта: {_safe_uri(parser.get('email', 'uri'))} "
            "([email] uri)")
    runner = MailRunner(settings.database)
    runner.start()
    print("Очередь писем: отправку и повторы выполняет этот процесс "
        f"(раз в {runner.seconds} с)")
    converter = pdf_converter(settings)
    if converter:
        print(f"Печать: PDF и ODT (LibreOffice: {converter})")
    else:
        print("Печать: только ODT — для PDF установите LibreOffice "
            "(Debian: apt-get install libreoffice-writer-nogui)")
    sys.stdout.flush()

    from trytond.cli import main as trytond_main
    # -d preloads the pool; trytond 8.0.12 fails every login without it.
    sys.argv = [shutil.which('trytond'), '-c', str(runtime),
        '-d', settings.database, *extra_args]
    os.environ['TRYTOND_CONFIG'] = str(runtime)
    try:
        return trytond_main()
    except KeyboardInterrupt:
        return 0
    finally:
        runner.stop()
        if mailbox:
            mailbox.stop()


def _safe_uri(uri):
    "The SMTP address without its password"
    from urllib.parse import urlsplit
    parts = urlsplit(uri)
    netloc = parts.hostname or ''
    if parts.port:
        netloc += f':{parts.port}'
    if parts.username:
        netloc = f'{parts.username}@{netloc}'
    return f'{parts.scheme}://{netloc}'
