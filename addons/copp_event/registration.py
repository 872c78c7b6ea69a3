"""Registrations for events (the participant's name, age and checks are in
participant.py, registering and cancelling in places.py, attendance in
attendance.py, the registration of a whole school class in
register_class.py).

A registration is `confirmed` (has a place), `waiting` (in the waiting
list) or `cancelled`. A participant under 18 on the day of the event is
registered by a legal representative, whose name and phone are required.
Every registration carries a ticket (see tokens.py) sent by e-mail with a QR
code; attendance is one row per registration and session.
"""
import datetime as dt
import secrets

from sql.aggregate import Count

from trytond import backend
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.model.fields import SQL_OPERATORS
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from copp.personal_data import PersonalDataMixin
from copp_portal.outbox import MailOriginMixin

from .participant import RegistrationParticipant
from .places import RegistrationPlaces

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


class Registration(PersonalDataMixin, MailOriginMixin,
        RegistrationParticipant, RegistrationPlaces, ModelSQL, ModelView):
    "Event Registration"
    __name__ = 'copp.event.registration'
    __string__ = "Event Registration"
    # Every read of these fields on behalf of a user is registered in
    # copp.personal_data.log (with the organizer of the event).
    _personal_data_fields = {'rec_name', 'name', 'last_name', 'first_name',
        'patronymic', 'birth_date', 'email', 'phone',
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
    ticket_resent = fields.DateTime("Ticket Sent Again", readonly=True,
        help="When the participant last had the portal send the ticket "
        "again (at most once per [copp] ticket_resend_minutes).")
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
        default.setdefault('ticket_resent', None)
        default.setdefault('ticket_nonce',
            lambda o: secrets.token_urlsafe(12))
        return super().copy(registrations, default=default)

    # Tickets and check-in ------------------------------------------------
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
