"""The SCORM 1.2 data model on the server (cmi.py): the values a player
posts, valid and invalid, and the conversions. Pure Python."""
import datetime as dt
import re
import unittest
from decimal import Decimal
from pathlib import Path

from copp_scorm import cmi

from .tools import payload

MODULE = Path(__file__).parent.parent


class CMITestCase(unittest.TestCase):

    def test_valid_values(self):
        values = cmi.validate(payload(lesson_status='passed',
                lesson_location='p' * 255, score_raw='80.5',
                score_min='0', score_max='100',
                session_time='0001:02:03.4', exit='suspend',
                suspend_data='д' * 4096, finish=True))
        self.assertEqual(values['lesson_status'], 'passed')
        self.assertEqual(values['score_raw'], Decimal('80.5'))
        self.assertEqual(values['score_min'], Decimal(0))
        self.assertEqual(values['session_time'], dt.timedelta(hours=1,
                minutes=2, seconds=3, milliseconds=400))
        self.assertTrue(values['finish'])
        self.assertEqual(len(values['suspend_data']), 4096)
        blank = cmi.validate(payload())
        self.assertIsNone(blank['score_raw'])
        self.assertIsNone(blank['session_time'])
        self.assertFalse(blank['finish'])
        for status in cmi.STATUSES:
            self.assertEqual(cmi.validate(payload(
                        lesson_status=status))['lesson_status'], status)
        for exit in cmi.EXITS:
            self.assertEqual(cmi.validate(payload(exit=exit))['exit'], exit)
        for value in ['-1', '0', '100', '12.25', '1000']:
            self.assertEqual(cmi.validate(payload(score_raw=value))[
                    'score_raw'], Decimal(value))

    def test_invalid_values(self):
        for values, message in [
                ({'lesson_status': 'Passed'}, 'msg_cmi_status'),
                ({'lesson_status': ''}, 'msg_cmi_status'),
                ({'lesson_status': 'complete'}, 'msg_cmi_status'),
                ({'exit': 'close'}, 'msg_cmi_exit'),
                ({'score_raw': '8e1'}, 'msg_cmi_decimal'),
                ({'score_raw': ' 80'}, 'msg_cmi_decimal'),
                ({'score_min': '1,5'}, 'msg_cmi_decimal'),
                ({'score_max': 'NaN'}, 'msg_cmi_decimal'),
                ({'score_max': 100}, 'msg_cmi_type'),
                ({'session_time': '1:00:00'}, 'msg_cmi_timespan'),
                ({'session_time': '00:60:00'}, 'msg_cmi_timespan'),
                ({'session_time': '00:00:60'}, 'msg_cmi_timespan'),
                ({'session_time': '00000:00:00'}, 'msg_cmi_timespan'),
                ({'session_time': '00:00:00.123'}, 'msg_cmi_timespan'),
                ({'session_time': 'PT1M'}, 'msg_cmi_timespan'),
                ({'lesson_location': 'x' * 256}, 'msg_cmi_too_long'),
                ({'suspend_data': 'x' * 4097}, 'msg_cmi_too_long'),
                ({'suspend_data': None}, 'msg_cmi_type'),
                ({'session': 'ABC'}, 'msg_cmi_session'),
                ({'session': None}, 'msg_cmi_session'),
                ({'cmi.core.credit': 'no-credit'}, 'msg_cmi_unknown'),
                ]:
            with self.subTest(values=str(values)[:50]):
                with self.assertRaises(cmi.CMIError) as caught:
                    cmi.validate(payload(**values))
                self.assertEqual(caught.exception.message, message)
        with self.assertRaises(cmi.CMIError) as caught:
            cmi.validate(['not', 'a', 'dict'])
        self.assertEqual(caught.exception.message, 'msg_cmi_payload')

    def test_timespan(self):
        self.assertEqual(cmi.parse_timespan('00:00:00'), dt.timedelta())
        self.assertEqual(cmi.parse_timespan('9999:59:59.99'),
            dt.timedelta(hours=9999, minutes=59, seconds=59,
                milliseconds=990))
        self.assertEqual(cmi.format_timespan(dt.timedelta(seconds=90.5)),
            '0000:01:30.50')
        self.assertEqual(cmi.format_timespan(None), '0000:00:00.00')
        self.assertEqual(cmi.format_timespan(dt.timedelta(hours=10001)),
            '9999:59:59.99')
        for text in ['0000:01:30.50', '0012:00:00.00']:
            self.assertEqual(cmi.format_timespan(cmi.parse_timespan(text)),
                text)

    def test_score_percent(self):
        D = Decimal
        self.assertEqual(cmi.score_percent(D(80)), D('80.00'))
        self.assertEqual(cmi.score_percent(D(80), D(0), D(100)), D('80.00'))
        self.assertEqual(cmi.score_percent(D(15), D(0), D(20)), D('75.00'))
        self.assertEqual(cmi.score_percent(D(15), None, D(20)), D('75.00'))
        self.assertEqual(cmi.score_percent(D(6), D(5), D(9)), D('25.00'))
        self.assertEqual(cmi.score_percent(D(30), D(0), D(20)), D('100.00'))
        self.assertEqual(cmi.score_percent(D(-5), D(0), D(20)), D('0.00'))
        self.assertIsNone(cmi.score_percent(D(150)))
        self.assertIsNone(cmi.score_percent(None, D(0), D(100)))
        # A range without width: raw itself when it is a percent
        self.assertEqual(cmi.score_percent(D(40), D(0), D(0)), D('40.00'))

    def test_statuses(self):
        self.assertEqual(cmi.progress_state('passed'), 'completed')
        self.assertEqual(cmi.progress_state('completed'), 'completed')
        self.assertEqual(cmi.progress_state('failed'), 'failed')
        for status in ['incomplete', 'browsed', 'not attempted']:
            self.assertEqual(cmi.progress_state(status), 'in_progress')
        self.assertEqual(cmi.effective_status('passed', Decimal(60),
                Decimal(70), False), 'failed')
        self.assertEqual(cmi.effective_status('incomplete', Decimal(70),
                Decimal(70), False), 'passed')
        self.assertEqual(cmi.effective_status('not attempted', None, None,
                True), 'incomplete')
        self.assertEqual(cmi.effective_status('completed', None,
                Decimal(70), True), 'completed')

    def test_next_entry(self):
        self.assertEqual(cmi.next_entry(0, '', ''), 'ab-initio')
        self.assertEqual(cmi.next_entry(1, 'suspend', ''), 'resume')
        self.assertEqual(cmi.next_entry(1, '', 'data'), 'resume')
        self.assertEqual(cmi.next_entry(1, 'logout', 'data'), '')
        self.assertEqual(cmi.next_entry(2, '', ''), '')


class MessagesTestCase(unittest.TestCase):
    "Every message id the pure modules raise is in message.xml"

    def test_message_ids(self):
        defined = set(re.findall(r'id="(msg_\w+)"',
                (MODULE / 'message.xml').read_text(encoding='utf-8')))
        used = set()
        for name in ['package_zip.py', 'manifest.py', 'cmi.py', 'package.py',
                'lesson.py', 'track.py', 'routes.py']:
            source = (MODULE / name).read_text(encoding='utf-8')
            used |= set(re.findall(r"'(msg_\w+)'", source))
        self.assertTrue(used)
        self.assertEqual(used - defined, set())
