"""The forms of the portals are WTForms forms, with the CSRF token tied to
the portal session and Russian errors (ir.message) next to the field.

    from copp_portal import forms

    class ContactForm(forms.Form):
        name = forms.CharField(required=True, max_length=100)
        email = forms.EmailField()
        places = forms.IntegerField(required=True, min=1, max=500)

    form = ContactForm(portal, initial={'name': contact.name})
    if form.submitted and form.validate():
        contact.name = form.values['name']

The form reads the POSTed data of the portal's request (pass `formdata=None`
for a form of the page that was not the one sent). Its CSRF field
(`csrf_token`, the same token as `portal.csrf_field()`) is checked by
`validate()`: the HMAC of the session key — or of the anonymous cookie — with
the deployment's secret (the portal dispatcher checks every POST as well).
Templates render a field with the macros of `_forms.html`
(`forms.input(form, 'name', "ФИО")`), which show `form.value(name)` and
`form.error(name)` with aria-invalid / aria-describedby.
"""
import datetime as dt
import hmac
import re
from decimal import Decimal, InvalidOperation

import wtforms
from wtforms.csrf.core import CSRF
from wtforms.fields.core import UnboundField
from wtforms.validators import StopValidation, ValidationError

from trytond.i18n import gettext

from .constants import CSRF_FIELD

TRUE_VALUES = {'1', 'on', 'true', 'yes', 'y'}
_UNSET = object()


def _message(message_id, **variables):
    if '.' not in message_id:
        message_id = f'copp_portal.{message_id}'
    return gettext(message_id, **variables)


class PortalCSRF(CSRF):
    "The token of the portal (copp_portal.portal.Portal.csrf_token)"

    def setup_form(self, form):
        self.portal = form.meta.csrf_context
        return super().setup_form(form)

    def generate_csrf_token(self, csrf_token_field):
        return self.portal.csrf_token

    def validate_csrf_token(self, form, field):
        expected = self.portal.csrf_token
        if not hmac.compare_digest((field.data or '').encode('utf-8'),
                expected.encode('utf-8')):
            raise ValidationError(_message('msg_csrf_failed'))


# Fields ------------------------------------------------------------------

class _FieldMixin:
    """What the templates and the old API need of a field: required,
    max_length, the text to show, the conversion errors in Russian"""
    required = False
    max_length = None

    def _init(self, required, validators, default):
        self.required = required
        validators = list(validators or [])
        if required:
            validators.insert(0, Required())
        return validators, default

    def format(self, value):
        "The text of the input for a Python value"
        return '' if value is None else str(value)

    def empty(self, raw):
        return not raw or raw[0] is None or (
            isinstance(raw[0], str) and not raw[0].strip())


class CharField(_FieldMixin, wtforms.Field):
    "One line: runs of spaces become one space; empty is None"
    widget = wtforms.widgets.TextInput()

    def __init__(self, label=None, validators=None, required=False,
            max_length=250, min_length=None, pattern=None,
            pattern_message=None, default=None, **kwargs):
        validators, default = self._init(required, validators, default)
        self.max_length = max_length
        if max_length or min_length:
            validators.append(Length(min_length, max_length))
        if pattern:
            validators.append(Pattern(pattern, pattern_message))
        super().__init__(label, validators, default=default, **kwargs)

    def normalize(self, raw):
        return ' '.join(raw.split())

    def process_formdata(self, valuelist):
        if self.empty(valuelist):
            self.data = None
        else:
            self.data = self.normalize(valuelist[0])

    def _value(self):
        return self.format(self.data)


class TextField(CharField):
    "Several lines, kept as typed"
    widget = wtforms.widgets.TextArea()

    def __init__(self, label=None, validators=None, max_length=5000,
            **kwargs):
        super().__init__(label, validators, max_length=max_length, **kwargs)

    def normalize(self, raw):
        return raw.strip().replace('\r\n', '\n')


class EmailField(CharField):
    "An e-mail address, in lower case"

    def __init__(self, label=None, validators=None, max_length=254,
            **kwargs):
        super().__init__(label, validators, max_length=max_length, **kwargs)
        self.validators.append(Email())

    def normalize(self, raw):
        return super().normalize(raw).lower()


class PasswordField(_FieldMixin, wtforms.Field):
    "Kept as typed, never shown back"
    widget = wtforms.widgets.PasswordInput()

    def __init__(self, label=None, validators=None, required=False,
            **kwargs):
        validators, _ = self._init(required, validators, None)
        validators.append(Length(None, 128))
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        self.data = valuelist[0] if valuelist and valuelist[0] else None

    def format(self, value):
        return ''

    def _value(self):
        return ''


class IntegerField(_FieldMixin, wtforms.Field):
    "A whole number; spaces between the digits are allowed"
    widget = wtforms.widgets.TextInput()

    def __init__(self, label=None, validators=None, required=False,
            min=None, max=None, default=None, **kwargs):
        validators, default = self._init(required, validators, default)
        self.min, self.max = min, max
        validators.append(Range(min, max, self.format))
        super().__init__(label, validators, default=default, **kwargs)

    def process_formdata(self, valuelist):
        self.data = None
        if self.empty(valuelist):
            return
        text = re.sub(r'[\s\u00a0]', '', valuelist[0])
        if not re.fullmatch(r'-?\d{1,12}', text):
            raise ValueError(_message('msg_form_integer'))
        self.data = int(text)

    def _value(self):
        return self.format(self.data)


class NumberField(IntegerField):
    "A decimal number; a comma or a point separates the decimals"

    def __init__(self, label=None, validators=None, digits=2, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.digits = digits

    def process_formdata(self, valuelist):
        self.data = None
        if self.empty(valuelist):
            return
        text = re.sub(r'[\s\u00a0]', '', valuelist[0]).replace(',', '.')
        if not re.fullmatch(r'-?\d{1,12}(\.\d+)?', text):
            raise ValueError(_message('msg_form_number'))
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError(_message('msg_form_number'))
        if value.as_tuple().exponent < -self.digits:
            raise ValueError(_message('msg_form_digits', digits=self.digits))
        self.data = value

    def format(self, value):
        if value is None:
            return ''
        value = Decimal(value)
        if value == value.to_integral_value():
            return str(value.quantize(Decimal(1)))
        return str(value).replace('.', ',')


class DateField(_FieldMixin, wtforms.Field):
    "An <input type=date> (YYYY-MM-DD) or a typed DD.MM.YYYY"
    widget = wtforms.widgets.DateInput()

    def __init__(self, label=None, validators=None, required=False,
            min=None, max=None, default=None, **kwargs):
        validators, default = self._init(required, validators, default)
        validators.append(DateRange(min, max))
        super().__init__(label, validators, default=default, **kwargs)

    def process_formdata(self, valuelist):
        self.data = None
        if self.empty(valuelist):
            return
        raw = valuelist[0].strip()
        for fmt in ['%Y-%m-%d', '%d.%m.%Y']:
            try:
                self.data = dt.datetime.strptime(raw, fmt).date()
                return
            except ValueError:
                continue
        raise ValueError(_message('msg_form_date'))

    def format(self, value):
        return value.isoformat() if value else ''

    def _value(self):
        return self.format(self.data)


class ChoiceField(_FieldMixin, wtforms.Field):
    """One value of the choices [(value, label)] given per form instance;
    `coerce` converts the submitted text (int for record ids)"""
    widget = wtforms.widgets.Select()

    def __init__(self, label=None, validators=None, required=False,
            choices=None, coerce=str, default=None, **kwargs):
        validators, default = self._init(required, validators, default)
        self.choices = list(choices or [])
        self.coerce = coerce
        super().__init__(label, validators, default=default, **kwargs)

    def process_formdata(self, valuelist):
        self.data = None
        if self.empty(valuelist):
            return
        try:
            self.data = self.coerce(valuelist[0])
        except (TypeError, ValueError):
            raise ValueError(_message('msg_form_choice'))

    def pre_validate(self, form):
        "The value is one of the choices (given after the form is built)"
        if self.data is not None and self.data not in {
                c[0] for c in self.choices}:
            raise StopValidation(_message('msg_form_choice'))

    def _value(self):
        return self.format(self.data)


class BooleanField(_FieldMixin, wtforms.Field):
    "A checkbox; `required` means it must be ticked (a consent)"
    widget = wtforms.widgets.CheckboxInput()

    def __init__(self, label=None, validators=None, required=False,
            default=False, **kwargs):
        self.required = required
        validators = list(validators or [])
        if required:
            validators.insert(0, Ticked())
        super().__init__(label, validators, default=default, **kwargs)

    def process_formdata(self, valuelist):
        self.data = bool(valuelist) and valuelist[0] in TRUE_VALUES

    def format(self, value):
        return '1' if value else ''

    def _value(self):
        return self.format(self.data)


# Validators (Russian messages from ir.message) ---------------------------

class Required:
    field_flags = {'required': True}

    def __call__(self, form, field):
        if field.process_errors:
            raise StopValidation()
        if field.data is None or field.data == '':
            raise StopValidation(_message('msg_form_required'))


class Ticked:
    def __call__(self, form, field):
        if not field.data:
            raise StopValidation(_message('msg_form_must_accept'))


class _Skip:
    "Validators of a value: nothing to check on an empty or wrong field"

    def skip(self, field):
        return field.process_errors or field.data is None or (
            field.data == '')


class Length(_Skip):
    def __init__(self, min=None, max=None):
        self.min, self.max = min, max

    def __call__(self, form, field):
        if self.skip(field):
            return
        if self.max and len(field.data) > self.max:
            raise ValidationError(_message('msg_form_too_long', max=self.max))
        if self.min and len(field.data) < self.min:
            raise ValidationError(_message('msg_form_too_short',
                    min=self.min))


class Pattern(_Skip):
    def __init__(self, pattern, message=None):
        self.pattern = re.compile(pattern)
        self.message = message

    def __call__(self, form, field):
        if self.skip(field) or self.pattern.match(field.data):
            return
        raise ValidationError(_message(self.message or 'msg_form_pattern'))


class Email(_Skip):
    def __call__(self, form, field):
        from .user import valid_email
        if not self.skip(field) and not valid_email(field.data):
            raise ValidationError(_message('msg_form_email'))


class Range(_Skip):
    def __init__(self, min=None, max=None, format=str):
        self.min, self.max, self.format = min, max, format

    def __call__(self, form, field):
        if self.skip(field):
            return
        if self.min is not None and field.data < self.min:
            raise ValidationError(_message('msg_form_min',
                    min=self.format(self.min)))
        if self.max is not None and field.data > self.max:
            raise ValidationError(_message('msg_form_max',
                    max=self.format(self.max)))


class DateRange(_Skip):
    "min / max: dates or callables giving them (today's…)"

    def __init__(self, min=None, max=None):
        self.min, self.max = min, max

    def __call__(self, form, field):
        if self.skip(field):
            return
        minimum = self.min() if callable(self.min) else self.min
        maximum = self.max() if callable(self.max) else self.max
        if minimum and field.data < minimum:
            raise ValidationError(_message('msg_form_date_min',
                    min=minimum.strftime('%d.%m.%Y')))
        if maximum and field.data > maximum:
            raise ValidationError(_message('msg_form_date_max',
                    max=maximum.strftime('%d.%m.%Y')))


# The form ----------------------------------------------------------------

class Form(wtforms.Form):
    """A WTForms form of a portal page.

    `Form(portal, formdata=<default>, initial=None, choices=None)`: the
    data is the request's POSTed form by default (None on GET: a form shown
    for the first time); `initial` fills the inputs of a new form; `choices`
    gives the choices of ChoiceFields per instance."""

    class Meta:
        csrf = True
        csrf_class = PortalCSRF
        csrf_field_name = CSRF_FIELD

    def __init__(self, portal=None, formdata=_UNSET, initial=None,
            choices=None, **kwargs):
        if formdata is _UNSET:
            formdata = None
            if portal is not None and portal.request.method == 'POST':
                formdata = portal.request.form
        meta = kwargs.pop('meta', {})
        if portal is None:
            meta['csrf'] = False
        else:
            meta['csrf_context'] = portal
        self._submitted = formdata is not None
        self._initial = dict(initial or {})
        super().__init__(formdata=formdata, data=self._initial, meta=meta,
            **kwargs)
        for name, values in (choices or {}).items():
            self[name].choices = list(values)
        self._extra_errors = []

    @classmethod
    def field_names(cls):
        "The names of the declared fields, in their order"
        unbound = [(getattr(cls, n), n) for n in dir(cls)
            if isinstance(getattr(cls, n, None), UnboundField)]
        return [n for f, n in sorted(unbound,
                key=lambda i: i[0].creation_counter)]

    @property
    def submitted(self):
        return self._submitted

    def own_fields(self):
        return [(n, f) for n, f in self._fields.items() if n != CSRF_FIELD]

    @property
    def values(self):
        "The converted values of the fields (valid after validate())"
        return {name: field.data for name, field in self.own_fields()}

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        self.clean()
        return valid and not self.has_errors

    def clean(self):
        """Checks between fields: call add_error(). It runs even when some
        fields are wrong: use self.values.get() (None for a wrong field)"""

    def add_error(self, name, message):
        if name is None:
            self._extra_errors.append(str(message))
        else:
            field = self[name]
            if not isinstance(field.errors, list):
                field.errors = list(field.errors)
            if not field.errors:
                field.errors.append(str(message))

    # What the templates read ------------------------------------------
    def field(self, name):
        return self[name]

    def error(self, name):
        errors = self[name].errors
        return errors[0] if errors else None

    @property
    def field_errors(self):
        "{name: the first error} of the fields, in their order"
        return {name: field.errors[0] for name, field in self.own_fields()
            if field.errors}

    @property
    def non_field_errors(self):
        csrf = self._fields.get(CSRF_FIELD)
        errors = list(csrf.errors) if csrf is not None else []
        return errors + list(self.form_errors) + self._extra_errors

    @property
    def has_errors(self):
        return bool(self.field_errors or self.non_field_errors)

    def choices(self, name):
        return self[name].choices

    def value(self, name):
        "The text of the input: as submitted, or the initial value"
        field = self[name]
        if self._submitted:
            if isinstance(field, PasswordField):
                return ''
            if isinstance(field, BooleanField):
                return field.format(field.data)
            raw = field.raw_data
            return raw[0] if raw else ''
        return field.format(self._initial.get(name, field.default))

    def selected(self, name, option):
        return str(option) == self.value(name)
