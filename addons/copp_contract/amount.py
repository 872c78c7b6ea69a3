"""Amounts of the contracts: in words, as Russian contracts and receipts
print them («сорок пять тысяч рублей 00 копеек»), formatted, and read back
from SQL sums."""
from decimal import ROUND_HALF_UP, Decimal

from num2words import num2words

CENT = Decimal('0.01')
ZERO = Decimal('0.00')
RUBLE_FORMS = ("рубль", "рубля", "рублей")
KOPECK_FORMS = ("копейка", "копейки", "копеек")


def plural_form(number, forms):
    "The Russian plural form of a noun after the integer `number`"
    one, few, many = forms
    number = abs(int(number))
    if number % 100 in range(11, 15):
        return many
    last = number % 10
    if last == 1:
        return one
    if last in (2, 3, 4):
        return few
    return many


def amount_in_words(amount):
    """The amount in rubles in Russian words, kopecks as two digits:
    Decimal('45000') -> 'сорок пять тысяч рублей 00 копеек'."""
    if amount is None:
        return ''
    amount = Decimal(str(amount)).quantize(CENT, rounding=ROUND_HALF_UP)
    sign = ''
    if amount < 0:
        sign = "минус "
        amount = -amount
    rubles = int(amount)
    kopecks = int((amount - rubles) * 100)
    words = num2words(rubles, lang='ru')
    return (f"{sign}{words} {plural_form(rubles, RUBLE_FORMS)} "
        f"{kopecks:02d} {plural_form(kopecks, KOPECK_FORMS)}")


def format_amount(amount):
    "45000 -> '45 000,00' (the Russian grouping of printed documents)"
    if amount is None:
        return ''
    amount = Decimal(str(amount)).quantize(CENT, rounding=ROUND_HALF_UP)
    text = f"{amount:,.2f}"
    return text.replace(',', '\u00a0').replace('.', ',')


def to_decimal(value):
    "SQLite returns Numeric sums as float or text: back to kopecks"
    if value is None:
        return ZERO
    return Decimal(str(value)).quantize(CENT)


def sql_amount(value):
    "A parameter to compare with a sum: SQLite compares text above numbers"
    from trytond import backend
    value = Decimal(str(value or 0))
    return float(value) if backend.name == 'sqlite' else value
