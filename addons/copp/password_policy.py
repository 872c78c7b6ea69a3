"""The password policy of every account, staff and portal (ФСТЭК 21: ИАФ.4).

- at least 12 characters (`[password] length` may ask for more), at most 128;
  a passphrase of several words is welcome: no rule on character classes;
- not a run of repeated or consecutive characters (`aaaaaaaaaaaa`,
  `123456789012`, `abcdefghijkl`);
- not one of the 10 000 most common passwords, nor one of them with digits
  and signs added before or after (`Password2026!`), nor a Russian keyboard
  walk (data/common-passwords*.txt);
- not the login, the name or the e-mail address (nor them with digits added);
- none of the last 5 passwords of the account (copp.password.history).
"""
import functools
import os
import re

from trytond import config
from trytond.i18n import gettext

from .exceptions import PasswordPolicyError

MIN_LENGTH = 12
MAX_LENGTH = 128
HISTORY = 5
DATA = os.path.join(os.path.dirname(__file__), 'data')
LISTS = ['common-passwords.txt', 'common-passwords-local.txt']
_EDGES = re.compile(r'^[\W\d_]+|[\W\d_]+$')


@functools.cache
def common_passwords():
    "The forbidden passwords, lowercased"
    words = set()
    for name in LISTS:
        with open(os.path.join(DATA, name), encoding='utf-8') as fp:
            words.update(line.strip().lower() for line in fp if line.strip())
    return frozenset(words)


def min_length():
    return max(MIN_LENGTH, config.getint('password', 'length', default=0))


def _core(password):
    "The password without the digits and signs around its letters"
    return _EDGES.sub('', password.lower())


def _monotonous(password):
    "A run of repeated or consecutive characters (aaaa, 1234, abcd, 4321)"
    small = sum(1 for a, b in zip(password, password[1:])
        if abs(ord(b) - ord(a)) <= 1)
    return small >= len(password) - 2 or len(set(password.lower())) <= 4


def check(password, login=None, name=None, email=None):
    "Raise PasswordPolicyError with a Russian message when `password` is weak"
    length = min_length()
    if not password or len(password) < length:
        raise PasswordPolicyError(gettext(
                'copp.msg_password_length', length=length))
    if len(password) > MAX_LENGTH:
        raise PasswordPolicyError(gettext(
                'copp.msg_password_too_long', length=MAX_LENGTH))
    if _monotonous(password):
        raise PasswordPolicyError(gettext('copp.msg_password_simple'))
    lowered = password.lower()
    common = common_passwords()
    core = _core(password)
    if lowered in common or lowered.replace(' ', '') in common or (
            len(core) >= 4 and core in common):
        raise PasswordPolicyError(gettext('copp.msg_password_common'))
    personal = set()
    for value in [login, name, email, (email or '').split('@')[0]]:
        value = (value or '').strip().lower()
        if len(value) >= 3:
            personal.update({value, value.replace(' ', '')})
    if lowered in personal or core in personal or (
            lowered.replace(' ', '') in personal):
        raise PasswordPolicyError(gettext('copp.msg_password_personal'))
