"""Jinja2 templates of the portals: one environment over the templates/
folders of every copp module (copp_portal first), autoescaped, with the
Russian formats of dates, numbers and money."""
import datetime as dt
import importlib
import threading
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jinja2

from trytond import config
from trytond.i18n import gettext

_env = None
_env_lock = threading.Lock()


def copp_modules():
    "Installed modules of the suite, copp_portal first"
    from trytond.modules import get_modules
    names = sorted(n for n in get_modules()
        if n == 'copp' or n.startswith('copp_'))
    names.remove('copp_portal')
    return ['copp_portal'] + names


def module_folders(folder):
    "Existing `folder` sub-folders of the suite's modules, in search order"
    result = []
    for name in copp_modules():
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        path = Path(module.__file__).parent / folder
        if path.is_dir():
            result.append(path)
    return result


# Templates -----------------------------------------------------------

def _format_date(value, fmt='%d.%m.%Y'):
    if not value:
        return ''
    return value.strftime(fmt)


def _format_datetime(value, timezone=None):
    """A stored datetime (naive UTC, as Tryton keeps it) in the local time
    of `timezone` (an event's, a company's), else of the region"""
    if not value:
        return ''
    from .outbox import LOCAL_TIMEZONE
    try:
        zone = ZoneInfo(timezone or LOCAL_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo(LOCAL_TIMEZONE)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(zone).strftime('%d.%m.%Y %H:%M')


def _format_number(value, digits=0):
    if value is None or value == '':
        return ''
    text = f'{value:,.{digits}f}'
    return text.replace(',', '\u00a0').replace('.', ',')


def _format_money(value):
    if value is None:
        return ''
    return _format_number(value) + '\u00a0₽'


def plural(number, one, few, many):
    "Russian plural form: 1 вакансия, 2 вакансии, 5 вакансий"
    number = abs(int(number or 0))
    if number % 10 == 1 and number % 100 != 11:
        return one
    if 2 <= number % 10 <= 4 and not 12 <= number % 100 <= 14:
        return few
    return many


# The sign-out of a signed-in account: functions (portal) -> the address
# the «Выйти» of the header posts to, or None; the first answer wins (a
# session opened through ЕСИА ends at ЕСИА too, copp_esia), else the
# portals' own sign-out.
_logout_hooks = []
LOGOUT_ACTION = '/partner/logout'


def register_logout(hook):
    "Add a function (portal) -> the sign-out address of this session or None"
    if hook not in _logout_hooks:
        _logout_hooks.append(hook)


def logout_action(portal):
    "Where the header's «Выйти» of this session posts"
    for hook in _logout_hooks:
        action = hook(portal)
        if action:
            return action
    return LOGOUT_ACTION


def environment():
    "The Jinja2 environment over the templates/ folders of all copp modules"
    global _env
    if _env is None:
        with _env_lock:
            if _env is None:
                env = jinja2.Environment(
                    loader=jinja2.FileSystemLoader(
                        [str(p) for p in module_folders('templates')]),
                    autoescape=jinja2.select_autoescape(
                        enabled_extensions=('html', 'xml'),
                        default_for_string=True, default=False),
                    trim_blocks=True, lstrip_blocks=True,
                    undefined=jinja2.ChainableUndefined,
                    auto_reload=bool(config.getboolean(
                            'copp', 'reload_templates', default=False)))
                env.filters.update({
                        'date': _format_date,
                        'datetime': _format_datetime,
                        'number': _format_number,
                        'money': _format_money,
                        })
                env.globals.update({
                        'plural': plural,
                        'gettext': gettext,
                        'logout_action': logout_action,
                        })
                _env = env
    return _env


def render_template(name, **context):
    return environment().get_template(name).render(**context)
