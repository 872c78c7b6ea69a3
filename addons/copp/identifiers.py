"""Validators of Russian identifiers that python-stdnum does not ship.

They follow stdnum's module interface (compact, validate, is_valid, format) so
party.identifier can use them the same way it uses stdnum.ru.inn / ru.ogrn.
"""
import re

from stdnum.exceptions import (
    InvalidChecksum, InvalidFormat, InvalidLength, ValidationError)


class snils:
    "СНИЛС: 11 digits, shown as 000-000-000 00."

    # Numbers up to 001-001-998 were issued before the checksum existed;
    # 000-000-000 is no number.
    NO_CHECKSUM_UP_TO = 1001998

    @staticmethod
    def compact(number):
        return re.sub(r'[\s\-]', '', str(number or '')).strip()

    @classmethod
    def checksum(cls, number):
        "Control number of the first 9 digits."
        total = sum(int(d) * w for d, w in zip(number[:9], range(9, 0, -1)))
        if total < 100:
            return total
        if total in (100, 101):
            return 0
        control = total % 101
        return 0 if control == 100 else control

    @classmethod
    def validate(cls, number):
        number = cls.compact(number)
        if not number.isdigit():
            raise InvalidFormat()
        if len(number) != 11:
            raise InvalidLength()
        if not int(number[:9]):
            raise InvalidFormat()
        if int(number[:9]) > cls.NO_CHECKSUM_UP_TO:
            if cls.checksum(number) != int(number[9:]):
                raise InvalidChecksum()
        return number

    @classmethod
    def is_valid(cls, number):
        try:
            return bool(cls.validate(number))
        except ValidationError:
            return False

    @classmethod
    def format(cls, number):
        number = cls.compact(number)
        return f'{number[:3]}-{number[3:6]}-{number[6:9]} {number[9:]}'


class kpp:
    "КПП: 4 digits of the tax office, 2 of the reason (digits or A-Z), 3 digits."

    PATTERN = re.compile(r'^\d{4}[0-9A-Z]{2}\d{3}$')

    @staticmethod
    def compact(number):
        return re.sub(r'\s', '', str(number or '')).upper()

    @classmethod
    def validate(cls, number):
        number = cls.compact(number)
        if len(number) != 9:
            raise InvalidLength()
        if not cls.PATTERN.match(number):
            raise InvalidFormat()
        return number

    @classmethod
    def is_valid(cls, number):
        try:
            return bool(cls.validate(number))
        except ValidationError:
            return False

    @classmethod
    def format(cls, number):
        return cls.compact(number)


MODULES = {
    'ru_snils': snils,
    'ru_kpp': kpp,
    }
