"""The participant of a registration: name, age on the day of the event and
the checks of the participant's data (e-mail, phone, birth date, the legal
representative of a minor, the ages of the event)."""
import datetime as dt
import re

from trytond.i18n import gettext
from trytond.model import fields

from copp_portal.user import valid_email

from .exceptions import RegistrationValidationError

ADULT_AGE = 18
PHONE_PATTERN = re.compile(r'^[0-9+()\-\s]{5,40}$')


def age_on(birth_date, date):
    if not birth_date or not date:
        return None
    years = date.year - birth_date.year
    if (date.month, date.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


class RegistrationParticipant:
    "The participant of copp.event.registration"
    __slots__ = ()

    def get_name(self, name):
        return ' '.join(p for p in [self.last_name, self.first_name,
                self.patronymic] if p)

    def get_rec_name(self, name):
        return self.get_name(name)

    @classmethod
    def search_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('last_name', operator, operand, *extra),
            ('first_name', operator, operand, *extra),
            ('patronymic', operator, operand, *extra),
            ]

    @classmethod
    def search_rec_name(cls, name, clause):
        return cls.search_name(name, clause)

    def event_date(self):
        from .tokens import to_local
        if self.event and self.event.begin:
            return to_local(self.event.begin, self.event.timezone).date()
        return dt.date.today()

    @classmethod
    def get_age(cls, registrations, names):
        result = {n: {} for n in names}
        for registration in registrations:
            age = age_on(registration.birth_date, registration.event_date())
            if 'age' in names:
                result['age'][registration.id] = age
            if 'minor' in names:
                result['minor'][registration.id] = (
                    age is not None and age < ADULT_AGE)
        return result

    @fields.depends('birth_date', 'event')
    def on_change_with_minor(self, name=None):
        age = age_on(self.birth_date, self.event_date())
        return age is not None and age < ADULT_AGE

    @classmethod
    def validate_fields(cls, registrations, field_names):
        super().validate_fields(registrations, field_names)
        for registration in registrations:
            registration.check_participant()

    def check_participant(self):
        event = self.event
        for value, message in [
                (self.email, 'copp_event.msg_registration_email'),
                (self.representative_email,
                    'copp_event.msg_registration_email')]:
            if value and not valid_email(value):
                raise RegistrationValidationError(gettext(message,
                        participant=self.rec_name, email=value))
        for value in [self.phone, self.representative_phone]:
            if value and not PHONE_PATTERN.match(value):
                raise RegistrationValidationError(gettext(
                        'copp_event.msg_registration_phone',
                        participant=self.rec_name, phone=value))
        today = dt.date.today()
        if self.birth_date and (self.birth_date > today
                or self.birth_date < dt.date(today.year - 100, 1, 1)):
            raise RegistrationValidationError(gettext(
                    'copp_event.msg_registration_birth_date',
                    participant=self.rec_name))
        age = age_on(self.birth_date, self.event_date())
        if age is not None and age < ADULT_AGE and (
                not self.representative_name
                or not self.representative_phone):
            raise RegistrationValidationError(gettext(
                    'copp_event.msg_registration_minor',
                    participant=self.rec_name, age=age))
        if self.state != 'cancelled' and age is not None and event:
            if event.min_age is not None and age < event.min_age:
                raise RegistrationValidationError(gettext(
                        'copp_event.msg_registration_too_young',
                        participant=self.rec_name, age=age,
                        event=event.name, min_age=event.min_age))
            if event.max_age is not None and age > event.max_age:
                raise RegistrationValidationError(gettext(
                        'copp_event.msg_registration_too_old',
                        participant=self.rec_name, age=age,
                        event=event.name, max_age=event.max_age))
        if (event and (event.min_age is not None
                    or event.max_age is not None)
                and not self.birth_date and self.state != 'cancelled'):
            raise RegistrationValidationError(gettext(
                    'copp_event.msg_registration_birth_date_required',
                    participant=self.rec_name, event=event.name))
