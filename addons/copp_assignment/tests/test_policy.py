"""The rules of an assignment as pure functions, with fixed datetimes:
started days late, the three late policies and the cut-off, the capped
penalty, the rubric's scaling, the file limits, «осталось …»."""
import datetime as dt
import unittest
from decimal import Decimal

from copp_assignment import policy

DEADLINE = dt.datetime(2030, 3, 10, 20, 59)
CUTOFF = dt.datetime(2030, 3, 15, 20, 59)
D = Decimal


class PolicyTestCase(unittest.TestCase):

    def test_days_late_started_days(self):
        "A started day counts whole: 1 s late is day 1, 24 h 1 s is day 2"
        self.assertEqual(policy.days_late(DEADLINE, DEADLINE), 0)
        self.assertEqual(policy.days_late(DEADLINE,
                DEADLINE - dt.timedelta(hours=5)), 0)
        self.assertEqual(policy.days_late(DEADLINE,
                DEADLINE + dt.timedelta(seconds=1)), 1)
        self.assertEqual(policy.days_late(DEADLINE,
                DEADLINE + dt.timedelta(days=1)), 1)
        self.assertEqual(policy.days_late(DEADLINE,
                DEADLINE + dt.timedelta(days=1, seconds=1)), 2)
        self.assertEqual(policy.days_late(None, DEADLINE), 0)

    def test_refuse_after_deadline(self):
        on_time = policy.lateness(DEADLINE, DEADLINE, CUTOFF, 'refuse')
        self.assertEqual(on_time, (True, False, 0, D(0)))
        late = policy.lateness(DEADLINE + dt.timedelta(minutes=1), DEADLINE,
            CUTOFF, 'refuse')
        self.assertEqual(late[0], False)

    def test_mark_late(self):
        result = policy.lateness(DEADLINE + dt.timedelta(hours=30),
            DEADLINE, CUTOFF, 'mark')
        self.assertEqual(result, (True, True, 2, D(0)))

    def test_cutoff_refuses_every_policy(self):
        after = CUTOFF + dt.timedelta(seconds=1)
        for late_policy in ['refuse', 'mark', 'penalty']:
            accepted, late, _, _ = policy.lateness(after, DEADLINE, CUTOFF,
                late_policy, D(10), D(30))
            self.assertFalse(accepted, late_policy)
            self.assertTrue(late)
        # Exactly at the cut-off it is still accepted
        self.assertTrue(policy.lateness(CUTOFF, DEADLINE, CUTOFF, 'mark')[0])
        # A cut-off without a deadline
        self.assertTrue(policy.lateness(CUTOFF, None, CUTOFF, 'refuse')[0])
        self.assertFalse(policy.lateness(after, None, CUTOFF, 'mark')[0])

    def test_penalty_per_started_day_capped(self):
        def penalty(delta):
            return policy.lateness(DEADLINE + delta, DEADLINE, CUTOFF,
                'penalty', D(10), D(25))
        self.assertEqual(penalty(dt.timedelta(minutes=5)),
            (True, True, 1, D(10)))
        self.assertEqual(penalty(dt.timedelta(days=1, minutes=5)),
            (True, True, 2, D(20)))
        # Day 3 would be 30 %: the cap of 25 % applies
        self.assertEqual(penalty(dt.timedelta(days=2, hours=1)),
            (True, True, 3, D(25)))
        # No cap: never more than 100 %
        self.assertEqual(policy.penalty(12, D(10)), D(100))
        self.assertEqual(policy.penalty(2, D(10), D(150)), D(20))

    def test_apply_penalty(self):
        self.assertEqual(policy.apply_penalty(D(90), D(25)), D('67.50'))
        self.assertEqual(policy.apply_penalty(D(90), D(0)), D('90.00'))
        self.assertEqual(policy.apply_penalty(D('77.77'), D(10)), D('69.99'))
        self.assertIsNone(policy.apply_penalty(None, D(10)))

    def test_rubric_scaling(self):
        "Levels 3 of 4 and 6 of 6 points, max grade 100: 90"
        self.assertEqual(policy.rubric_grade([D(3), D(6)], [D(4), D(6)],
                D(100)), D('90.00'))
        # Scaled to another max grade: 9 / 10 of 5 points
        self.assertEqual(policy.rubric_grade([D(3), D(6)], [D(4), D(6)],
                D(5)), D('4.50'))
        self.assertEqual(policy.rubric_grade([D(1)], [D(3)], D(10)),
            D('3.33'))
        self.assertIsNone(policy.rubric_grade([D(0)], [D(0)], D(10)))

    def test_percent(self):
        self.assertEqual(policy.percent(D('4.5'), D(5)), D('90.00'))
        self.assertIsNone(policy.percent(None, D(5)))

    def test_file_problem(self):
        allowed = 'PDF, .docx;zip'
        self.assertEqual(policy.extensions(allowed), ['pdf', 'docx', 'zip'])
        self.assertIsNone(policy.file_problem('Отчёт.PDF', 1000, allowed, 1))
        self.assertEqual(policy.file_problem('отчёт.exe', 1000, allowed, 1),
            ('extension', {'allowed': 'pdf, docx, zip'}))
        self.assertEqual(policy.file_problem('README', 1000, allowed, 1)[0],
            'extension')
        self.assertEqual(policy.file_problem('big.pdf', 3 * 1024 * 1024,
                allowed, D('2.5')),
            ('size', {'size': '3,0', 'limit': '2,5'}))
        self.assertEqual(policy.file_problem('empty.pdf', 0, allowed, 1),
            ('empty', {}))
        # No extension list: any file
        self.assertIsNone(policy.file_problem('a.exe', 10, '', 1))

    def test_time_left(self):
        now = dt.datetime(2030, 3, 8, 17, 59)
        self.assertEqual(policy.time_left(DEADLINE, now),
            'осталось 2 дня 3 часа')
        self.assertEqual(policy.time_left(DEADLINE,
                DEADLINE - dt.timedelta(minutes=95)),
            'осталось 1 час 35 минут')
        self.assertEqual(policy.time_left(DEADLINE,
                DEADLINE + dt.timedelta(days=5)), 'срок прошёл 5 дней назад')
        self.assertEqual(policy.time_left(DEADLINE, DEADLINE),
            'осталось менее минуты')
        self.assertEqual(policy.time_left(None, now), '')
