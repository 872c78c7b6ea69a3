"""Events of the ЦОПП and the colleges: career guidance, job fairs, open days,
championships, master classes, webinars.

An event belongs to its organizer (`company`: the ЦОПП or a college) and
follows the two global rules of the suite. It has one or more sessions
(dates and times); `begin` and `end` are kept from the sessions so that the
portal lists and filters events with plain SQL. Its places and waiting
list are in places.py, its registrations in registration.py.
"""
import datetime as dt
import re
import secrets

from sql.aggregate import Max, Min

from trytond import backend
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.model.fields import SQL_OPERATORS
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from copp.labels import SelectionLabelMixin, selection_label
from copp.workflow import DraftCompanyMixin, state_button

from .exceptions import EventError, EventValidationError
from .places import EventPlaces

MAX_PARAMS = backend.MAX_QUERY_PARAMS

KINDS = [
    ('career_guidance', "Career Guidance Event"),
    ('job_fair', "Job Fair"),
    ('open_day', "Open Day"),
    ('championship', "Professional Skills Championship"),
    ('master_class', "Master Class"),
    ('webinar', "Webinar"),
    ]
AUDIENCES = [
    ('schoolchildren', "Schoolchildren"),
    ('students', "Students"),
    ('adults', "Adults"),
    ('employers', "Employers"),
    ]
VENUE_KINDS = [
    ('college', "College or Workshop"),
    ('address', "Address"),
    ('online', "Online"),
    ]
STATES = [
    ('draft', "Draft"),
    ('published', "Published"),
    ('done', "Done"),
    ('cancelled', "Cancelled"),
    ]
URL_PATTERN = re.compile(r'^https?://[^\s<>"]+$')
DEFAULT_TIMEZONE = 'Europe/Moscow'


class Event(DraftCompanyMixin, SelectionLabelMixin, EventPlaces, Workflow,
        ModelSQL, ModelView):
    "Event"
    __name__ = 'copp.event'
    __string__ = "Event"

    _readonly = {'readonly': Eval('state').in_(['done', 'cancelled'])}

    name = fields.Char("Title", required=True, states=_readonly)
    kind = fields.Selection(KINDS, "Kind", required=True, states=_readonly)
    kind_label = selection_label("Kind")
    description = fields.Text("Description", states=_readonly,
        help="Shown on the event page of the portal.")
    company = fields.Many2One('company.company', "Organizer", required=True,
        ondelete='RESTRICT', states=_readonly,
        help="The ЦОПП or the college that runs the event.")
    responsible = fields.Many2One('company.employee', "Responsible",
        domain=[('company', '=', Eval('company', -1))], states=_readonly)
    contact_phone = fields.Char("Contact Phone", states=_readonly)
    contact_email = fields.Char("Contact E-mail", states=_readonly)
    venue_kind = fields.Selection(VENUE_KINDS, "Venue", required=True,
        states=_readonly)
    venue_company = fields.Many2One('company.company', "Host Institution",
        ondelete='RESTRICT',
        states={
            'invisible': Eval('venue_kind') != 'college',
            'required': Eval('venue_kind') == 'college',
            'readonly': Eval('state').in_(['done', 'cancelled']),
            },
        help="The college (or the ЦОПП) where the event takes place.")
    venue_room = fields.Char("Workshop or Room",
        states={
            'invisible': Eval('venue_kind') != 'college',
            'readonly': Eval('state').in_(['done', 'cancelled']),
            },
        help="E.g. «Мастерская „Сварочные технологии“, ауд. 105».")
    address = fields.Char("Address",
        states={
            'invisible': Eval('venue_kind') == 'online',
            'required': Eval('venue_kind') == 'address',
            'readonly': Eval('state').in_(['done', 'cancelled']),
            })
    online_url = fields.Char("Online Link",
        states={
            'invisible': Eval('venue_kind') != 'online',
            'required': Eval('venue_kind') == 'online',
            'readonly': Eval('state').in_(['done', 'cancelled']),
            },
        help="Sent to the registered participants only.")
    sessions = fields.One2Many('copp.event.session', 'event', "Sessions",
        states=_readonly)
    begin = fields.DateTime("Begins", readonly=True,
        help="The start of the first session.")
    end = fields.DateTime("Ends", readonly=True,
        help="The end of the last session.")
    audience = fields.MultiSelection(AUDIENCES, "Audience", states=_readonly)
    min_age = fields.Integer("Minimum Age", states=_readonly,
        domain=[If(Bool(Eval('min_age')), ('min_age', '>=', 0), ())])
    max_age = fields.Integer("Maximum Age", states=_readonly,
        domain=[If(Bool(Eval('max_age')),
                ('max_age', '>=', Eval('min_age', 0) or 0), ())])
    capacity = fields.Integer("Capacity", states=_readonly,
        domain=[If(Bool(Eval('capacity')), ('capacity', '>', 0), ())],
        help="The number of places; empty for no limit.")
    waiting_list = fields.Boolean("Waiting List", states=_readonly,
        help="When the places are taken, new registrations wait and move "
        "up when a place is freed.")
    registration_open = fields.Boolean("Registration Open", states=_readonly,
        help="Citizens may register on the portal.")
    registration_deadline = fields.DateTime("Registration Deadline",
        states=_readonly)
    reminder_hours = fields.Integer("Reminder (Hours Before)",
        states=_readonly,
        domain=[If(Bool(Eval('reminder_hours')),
                ('reminder_hours', '>', 0), ())],
        help="The reminder e-mail is sent this many hours before the "
        "start of each session; empty for no reminder.")
    state = fields.Selection(STATES, "State", required=True, readonly=True,
        sort=False)
    registrations = fields.One2Many('copp.event.registration', 'event',
        "Registrations", readonly=True)
    confirmed_count = fields.Function(fields.Integer("Confirmed"),
        'get_counts')
    waiting_count = fields.Function(fields.Integer("Waiting"), 'get_counts')
    attended_count = fields.Function(fields.Integer("Attended"),
        'get_counts')
    free_places = fields.Function(fields.Integer("Free Places"),
        'get_counts')
    checkin_nonce = fields.Char("Check-in Nonce", readonly=True,
        strip=False)
    checkin_url = fields.Function(fields.Char("Check-in Page",
            help="The check-in page for the staff at the entrance (open it "
            "on a phone). Anyone who has the link can check participants "
            "in: give it only to the staff of the event; "
            "«New Check-in Link» cancels the old one."),
        'get_urls')
    public_url = fields.Function(fields.Char("Portal Page"), 'get_urls')
    count = fields.Function(fields.Integer("Count",
            help="1 for every event: graphs sum it to count events."),
        'get_count')

    del _readonly

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('begin', 'DESC NULLS FIRST'), ('id', 'DESC')]
        cls._sql_indexes.update({
                Index(t, (t.state, Index.Equality(cardinality='low')),
                    (t.begin, Index.Range())),
                Index(t, (t.company, Index.Range())),
                })
        cls._transitions |= {
            ('draft', 'published'),
            ('published', 'draft'),
            ('published', 'done'),
            ('draft', 'cancelled'),
            ('published', 'cancelled'),
            ('cancelled', 'draft'),
            ('done', 'published'),
            }
        cls._buttons.update({
                'draft': state_button(
                    'tryton-undo', ['published', 'cancelled']),
                'publish': state_button('tryton-ok', ['draft', 'done']),
                'done': state_button('tryton-ok', ['published']),
                'cancel': state_button(
                    'tryton-cancel', ['draft', 'published']),
                'new_checkin_link': state_button(
                    'tryton-refresh', ['published']),
                'register_class': state_button('tryton-add', ['published']),
                })

    @classmethod
    def default_venue_kind(cls):
        return 'college'

    @classmethod
    def default_waiting_list(cls):
        return True

    @classmethod
    def default_registration_open(cls):
        return True

    @classmethod
    def default_reminder_hours(cls):
        return 24

    @classmethod
    def default_audience(cls):
        return ('schoolchildren',)

    @classmethod
    def default_checkin_nonce(cls):
        return secrets.token_urlsafe(12)

    @fields.depends('company', 'venue_company', 'venue_kind')
    def on_change_company(self):
        if self.company and not self.venue_company and (
                self.venue_kind == 'college'):
            self.venue_company = self.company

    def get_count(self, name):
        return 1

    @property
    def timezone(self):
        return (self.company.timezone if self.company else None) or (
            DEFAULT_TIMEZONE)

    @property
    def venue_text(self):
        "The venue as one line of text"
        if self.venue_kind == 'online':
            return gettext('copp_event.msg_venue_online')
        parts = []
        if self.venue_kind == 'college' and self.venue_company:
            parts.append(self.venue_company.party.name)
        if self.venue_kind == 'college' and self.venue_room:
            parts.append(self.venue_room)
        if self.address:
            parts.append(self.address)
        return ', '.join(parts)

    def checkin_key(self):
        from .tokens import checkin_key
        return checkin_key(self)

    @classmethod
    def get_urls(cls, events, names):
        from copp_portal.mail import portal_url
        result = {n: {} for n in names}
        for event in events:
            if 'public_url' in names:
                result['public_url'][event.id] = portal_url(
                    f'/events/{event.id}')
            if 'checkin_url' in names:
                result['checkin_url'][event.id] = (portal_url(
                        f'/events/{event.id}/checkin/{event.checkin_key()}')
                    if event.state == 'published' and event.id >= 0
                    and event.checkin_nonce else None)
        return result

    @classmethod
    def update_bounds(cls, events):
        "Keep begin and end from the sessions (one query per slice)"
        pool = Pool()
        Session = pool.get('copp.event.session')
        session = Session.__table__()
        cursor = Transaction().connection.cursor()
        ids = [e.id for e in events if e.id is not None and e.id >= 0]
        bounds = {i: (None, None) for i in ids}
        for sub_ids in grouped_slice(ids, MAX_PARAMS):
            cursor.execute(*session.select(session.event,
                    Min(session.start), Max(session.end),
                    where=SQL_OPERATORS['in'](session.event, list(sub_ids)),
                    group_by=[session.event]))
            for event_id, begin, end in cursor:
                bounds[event_id] = (begin, end)
        to_write = []
        for event in cls.browse(list(bounds)):
            begin, end = bounds[event.id]
            if isinstance(begin, str):  # SQLite aggregates return text
                begin = dt.datetime.fromisoformat(begin)
                end = dt.datetime.fromisoformat(end)
            if (event.begin, event.end) != (begin, end):
                to_write.extend([[event], {'begin': begin, 'end': end}])
        if to_write:
            cls.write(*to_write)

    @classmethod
    def validate_fields(cls, events, field_names):
        super().validate_fields(events, field_names)
        for event in events:
            if (event.online_url and event.venue_kind == 'online'
                    and not URL_PATTERN.match(event.online_url)):
                raise EventValidationError(gettext(
                        'copp_event.msg_event_url_invalid',
                        event=event.rec_name, url=event.online_url))
            if (event.min_age is not None and event.max_age is not None
                    and event.min_age > event.max_age):
                raise EventValidationError(gettext(
                        'copp_event.msg_event_ages',
                        event=event.rec_name))

    @classmethod
    def copy(cls, events, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('registrations', None)
        default.setdefault('begin', None)
        default.setdefault('end', None)
        default.setdefault('checkin_nonce', lambda o: secrets.token_urlsafe(
                12))
        return super().copy(events, default=default)

    # Workflow ------------------------------------------------------------
    @classmethod
    @ModelView.button
    @Workflow.transition('published')
    def publish(cls, events):
        for event in events:
            if not event.sessions:
                raise EventError(gettext('copp_event.msg_event_no_session',
                        event=event.rec_name))
            if not event.checkin_nonce:
                event.checkin_nonce = secrets.token_urlsafe(12)
        cls.save(events)

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def done(cls, events):
        pool = Pool()
        Registration = pool.get('copp.event.registration')
        # Who waited and never got a place is told nothing more.
        Registration.write(Registration.search([
                    ('event', 'in', [e.id for e in events]),
                    ('state', '=', 'waiting'),
                    ]) or [], {'state': 'cancelled',
                'cancel_reason': 'event_done',
                'cancelled_date': dt.datetime.now()})

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, events):
        pool = Pool()
        Registration = pool.get('copp.event.registration')
        registrations = Registration.search([
                ('event', 'in', [e.id for e in events]),
                ('state', 'in', ['confirmed', 'waiting']),
                ])
        if registrations:
            Registration.write(registrations, {
                    'state': 'cancelled',
                    'cancel_reason': 'event_cancelled',
                    'cancelled_date': dt.datetime.now(),
                    })
            for registration in registrations:
                registration.send_mail('event_cancelled')

    @classmethod
    @ModelView.button
    def new_checkin_link(cls, events):
        for event in events:
            event.checkin_nonce = secrets.token_urlsafe(12)
        cls.save(events)

    @classmethod
    @ModelView.button_action('copp_event.wizard_register_class')
    def register_class(cls, events):
        pass

    @classmethod
    def close_finished(cls):
        "Cron: events whose last session ended yesterday become done"
        limit = dt.datetime.now() - dt.timedelta(days=1)
        events = cls.search([
                ('state', '=', 'published'),
                ('end', '!=', None),
                ('end', '<', limit),
                ])
        if events:
            cls.done(events)
