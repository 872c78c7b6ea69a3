"""Events: capacity and waiting list, minors, class registration, check-in,
certificates, reminders and the record rules (server side)."""
import datetime as dt

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.tests.test_tryton import RouteTestCase, with_transaction
from trytond.transaction import Transaction, check_access

from copp.tests.tools import create_user
from copp_portal.tests.tools import PortalTestMixin

from .tools import adult, child, create_college, create_event


class EventTestCase(PortalTestMixin, RouteTestCase):
    "Events, registrations and attendance"
    module = 'copp_event'
    language = 'ru'

    def setUp(self):
        super().setUp()

    @with_transaction()
    def test_capacity_and_waiting_list(self):
        "The place freed by a cancellation goes to the first in the queue"
        pool = Pool()
        Registration = pool.get('copp.event.registration')
        college = create_college("Колледж А", "КА")
        event = create_event(college, capacity=2)
        first, second, third, fourth = Registration.register(event, [
                adult("Первов"), adult("Вторых"), adult("Третьяков"),
                adult("Четвертаков")], send=False)
        self.assertEqual([r.state for r in (first, second, third, fourth)],
            ['confirmed', 'confirmed', 'waiting', 'waiting'])
        self.assertEqual(third.waiting_position, 1)
        self.assertEqual(fourth.waiting_position, 2)
        self.assertEqual(event.free_places, 0)
        self.assertEqual(event.waiting_count, 2)

        Registration.cancel([second], reason='participant')
        self.assertEqual(Registration(second.id).state, 'cancelled')
        self.assertEqual(Registration(third.id).state, 'confirmed')
        self.assertIsNotNone(Registration(third.id).confirmed_date)
        self.assertEqual(Registration(fourth.id).state, 'waiting')
        self.assertEqual(Registration(fourth.id).waiting_position, 1)

        # More places: the queue moves up at once.
        event.capacity = 5
        event.save()
        self.assertEqual(Registration(fourth.id).state, 'confirmed')

    @with_transaction()
    def test_full_without_waiting_list(self):
        "An event without a waiting list refuses the registration beyond it"
        pool = Pool()
        Registration = pool.get('copp.event.registration')
        college = create_college("Колледж А", "КА")
        event = create_event(college, capacity=1, waiting_list=False)
        Registration.register(event, [adult("Первов")], send=False)
        with self.assertRaises(UserError) as cm:
            Registration.register(event, [adult("Вторых")], send=False)
        self.assertIn("нет свободных мест", cm.exception.message)

    @with_transaction()
    def test_staff_creation_respects_capacity(self):
        "A registration created in the back office beyond the places waits"
        pool = Pool()
        Registration = pool.get('copp.event.registration')
        college = create_college("Колледж А", "КА")
        event = create_event(college, capacity=1)
        one, = Registration.create([dict(adult("Первов"), event=event.id,
                    source='staff')])
        two, = Registration.create([dict(adult("Вторых"), event=event.id,
                    source='staff')])
        self.assertEqual((one.state, two.state), ('confirmed', 'waiting'))

    @with_transaction()
    def test_minor_without_representative(self):
        "A minor without a legal representative is refused, clearly"
        pool = Pool()
        Registration = pool.get('copp.event.registration')
        college = create_college("Колледж А", "КА")
        event = create_event(college)
        values = child("Юнусова", "Мария", representative_name=None,
            representative_phone=None)
        with self.assertRaises(UserError) as cm:
            Registration.register(event, [values], send=False)
        message = cm.exception.message
        self.assertIn("Юнусова Мария", message)
        self.assertIn("14 лет", message)
        self.assertIn("законный представитель", message)
        # With the representative it is accepted.
        registration, = Registration.register(event, [child("Юнусова")],
            send=False)
        self.assertTrue(registration.minor)
        self.assertEqual(registration.age, 14)

    @with_transaction()
    def test_age_limits(self):
        "The age limits of the event are checked on its first day"
        pool = Pool()
        Registration = pool.get('copp.event.registration')
        college = create_college("Колледж А", "КА")
        event = create_event(college, min_age=15, max_age=17)
        with self.assertRaises(UserError) as cm:
            Registration.register(event, [child()], send=False)
        self.assertIn("от 15 лет", cm.exception.message)
        with self.assertRaises(UserError) as cm:
            Registration.register(event, [adult()], send=False)
        self.assertIn("до 17 лет", cm.exception.message)

    @with_transaction()
    def test_class_registration(self):
        "A whole class at once; the places beyond the capacity wait"
        pool = Pool()
        Registration = pool.get('copp.event.registration')
        RegisterClass = pool.get('copp.event.register_class',
            type='wizard')
        college = create_college("Колледж А", "КА")
        event = create_event(college, capacity=3)
        Registration.register(event, [adult("Первов")], send=False)
        year = dt.date.today().year - 15
        pupils = "\n".join([
                f"Алексеев Алексей Алексеевич; 01.02.{year}; "
                "Алексеева Анна; +7 900 100-00-01",
                f"Борисова Бэлла\t03.04.{year}\tБорисов Борис\t89001000002",
                "",
                f"Васильев Василий; 05.06.{year}; Васильева Вера; "
                "+7 900 100-00-03",
                ])
        session_id, _, _ = RegisterClass.create()
        with Transaction().set_context(active_model='copp.event',
                active_id=event.id):
            result = RegisterClass.execute(session_id, {
                    'start': {
                        'event': event.id,
                        'school': "МБОУ «Школа № 5»",
                        'grade': "9 «А»",
                        'teacher_name': "Петрова Нина Павловна",
                        'teacher_phone': "+7 910 222-22-22",
                        'teacher_email': "petrova@school5.example",
                        'pupils': pupils,
                        'paper_consent': True,
                        }}, 'register')
        defaults = result['view']['defaults']
        self.assertEqual((defaults['confirmed'], defaults['waiting']),
            (2, 1))
        pupils_ = Registration.search([('event', '=', event.id),
                ('source', '=', 'class')], order=[('id', 'ASC')])
        self.assertEqual([p.rec_name for p in pupils_], [
                "Алексеев Алексей Алексеевич", "Борисова Бэлла",
                "Васильев Василий"])
        self.assertEqual(pupils_[1].representative_phone, "89001000002")
        self.assertEqual(pupils_[0].group_name, "МБОУ «Школа № 5», 9 «А»")
        self.assertEqual(pupils_[0].consent_by, 'paper')

        # A pupil line without a representative names the pupil.
        session_id, _, _ = RegisterClass.create()
        with self.assertRaises(UserError) as cm:
            RegisterClass.execute(session_id, {
                    'start': {
                        'event': event.id, 'school': "Школа", 'grade': "8",
                        'teacher_name': "Петрова", 'teacher_phone': "+7 1234",
                        'teacher_email': "petrova@school5.example",
                        'pupils': f"Гаврилов Глеб; 01.01.{year}",
                        'paper_consent': True,
                        }}, 'register')
        self.assertIn("Гаврилов Глеб", cm.exception.message)
        self.assertIn("законный представитель", cm.exception.message)

        session_id, _, _ = RegisterClass.create()
        with self.assertRaises(UserError) as cm:
            RegisterClass.execute(session_id, {
                    'start': {
                        'event': event.id, 'school': "Школа", 'grade': "8",
                        'teacher_name': "Петрова", 'teacher_phone': "+7 1234",
                        'teacher_email': "petrova@school5.example",
                        'pupils': "Гаврилов; 31.02.2010",
                        'paper_consent': True,
                        }}, 'register')
        self.assertIn("Строка 1", cm.exception.message)

    @with_transaction()
    def test_check_in_and_certificate(self):
        "Attendance per session; certificates only for those who attended"
        pool = Pool()
        Registration = pool.get('copp.event.registration')
        Attendance = pool.get('copp.event.attendance')
        Certificate = pool.get('copp.event.certificate', type='report')
        college = create_college("Колледж А", "КА")
        event = create_event(college, sessions=2, days=0)
        present, absent = Registration.register(event, [
                adult("Присутствующий"), adult("Отсутствующий")],
            send=False)
        first, second = event.sessions
        attendance, created = Attendance.check_in(present, first)
        self.assertTrue(created)
        again, created = Attendance.check_in(present, first)
        self.assertFalse(created)
        self.assertEqual(again, attendance)
        Attendance.check_in(present, second, method='search')
        self.assertEqual(present.sessions_attended, 2)
        self.assertTrue(present.attended)
        self.assertFalse(absent.attended)
        self.assertEqual(event.attended_count, 1)
        self.assertEqual(Registration.search([
                    ('event', '=', event.id), ('attended', '=', True)]),
            [present])
        self.assertEqual(Registration.search([
                    ('event', '=', event.id), ('attended', '=', False)]),
            [absent])

        oext, content, _, name = Certificate.execute([present.id], {})
        self.assertEqual(oext, 'pdf')
        self.assertTrue(content.startswith(b'%PDF'))
        self.assertIn('Присутствующий', name)
        with self.assertRaises(UserError) as cm:
            Certificate.execute([absent.id], {})
        self.assertIn("Отсутствующий", cm.exception.message)

        # A cancelled registration is not checked in.
        Registration.cancel([absent])
        with self.assertRaises(UserError):
            Attendance.check_in(absent, first)

    @with_transaction()
    def test_reminders(self):
        "The reminder of a session is sent once to the confirmed ones"
        pool = Pool()
        Registration = pool.get('copp.event.registration')
        college = create_college("Колледж А", "КА")
        soon = create_event(college, name="Скоро", days=0)
        session, = soon.sessions
        session.start = dt.datetime.now() + dt.timedelta(hours=5)
        session.end = session.start + dt.timedelta(hours=2)
        session.save()
        later = create_event(college, name="Через неделю", days=7)
        Registration.register(soon, [adult("Первов"), adult("Вторых")],
            send=False)
        cancelled, = Registration.register(soon, [adult("Отказов")],
            send=False)
        Registration.cancel([cancelled])
        Registration.register(later, [adult("Позднов")], send=False)
        self.assertEqual(Registration.send_reminders(), 2)
        self.assertEqual(Registration.send_reminders(), 0)

    @with_transaction()
    def test_event_cancelled(self):
        "Cancelling the event cancels its registrations"
        pool = Pool()
        Registration = pool.get('copp.event.registration')
        Event = pool.get('copp.event')
        college = create_college("Колледж А", "КА")
        event = create_event(college, capacity=1)
        registrations = Registration.register(event, [
                adult("Первов"), adult("Вторых")], send=False)
        Event.cancel([event])
        self.assertEqual({r.state for r in registrations}, {'cancelled'})
        self.assertEqual({r.cancel_reason for r in registrations},
            {'event_cancelled'})

    @with_transaction()
    def test_publish_needs_session(self):
        "An event without a session cannot be published"
        pool = Pool()
        Event = pool.get('copp.event')
        college = create_college("Колледж А", "КА")
        event, = Event.create([{'name': "Без даты", 'kind': 'webinar',
                    'company': college.id, 'venue_kind': 'online',
                    'online_url': 'https://meet.example/copp'}])
        with self.assertRaises(UserError) as cm:
            Event.publish([event])
        self.assertIn("Без даты", cm.exception.message)
        with self.assertRaises(UserError):
            Event.create([{'name': "Плохая ссылка", 'kind': 'webinar',
                        'company': college.id, 'venue_kind': 'online',
                        'online_url': 'javascript:alert(1)'}])

    @with_transaction()
    def test_bounds_follow_sessions(self):
        "begin and end follow the sessions (added, moved, deleted)"
        pool = Pool()
        Session = pool.get('copp.event.session')
        college = create_college("Колледж А", "КА")
        event = create_event(college, sessions=3)
        first, second, third = event.sessions
        self.assertEqual((event.begin, event.end), (first.start, third.end))
        Session.delete([third])
        event = event.__class__(event.id)
        self.assertEqual(event.end, second.end)

    @with_transaction()
    def test_record_rules(self):
        "A college reads and writes its own events only; the ЦОПП reads all"
        pool = Pool()
        Event = pool.get('copp.event')
        Registration = pool.get('copp.event.registration')
        college_a = create_college("Колледж А", "КА")
        college_b = create_college("Колледж Б", "КБ")
        copp = create_college("ЦОПП", "ЦОПП", kind='copp')
        event_a = create_event(college_a, name="Событие А")
        event_b = create_event(college_b, name="Событие Б")
        registration_b, = Registration.register(event_b, [adult()],
            send=False)
        admin_a = create_user('admin_a', [college_a], ['group_college_admin'])
        specialist = create_user('copp1', [copp, college_a, college_b],
            ['group_copp'])
        with Transaction().set_user(admin_a.id), Transaction().set_context(
                company=college_a.id, companies=[college_a.id]), \
                check_access():
            self.assertEqual(Event.search([]), [event_a])
            self.assertEqual(Registration.search([]), [])
            with self.assertRaises(AccessError):
                Registration.read([registration_b.id], ['last_name'])
        with Transaction().set_user(specialist.id), \
                Transaction().set_context(company=copp.id), check_access():
            self.assertEqual(set(Event.search([])), {event_a, event_b})
            self.assertEqual(Registration.search([]), [registration_b])
            with self.assertRaises(AccessError):
                Event.write([Event(event_b.id)], {'name': "Чужое"})
