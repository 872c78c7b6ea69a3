"""Attendance: one row per registration and session, written by the
check-in page (QR code or name search) or in the back office."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.pyson import Eval

from .exceptions import EventError, RegistrationValidationError

CHECKIN_METHODS = [
    ('qr', "QR Code"),
    ('search', "Name Search"),
    ('manual', "Back Office"),
    ]


class Attendance(ModelSQL, ModelView):
    "Event Attendance"
    __name__ = 'copp.event.attendance'
    __string__ = "Event Attendance"

    registration = fields.Many2One('copp.event.registration', "Participant",
        required=True, ondelete='CASCADE',
        domain=[('event', '=', Eval('event', -1))])
    session = fields.Many2One('copp.event.session', "Session",
        required=True, ondelete='CASCADE',
        domain=[('event', '=', Eval('event', -1))])
    event = fields.Function(fields.Many2One('copp.event', "Event"),
        'on_change_with_event', searcher='search_event')
    checked_in = fields.DateTime("Checked In", required=True)
    method = fields.Selection(CHECKIN_METHODS, "Method", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('registration')
        t = cls.__table__()
        cls._sql_constraints += [
            ('registration_session_unique',
                Unique(t, t.registration, t.session),
                'copp_event.msg_attendance_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.session, Index.Range())))
        cls._order = [('checked_in', 'DESC'), ('id', 'DESC')]

    @classmethod
    def default_checked_in(cls):
        return dt.datetime.now()

    @classmethod
    def default_method(cls):
        return 'manual'

    @fields.depends('registration', '_parent_registration.event',
        'session', '_parent_session.event')
    def on_change_with_event(self, name=None):
        if self.registration and self.registration.event:
            return self.registration.event.id
        if self.session and self.session.event:
            return self.session.event.id

    @classmethod
    def search_event(cls, name, clause):
        return [('registration.event',) + tuple(clause[1:])]

    @classmethod
    def validate_fields(cls, attendances, field_names):
        super().validate_fields(attendances, field_names)
        for attendance in attendances:
            if attendance.session.event != attendance.registration.event:
                raise RegistrationValidationError(gettext(
                        'copp_event.msg_attendance_other_event',
                        participant=attendance.registration.rec_name))
            if attendance.registration.state != 'confirmed':
                raise RegistrationValidationError(gettext(
                        'copp_event.msg_attendance_not_confirmed',
                        participant=attendance.registration.rec_name))

    @classmethod
    def current_session(cls, event, now=None):
        """The session in progress, else the next one today, else the last
        one that started, else the first"""
        now = now or dt.datetime.now()
        sessions = list(event.sessions)
        if not sessions:
            return None
        for session in sessions:
            if session.start - dt.timedelta(hours=2) <= now <= session.end:
                return session
        started = [s for s in sessions if s.start <= now]
        upcoming = [s for s in sessions if s.start > now]
        if upcoming and upcoming[0].start.date() == now.date():
            return upcoming[0]
        if started:
            return started[-1]
        return sessions[0]

    @classmethod
    def check_in(cls, registration, session, method='qr'):
        """(attendance, created): the attendance of `registration` at
        `session`; an existing one is returned as it is"""
        existing = cls.search([
                ('registration', '=', registration.id),
                ('session', '=', session.id),
                ], limit=1)
        if existing:
            return existing[0], False
        if registration.state != 'confirmed':
            raise EventError(gettext(
                    'copp_event.msg_attendance_not_confirmed',
                    participant=registration.rec_name))
        attendance, = cls.create([{
                    'registration': registration.id,
                    'session': session.id,
                    'checked_in': dt.datetime.now(),
                    'method': method,
                    }])
        return attendance, True
