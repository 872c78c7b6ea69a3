"""Registrations for events (attendance is in attendance.py, the
registration of a whole school class in register_class.py).

A registration is `confirmed` (has a place), `waiting` (in the waiting
list) or `cancelled`. A participant under 18 on the day of the event is
registered by a legal representative, whose name and phone are required.
Every registration carries a ticket (see tokens.py) sent by e-mail with a QR
code; attendance is one row per registration and session.
"""
import datetime as dt
import re
import secrets

from sql.aggregate import Count

from trytond import backend
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.model.fields import SQL_OPERATORS
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from copp.personal_data import PersonalDataMixin
from copp_portal.user import valid_email

from .exceptions import EventError, RegistrationValidationError

MAX_PARAMS = backend.MAX_QUERY_PARAMS

CATEGORIES = [
    ('schoolchild', "Schoolchild"),
    ('student', "Student"),
    ('adult', "Adult"),
    ('employer', "Employer Representative"),
    ]
RELATIONS = [
    (None, ""),
    ('mother', "Mother"),
    ('father', "Father"),
    ('guardian', "Guardian"),
    ('trustee', "Trustee"),
    ('other', "Other Legal Representative"),
    ]
STATES = [
    ('confirmed', "Confirmed"),
    ('waiting', "Waiting List"),
    ('cancelled', "Cancelled"),
    ]
SOURCES = [
    ('portal', "Portal"),
    ('staff', "Back Office"),
    ('class', "School Class"),
    ]
CONSENT_BY = [
    (None, ""),
    ('participant', "Participant"),
    ('representative', "Legal Representative"),
    ('paper', "Written Consent Kept by the Organizer"),
    ]
CANCEL_REASONS = [
    (None, ""),
    ('participant', "By the Participant"),
    ('organizer', "By the Organizer"),
    ('event_cancelled', "Event Cancelled"),
    ('event_done', "Event Over (No Place)"),
    ]
CHECKIN_METHODS = [
    ('qr', "QR Code"),
    ('search', "Name Search"),
    ('manual', "Back Office"),
    ]
ADULT_AGE = 18
PHONE_PATTERN = re.compile(r'^[0-9+()\-\s]{5,40}$')


def age_on(birth_date, date):
    if not birth_date or not date:
        return None
    years = date.year - birth_date.year
    if (date.month, date.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


class Registration(PersonalDataMixin, ModelSQL, ModelView):
    "Event Registration"
    __name__ = 'copp.event.registration'
    __string__ = "Event Registration"
    # Every read of these fields on behalf of a user is registered in
    # copp.personal_data.log (with the organizer of the event).
    _personal_data_fields = {'birth_date', 'email', 'phone',
        'representative_name', 'representative_relation',
        'representative_phone', 'representative_email'}

    event = fields.Many2One('copp.event', "Event", required=True,
        ondelete='CASCADE',
        states={'readonly': Eval('id', -1) >= 0})
    company = fields.Function(fields.Many2One('company.company',
            "Organizer"), 'on_change_with_company',
        searcher='search_company')
    last_name = fields.Char("Last Name", required=True)
    first_name = fields.Char("First Name", required=True)
    patronymic = fields.Char("Patronymic")
    name = fields.Function(fields.Char("Participant"), 'get_name',
        searcher='search_name')
    birth_date = fields.Date("Birth Date")
    age = fields.Function(fields.Integer("Age",
            help="The age on the first day of the event."), 'get_age')
    minor = fields.Function(fields.Boolean("Minor"), 'get_age')
    category = fields.Selection(CATEGORIES, "Category", required=True)
    organization = fields.Char("School, College or Company")
    grade = fields.Char("Class or Course")
    email = fields.Char("E-mail")
    phone = fields.Char("Phone")
    party = fields.Many2One('party.party', "Person", ondelete='SET NULL',
        context={'company': Eval('company', -1)}, depends={'company'},
        help="The person's record, when known.")
    representative_name = fields.Char("Legal Representative",
        help="Required for a participant under 18.")
    representative_relation = fields.Selection(RELATIONS,
        "Relation to the Participant")
    representative_phone = fields.Char("Representative's Phone",
        help="Required for a participant under 18.")
    representative_email = fields.Char("Representative's E-mail")
    consent = fields.Boolean("Consent to Personal Data Processing",
        readonly=True)
    consent_by = fields.Selection(CONSENT_BY, "Consent Given By",
        readonly=True)
    consent_date = fields.DateTime("Consent Date", readonly=True)
    source = fields.Selection(SOURCES, "Source", required=True,
        readonly=True)
    group_name = fields.Char("School Class",
        help="The class registered together, e.g. «МБОУ СОШ № 5, 9 «А»».")
    group_contact = fields.Char("Accompanying Person",
        help="The teacher who accompanies the class: name, phone, e-mail.")
    state = fields.Selection(STATES, "State", required=True, readonly=True,
        sort=False)
    confirmed_date = fields.DateTime("Confirmed", readonly=True)
    cancelled_date = fields.DateTime("Cancelled", readonly=True)
    cancel_reason = fields.Selection(CANCEL_REASONS, "Cancellation Reason",
        readonly=True)
    waiting_position = fields.Function(fields.Integer("Place in Queue"),
        'get_waiting_position')
    ticket_nonce = fields.Char("Ticket Nonce", readonly=True, strip=False)
    ticket_number = fields.Function(fields.Char("Ticket"), 'get_ticket')
    ticket_url = fields.Function(fields.Char("Ticket Page"), 'get_ticket')
    reminded_sessions = fields.Char("Reminded Sessions", readonly=True,
        help="Ids of the sessions whose reminder was sent.")
    attendances = fields.One2Many('copp.event.attendance', 'registration',
        "Attendance")
    attended = fields.Function(fields.Boolean("Attended"), 'get_attended',
        searcher='search_attended')
    sessions_attended = fields.Function(fields.Integer("Sessions Attended"),
        'get_attended')
    note = fields.Text("Note")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('event')
        t = cls.__table__()
        cls._order = [('event', 'DESC'), ('id', 'ASC')]
        cls._sql_indexes.update({
                Index(t, (t.event, Index.Range()),
                    (t.state, Index.Equality(cardinality='low'))),
                Index(t, (t.email, Index.Equality())),
                })
        cls._buttons.update({
                'cancel': {
                    'invisible': Eval('state') == 'cancelled',
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'resend_ticket': {
                    'invisible': Eval('state') == 'cancelled',
                    'icon': 'tryton-email',
                    'depends': ['state'],
                    },
                'check_in': {
                    'invisible': Eval('state') != 'confirmed',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'confirmed'

    @classmethod
    def default_source(cls):
        return 'staff'

    @classmethod
    def default_category(cls):
        return 'schoolchild'

    @classmethod
    def default_ticket_nonce(cls):
        return secrets.token_urlsafe(12)

    @fields.depends('event', '_parent_event.company')
    def on_change_with_company(self, name=None):
        return self.event.company if self.event else None

    @classmethod
    def search_company(cls, name, clause):
        return [('event.company',) + tuple(clause[1:])]

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
    def get_waiting_position(cls, registrations, name):
        result = {}
        for registration in registrations:
            if registration.state != 'waiting':
                result[registration.id] = None
                continue
            result[registration.id] = cls.search_count([
                    ('event', '=', registration.event.id),
                    ('state', '=', 'waiting'),
                    ('id', '<=', registration.id),
                    ])
        return result

    @classmethod
    def get_ticket(cls, registrations, names):
        from copp_portal.mail import portal_url

        from .tokens import ticket_token
        result = {n: {} for n in names}
        for registration in registrations:
            if 'ticket_number' in names:
                result['ticket_number'][registration.id] = (
                    f'{registration.event.id}-{registration.id:06d}')
            if 'ticket_url' in names:
                result['ticket_url'][registration.id] = portal_url(
                    f'/events/ticket/{ticket_token(registration)}')
        return result

    @property
    def token(self):
        from .tokens import ticket_token
        return ticket_token(self)

    @classmethod
    def get_attended(cls, registrations, names):
        pool = Pool()
        Attendance = pool.get('copp.event.attendance')
        attendance = Attendance.__table__()
        cursor = Transaction().connection.cursor()
        counts = {r.id: 0 for r in registrations}
        for sub_ids in grouped_slice(list(counts), MAX_PARAMS):
            cursor.execute(*attendance.select(attendance.registration,
                    Count(attendance.id),
                    where=SQL_OPERATORS['in'](attendance.registration, list(sub_ids)),
                    group_by=[attendance.registration]))
            counts.update(dict(cursor))
        result = {}
        if 'attended' in names:
            result['attended'] = {i: bool(c) for i, c in counts.items()}
        if 'sessions_attended' in names:
            result['sessions_attended'] = counts
        return result

    @classmethod
    def search_attended(cls, name, clause):
        pool = Pool()
        Attendance = pool.get('copp.event.attendance')
        attendance = Attendance.__table__()
        _, operator, value = clause
        positive = (operator == '=') == bool(value)
        return [('id', 'in' if positive else 'not in',
                attendance.select(attendance.registration))]

    @property
    def recipient(self):
        "The address the ticket and the reminders go to"
        return self.email or self.representative_email or None

    # Validation ----------------------------------------------------------
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

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        for name in ['last_name', 'first_name', 'patronymic',
                'representative_name', 'organization', 'grade']:
            if values.get(name):
                values[name] = ' '.join(values[name].split())
        for name in ['email', 'representative_email']:
            if values.get(name):
                values[name] = values[name].strip().lower()
        if mode == 'create':
            values.setdefault('ticket_nonce', secrets.token_urlsafe(12))
            if (not Transaction().context.get('_copp_event_placed')
                    and values.get('event')
                    and values.get('state', 'confirmed') == 'confirmed'):
                # Created from the back-office list: the place is given
                # here, beyond the capacity the registration waits.
                Event = Pool().get('copp.event')
                event = Event(values['event'])
                values['state'], = event.state_for_new(1)
            if values.get('state', 'confirmed') == 'confirmed':
                values.setdefault('confirmed_date', dt.datetime.now())
        return values

    @classmethod
    def copy(cls, registrations, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('attendances', None)
        default.setdefault('reminded_sessions', None)
        default.setdefault('ticket_nonce',
            lambda o: secrets.token_urlsafe(12))
        return super().copy(registrations, default=default)

    # Registering ---------------------------------------------------------
    @classmethod
    def register(cls, event, values_list, send=True):
        """Create registrations for `event` with a place or in the waiting
        list (capacity counted under a lock of the event), and e-mail the
        tickets. Raise EventError when the event is full."""
        pool = Pool()
        Event = pool.get('copp.event')
        Event.lock([event])
        states = event.state_for_new(len(values_list))
        now = dt.datetime.now()
        to_create = []
        for values, state in zip(values_list, states):
            values = dict(values, event=event.id, state=state)
            if state == 'confirmed':
                values['confirmed_date'] = now
            to_create.append(values)
        with Transaction().set_context(_copp_event_placed=True):
            registrations = cls.create(to_create)
        if send:
            for registration in registrations:
                registration.send_mail(registration.state)
        return registrations

    @classmethod
    def on_modification(cls, mode, registrations, field_names=None):
        super().on_modification(mode, registrations, field_names=field_names)
        if mode == 'create':
            # Staff may create confirmed registrations from the list: the
            # capacity still holds.
            for event in {r.event for r in registrations}:
                if event.capacity and event.places_taken() > event.capacity:
                    raise EventError(gettext('copp_event.msg_event_full',
                            event=event.name, places=0))

    @classmethod
    @ModelView.button
    def cancel(cls, registrations, reason='organizer'):
        pool = Pool()
        Event = pool.get('copp.event')
        registrations = [r for r in registrations if r.state != 'cancelled']
        if not registrations:
            return
        Event.lock(list({r.event for r in registrations}))
        cls.write(registrations, {
                'state': 'cancelled',
                'cancelled_date': dt.datetime.now(),
                'cancel_reason': reason,
                })
        for registration in registrations:
            registration.send_mail('cancelled')
        Event.promote_waiting(list({r.event for r in registrations}))

    @classmethod
    @ModelView.button
    def resend_ticket(cls, registrations):
        for registration in registrations:
            registration.send_mail(registration.state)

    @classmethod
    @ModelView.button
    def check_in(cls, registrations):
        "Mark present at the current (or nearest) session of the event"
        pool = Pool()
        Attendance = pool.get('copp.event.attendance')
        for registration in registrations:
            session = Attendance.current_session(registration.event)
            if session:
                Attendance.check_in(registration, session, method='manual')

    # E-mails -------------------------------------------------------------
    def send_mail(self, kind):
        "E-mail `kind` (confirmed, waiting, promoted, cancelled, …)"
        from .mailing import send_registration_mail
        if self.recipient:
            return send_registration_mail(self, kind)

    @classmethod
    def send_reminders(cls):
        """Cron: remind the confirmed participants of the sessions that
        start within the event's reminder delay"""
        pool = Pool()
        Session = pool.get('copp.event.session')
        now = dt.datetime.now()
        sessions = Session.search([
                ('event.state', '=', 'published'),
                ('event.reminder_hours', '!=', None),
                ('start', '>', now),
                ('start', '<=', now + dt.timedelta(hours=72)),
                ])
        sent = 0
        for session in sessions:
            if session.start - now > dt.timedelta(
                    hours=session.event.reminder_hours):
                continue
            tag = f'[{session.id}]'
            registrations = cls.search([
                    ('event', '=', session.event.id),
                    ('state', '=', 'confirmed'),
                    ['OR',
                        ('reminded_sessions', '=', None),
                        ('reminded_sessions', 'not like', f'%{tag}%'),
                        ],
                    ])
            for registration in registrations:
                from .mailing import send_registration_mail
                if registration.recipient:
                    send_registration_mail(registration, 'reminder',
                        session=session)
                    sent += 1
                registration.reminded_sessions = (
                    (registration.reminded_sessions or '') + tag)
            cls.save(registrations)
        return sent
