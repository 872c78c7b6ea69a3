"""Form validation for the portals, with Russian errors next to the field.

    class ContactForm(Form):
        name = Char(required=True, max_length=100)
        email = Email()
        places = Integer(required=True, min=1, max=500)

    form = ContactForm(portal.request.form if POST else None,
        initial={'name': contact.name})
    if form.submitted and form.validate():
        contact.name = form.values['name']

Templates render a field with the macros of `_forms.html`
(`forms.input(form, 'name', "ФИО")`), which show `form.value(name)` and
`form.error(name)` with aria-invalid / aria-describedby.
"""
import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from trytond.i18n import gettext

from .user import valid_email


TRUE_VALUES = {'1', 'on', 'true', 'yes', 'y'}


class FieldError(Exception):
    pass


def _error(message_id, **variables):
    return FieldError(gettext(f'copp_portal.{message_id}', **variables))


class Field:
    multiple = False

    def __init__(self, required=False, default=None):
        self.required = required
        self.default = default
        self.name = None

    def empty(self, raw):
        return raw is None or (isinstance(raw, str) and not raw.strip())

    def clean(self, raw):
        if self.empty(raw):
            if self.required:
                raise _error('msg_form_required')
            return self.default
        return self.convert(raw)

    def convert(self, raw):
        return raw

    def format(self, value):
        "The text shown in the input for a Python value"
        if value is None:
            return ''
        return str(value)


class Char(Field):
    "One line: runs of spaces become one space"

    def __init__(self, required=False, max_length=250, min_length=None,
            pattern=None, pattern_message=None, default=None):
        super().__init__(required=required, default=default)
        self.max_length = max_length
        self.min_length = min_length
        self.pattern = re.compile(pattern) if pattern else None
        self.pattern_message = pattern_message

    def normalize(self, raw):
        return ' '.join(raw.split())

    def convert(self, raw):
        value = self.normalize(raw)
        if self.max_length and len(value) > self.max_length:
            raise _error('msg_form_too_long', max=self.max_length)
        if self.min_length and len(value) < self.min_length:
            raise _error('msg_form_too_short', min=self.min_length)
        if self.pattern and not self.pattern.match(value):
            if self.pattern_message:
                raise FieldError(gettext(self.pattern_message))
            raise _error('msg_form_pattern')
        return value


class Text(Char):
    "Several lines, kept as typed"

    def __init__(self, required=False, max_length=5000, **kwargs):
        super().__init__(required=required, max_length=max_length, **kwargs)

    def normalize(self, raw):
        return raw.strip().replace('\r\n', '\n')


class Email(Char):
    def __init__(self, required=False, max_length=254, **kwargs):
        super().__init__(required=required, max_length=max_length, **kwargs)

    def convert(self, raw):
        value = super().convert(raw).lower()
        if not valid_email(value):
            raise _error('msg_form_email')
        return value


class Password(Field):
    def clean(self, raw):
        if raw is None or raw == '':
            if self.required:
                raise _error('msg_form_required')
            return None
        if len(raw) > 128:
            raise _error('msg_form_too_long', max=128)
        return raw

    def format(self, value):
        return ''


class Integer(Field):
    def __init__(self, required=False, min=None, max=None, default=None):
        super().__init__(required=required, default=default)
        self.min = min
        self.max = max

    def convert(self, raw):
        text = re.sub(r'[\s\u00a0]', '', raw)
        if not re.fullmatch(r'-?\d{1,12}', text):
            raise _error('msg_form_integer')
        value = int(text)
        self.check_range(value)
        return value

    def check_range(self, value):
        if self.min is not None and value < self.min:
            raise _error('msg_form_min', min=self.format(self.min))
        if self.max is not None and value > self.max:
            raise _error('msg_form_max', max=self.format(self.max))


class Number(Integer):
    "A decimal number; a comma or a point separates the decimals"

    def __init__(self, required=False, min=None, max=None, digits=2,
            default=None):
        super().__init__(required=required, min=min, max=max,
            default=default)
        self.digits = digits

    def convert(self, raw):
        text = re.sub(r'[\s\u00a0]', '', raw).replace(',', '.')
        if not re.fullmatch(r'-?\d{1,12}(\.\d+)?', text):
            raise _error('msg_form_number')
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise _error('msg_form_number')
        if value.as_tuple().exponent < -self.digits:
            raise _error('msg_form_digits', digits=self.digits)
        self.check_range(value)
        return value

    def format(self, value):
        if value is None:
            return ''
        value = Decimal(value)
        if value == value.to_integral_value():
            return str(value.quantize(Decimal(1)))
        return str(value).replace('.', ',')


class Date(Field):
    "An <input type=date> (YYYY-MM-DD) or a typed DD.MM.YYYY"

    def __init__(self, required=False, min=None, max=None, default=None):
        super().__init__(required=required, default=default)
        self.min = min
        self.max = max

    def convert(self, raw):
        raw = raw.strip()
        for fmt in ['%Y-%m-%d', '%d.%m.%Y']:
            try:
                value = dt.datetime.strptime(raw, fmt).date()
                break
            except ValueError:
                continue
        else:
            raise _error('msg_form_date')
        minimum = self.min() if callable(self.min) else self.min
        maximum = self.max() if callable(self.max) else self.max
        if minimum and value < minimum:
            raise _error('msg_form_date_min', min=minimum.strftime('%d.%m.%Y'))
        if maximum and value > maximum:
            raise _error('msg_form_date_max', max=maximum.strftime('%d.%m.%Y'))
        return value

    def format(self, value):
        if not value:
            return ''
        return value.isoformat()


class Choice(Field):
    """One value of `choices` [(value, label)]; `coerce` converts the
    submitted text (int for record ids)"""

    def __init__(self, required=False, choices=None, coerce=str,
            default=None):
        super().__init__(required=required, default=default)
        self.choices = choices or []
        self.coerce = coerce

    def convert(self, raw, choices=None):
        choices = self.choices if choices is None else choices
        try:
            value = self.coerce(raw)
        except (TypeError, ValueError):
            raise _error('msg_form_choice')
        if value not in {c[0] for c in choices}:
            raise _error('msg_form_choice')
        return value


class Boolean(Field):
    "A checkbox; `required` means it must be ticked (consent)"

    def clean(self, raw):
        value = raw in TRUE_VALUES
        if self.required and not value:
            raise _error('msg_form_must_accept')
        return value

    def format(self, value):
        return '1' if value else ''


class Form:
    """Declared fields, the submitted data, the cleaned values and the errors.

    `data` is None for a form shown for the first time (GET)."""

    def __init__(self, data=None, initial=None, choices=None):
        self.data = data
        self.initial = dict(initial or {})
        self._choices = dict(choices or {})
        self.values = {}
        self.errors = {}
        self.non_field_errors = []

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        fields = {}
        for klass in reversed(cls.__mro__):
            for name, value in vars(klass).items():
                if isinstance(value, Field):
                    value.name = name
                    fields[name] = value
        cls.fields = fields

    @property
    def submitted(self):
        return self.data is not None

    def field(self, name):
        return self.fields[name]

    def choices(self, name):
        if name in self._choices:
            return self._choices[name]
        return self.fields[name].choices

    def raw(self, name):
        if self.data is None:
            return None
        return self.data.get(name)

    def validate(self):
        self.values, self.errors = {}, {}
        for name, field in self.fields.items():
            raw = self.raw(name)
            try:
                if isinstance(field, Choice) and not field.empty(raw):
                    self.values[name] = field.convert(raw, self.choices(name))
                else:
                    self.values[name] = field.clean(raw)
            except FieldError as exc:
                self.errors[name] = str(exc)
        self.clean()
        return not self.errors and not self.non_field_errors

    def clean(self):
        """Checks between fields: call add_error(). It runs even when some
        fields are wrong: use self.values.get() (None for a wrong field)"""

    def add_error(self, name, message):
        if name is None:
            self.non_field_errors.append(str(message))
        else:
            self.errors.setdefault(name, str(message))

    def error(self, name):
        return self.errors.get(name)

    @property
    def has_errors(self):
        return bool(self.errors or self.non_field_errors)

    def value(self, name):
        "The text of the input: as submitted, or the initial value"
        field = self.fields[name]
        if self.data is not None:
            if isinstance(field, Password):
                return ''
            if isinstance(field, Boolean):
                return field.format(self.data.get(name) in TRUE_VALUES)
            raw = self.data.get(name)
            return '' if raw is None else raw
        return field.format(self.initial.get(name, field.default))

    def selected(self, name, option):
        return str(option) == self.value(name)
