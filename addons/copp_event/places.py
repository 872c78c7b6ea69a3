"""Places and the waiting list of an event.

Registrations are limited by the event's `capacity`: beyond it they wait in
the waiting list (or are refused when the event has none), which moves up
by itself when a place is freed (`promote_waiting`). Places are given under
a lock of the event (`Registration.register`), and the back-office list of
registrations goes through the same check.
"""
import datetime as dt

from sql.aggregate import Count

from trytond import backend
from trytond.i18n import gettext
from trytond.model import ModelView
from trytond.model.fields import SQL_OPERATORS
from trytond.pool import Pool
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from copp_portal.portal import invalidate_public_pages

from .exceptions import EventError

MAX_PARAMS = backend.MAX_QUERY_PARAMS


class EventPlaces:
    "The places, the waiting list and their counters of copp.event"
    __slots__ = ()

    @classmethod
    def get_counts(cls, events, names):
        pool = Pool()
        Registration = pool.get('copp.event.registration')
        Attendance = pool.get('copp.event.attendance')
        registration = Registration.__table__()
        attendance = Attendance.__table__()
        cursor = Transaction().connection.cursor()
        ids = [e.id for e in events]
        counts = {s: {i: 0 for i in ids} for s in [
                'confirmed', 'waiting', 'cancelled']}
        attended = {i: 0 for i in ids}
        for sub_ids in grouped_slice(ids, MAX_PARAMS):
            sub_ids = list(sub_ids)
            cursor.execute(*registration.select(
                    registration.event, registration.state,
                    Count(registration.id),
                    where=SQL_OPERATORS['in'](registration.event, list(sub_ids)),
                    group_by=[registration.event, registration.state]))
            for event_id, state, count in cursor:
                counts[state][event_id] = count
            if 'attended_count' in names:
                cursor.execute(*registration.join(attendance,
                        condition=attendance.registration == registration.id
                        ).select(registration.event,
                        Count(registration.id, distinct=True),
                        where=SQL_OPERATORS['in'](registration.event, list(sub_ids)),
                        group_by=[registration.event]))
                for event_id, count in cursor:
                    attended[event_id] = count
        result = {}
        for name in names:
            if name == 'confirmed_count':
                result[name] = counts['confirmed']
            elif name == 'waiting_count':
                result[name] = counts['waiting']
            elif name == 'attended_count':
                result[name] = attended
            elif name == 'free_places':
                result[name] = {e.id: (
                        max(0, e.capacity - counts['confirmed'][e.id])
                        if e.capacity else None) for e in events}
        return result

    def places_taken(self):
        pool = Pool()
        Registration = pool.get('copp.event.registration')
        return Registration.search_count([
                ('event', '=', self.id),
                ('state', '=', 'confirmed'),
                ])

    def state_for_new(self, count=1):
        """The state of `count` new registrations: a list of 'confirmed' and
        'waiting'. Raise EventError when the event is full and has no
        waiting list. The caller locks the event first (`lock`)."""
        if not self.capacity:
            return ['confirmed'] * count
        free = max(0, self.capacity - self.places_taken())
        states = ['confirmed'] * min(free, count)
        if len(states) < count:
            if not self.waiting_list:
                raise EventError(gettext('copp_event.msg_event_full',
                        event=self.name, places=free))
            states += ['waiting'] * (count - len(states))
        return states

    def check_registration_open(self, now=None):
        "Raise EventError when citizens cannot register now"
        now = now or dt.datetime.now()
        if self.state != 'published' or not self.registration_open:
            raise EventError(gettext('copp_event.msg_registration_closed',
                    event=self.name))
        if self.registration_deadline and now > self.registration_deadline:
            raise EventError(gettext('copp_event.msg_registration_closed',
                    event=self.name))
        if self.end and now > self.end:
            raise EventError(gettext('copp_event.msg_registration_closed',
                    event=self.name))

    @classmethod
    def promote_waiting(cls, events):
        """Give the free places to the waiting list, first come first
        served; the promoted participants are told by e-mail"""
        pool = Pool()
        Registration = pool.get('copp.event.registration')
        promoted = []
        for event in events:
            if event.state != 'published':
                continue
            cls.lock([event])
            if event.capacity:
                free = event.capacity - event.places_taken()
                if free <= 0:
                    continue
                limit = free
            else:
                limit = None
            waiting = Registration.search([
                    ('event', '=', event.id),
                    ('state', '=', 'waiting'),
                    ], order=[('id', 'ASC')], limit=limit)
            if waiting:
                Registration.write(waiting, {
                        'state': 'confirmed',
                        'confirmed_date': dt.datetime.now(),
                        })
                promoted.extend(waiting)
        for registration in promoted:
            registration.send_mail('promoted')
        return promoted

    @classmethod
    def on_modification(cls, mode, events, field_names=None):
        super().on_modification(mode, events, field_names=field_names)
        # the public pages (/events, the calendar, the event's page) show
        # the events and their free places: kept by the micro-cache
        invalidate_public_pages()
        if mode == 'write' and field_names and (
                field_names & {'capacity', 'waiting_list'}):
            cls.promote_waiting(events)


class RegistrationPlaces:
    "Registering and cancelling of copp.event.registration: places"
    __slots__ = ()

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
        invalidate_public_pages()  # the free places shown on the pages
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
