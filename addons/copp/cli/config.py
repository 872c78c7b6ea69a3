"""Where the `copp` command finds its configuration and database.

trytond lets a config file override TRYTOND_* environment variables; the
command does the reverse (environment wins, as twelve-factor deployments
expect) and resolves relative paths against the config file's folder.
A runtime config with the result is written under var/ and handed to every
trytond process the command starts.
"""
import configparser
import os
import urllib.parse
from pathlib import Path

from .errors import CoppError

DEFAULT_DATABASE = 'copp'


def repo_root():
    # addons/copp/cli/config.py -> repository root (editable install).
    return Path(__file__).resolve().parents[3]


def find_config(path=None):
    path = path or os.environ.get('COPP_CONFIG')
    if path:
        path = Path(path)
    else:
        for candidate in [Path.cwd() / 'copp.conf', repo_root() / 'copp.conf']:
            if candidate.is_file():
                path = candidate
                break
        else:
            raise CoppError(
                "Не найден файл конфигурации copp.conf: укажите его "
                "параметром --config или переменной COPP_CONFIG.")
    if not path.is_file():
        raise CoppError(f"Файл конфигурации «{path}» не существует.")
    return path.resolve()


class Settings:
    "The effective configuration of one deployment"

    def __init__(self, config_path=None, database=None):
        self.config_path = find_config(config_path)
        self.base = self.config_path.parent
        parser = configparser.ConfigParser(interpolation=None)
        try:
            with open(self.config_path, encoding='utf-8') as fp:
                parser.read_file(fp)
        except (configparser.Error, UnicodeDecodeError) as exc:
            raise CoppError(
                f"Ошибка в файле конфигурации «{self.config_path}»: {exc}")
        # Environment variables win over the file.
        for key, value in os.environ.items():
            if not key.startswith('TRYTOND_') or '__' not in key:
                continue
            section, option = key[len('TRYTOND_'):].lower().split('__', 1)
            if not parser.has_section(section):
                parser.add_section(section)
            parser.set(section, option, value)
        if os.environ.get('TRYTOND_DATABASE_URI') and not os.environ.get(
                'TRYTOND_DATABASE__URI'):
            parser.set('database', 'uri', os.environ['TRYTOND_DATABASE_URI'])
        for section, option in [('database', 'path'), ('web', 'root')]:
            if parser.has_option(section, option):
                value = parser.get(section, option)
                if value and not os.path.isabs(value):
                    parser.set(section, option, str(self.base / value))
        self.parser = parser
        self.database = (database or os.environ.get('COPP_DATABASE')
            or parser.get('copp', 'database', fallback=DEFAULT_DATABASE))
        # The portals serve [copp] database: the database chosen with -d
        # (or COPP_DATABASE) is the one of every trytond process started.
        if not parser.has_section('copp'):
            parser.add_section('copp')
        parser.set('copp', 'database', self.database)

    @property
    def uri(self):
        return self.parser.get('database', 'uri', fallback='sqlite://')

    @property
    def backend(self):
        scheme = urllib.parse.urlparse(self.uri).scheme
        if scheme not in {'sqlite', 'postgresql'}:
            raise CoppError(
                f"Неизвестная СУБД в [database] uri: «{self.uri}». "
                "Поддерживаются sqlite:// и postgresql://.")
        return scheme

    @property
    def sqlite_path(self):
        folder = Path(self.parser.get('database', 'path',
                fallback=str(self.base / 'var' / 'db')))
        return folder / f'{self.database}.sqlite'

    @property
    def listen(self):
        return self.parser.get('web', 'listen', fallback='localhost:8000')

    def write_runtime(self):
        "Write the effective configuration for trytond processes"
        runtime = self.base / 'var' / 'copp-runtime.conf'
        runtime.parent.mkdir(parents=True, exist_ok=True)
        with open(runtime, 'w', encoding='utf-8') as fp:
            fp.write("# Создан командой copp из "
                f"{self.config_path}; не редактируйте.\n")
            self.parser.write(fp)
        return runtime

    def apply(self):
        "Load this configuration into trytond in this process"
        from trytond import config
        runtime = self.write_runtime()
        config.update_etc(str(runtime))
        os.environ['TRYTOND_CONFIG'] = str(runtime)
        if self.backend == 'sqlite':
            self.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        return runtime
