"""Russian bank details: БИК and the 20-digit accounts with their control
key (Банк России, положение № 579-П, приложение: «порядок расчёта
контрольного ключа»).

The key of an account is checked against the БИК: for a settlement (or
treasury) account the last three digits of the БИК precede it, for a
correspondent account «0» and the 5th and 6th digits of the БИК; the
23 digits weighted 7, 1, 3, 7, 1, 3… sum to a multiple of 10.
"""
import re

from trytond.model.exceptions import ValidationError

WEIGHTS = (7, 1, 3)


class BankDetailsError(ValidationError):
    "A БИК, an account or an ОКТМО of an institution is wrong"


def compact(number):
    return re.sub(r'[\s\-]', '', str(number or ''))


def bic_valid(bic):
    bic = compact(bic)
    return len(bic) == 9 and bic.isdigit() and bic.startswith('0')


def _key_sum(digits):
    return sum(int(d) * WEIGHTS[i % 3] for i, d in enumerate(digits)) % 10


def account_valid(account, bic, correspondent=False):
    """Whether the 20-digit `account` passes the control key with `bic`
    (True when the БИК is not valid: it is checked on its own)"""
    account, bic = compact(account), compact(bic)
    if len(account) != 20 or not account.isdigit():
        return False
    if not bic_valid(bic):
        return True
    prefix = ('0' + bic[4:6]) if correspondent else bic[-3:]
    return _key_sum(prefix + account) == 0


def with_key(account, bic, correspondent=False):
    "The account with its 9th digit set to the right control key"
    account, bic = compact(account), compact(bic)
    prefix = ('0' + bic[4:6]) if correspondent else bic[-3:]
    digits = account[:8] + '0' + account[9:]
    total = _key_sum(prefix + digits)
    # The key's weight: position 3 + 8 = 11 of the 23 digits, weight 3.
    weight = WEIGHTS[(len(prefix) + 8) % 3]
    for key in range(10):
        if (total + key * weight) % 10 == 0:
            return digits[:8] + str(key) + digits[9:]
    raise ValueError(account)
