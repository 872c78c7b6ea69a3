"""The runtime API of the player (static/scorm/scorm_api.js) run by node
with the few browser objects it uses: the SCORM 1.2 calls, the data
model's rules and error codes, what LMSCommit/LMSFinish post and the
beacon of a page left before LMSFinish."""
import json
import shutil
import subprocess
import unittest
from pathlib import Path

HERE = Path(__file__).parent
API = HERE.parent / 'static' / 'scorm' / 'scorm_api.js'
SERVER = {
    'student_id': 'P-42', 'student_name': 'Иванов, Иван',
    'lesson_status': 'incomplete', 'lesson_location': 'page-2',
    'credit': 'credit', 'lesson_mode': 'normal', 'entry': 'resume',
    'score_raw': '40', 'score_min': '0', 'score_max': '100',
    'total_time': '0000:01:30.00', 'suspend_data': 'visits=1',
    'launch_data': 'lang=ru', 'mastery_score': '',
    'commit_url': '/cabinet/scorm/7/commit', 'csrf_token': 'token-1',
    }


@unittest.skipUnless(shutil.which('node'), "node is not installed")
class ScormApiTestCase(unittest.TestCase):

    def run_api(self, calls, answer=None, status=200):
        data = {'server': SERVER, 'calls': calls,
            'answer': answer or {'result': 'true',
                'lesson_status': 'passed'},
            'answer_status': status}
        process = subprocess.run(['node', str(HERE / 'scorm_api_harness.js'),
                str(API)], input=json.dumps(data), capture_output=True,
            text=True, timeout=60)
        self.assertEqual(process.returncode, 0, process.stderr)
        return json.loads(process.stdout)

    def results(self, output):
        return [(c['result'], c['error']) for c in output['calls']]

    def test_session(self):
        "The test SCO's calls: resume, score 80, passed, commit, finish"
        output = self.run_api([
                ['LMSInitialize', ''],
                ['LMSGetValue', 'cmi.core.entry'],
                ['LMSGetValue', 'cmi.suspend_data'],
                ['LMSGetValue', 'cmi.core.student_name'],
                ['LMSGetValue', 'cmi.core.lesson_location'],
                ['LMSGetValue', 'cmi.core.total_time'],
                ['LMSGetValue', 'cmi.launch_data'],
                ['LMSGetValue', 'cmi.core._children'],
                ['LMSSetValue', 'cmi.suspend_data', 'visits=2'],
                ['LMSSetValue', 'cmi.core.score.raw', '80'],
                ['LMSSetValue', 'cmi.core.lesson_status', 'passed'],
                ['LMSSetValue', 'cmi.core.exit', 'suspend'],
                ['LMSSetValue', 'cmi.core.session_time', '0000:01:30.00'],
                ['LMSCommit', ''],
                ['LMSFinish', ''],
                ])
        self.assertEqual(output['frame'], '/content/index.html')
        self.assertEqual([c['result'] for c in output['calls']], [
                'true', 'resume', 'visits=1', 'Иванов, Иван', 'page-2',
                '0000:01:30.00', 'lang=ru',
                'student_id,student_name,lesson_location,credit,'
                'lesson_status,entry,score,total_time,lesson_mode,exit,'
                'session_time',
                'true', 'true', 'true', 'true', 'true', 'true', 'true'])
        self.assertTrue(all(c['error'] == '0' for c in output['calls']))
        commit, finish = output['posts']
        self.assertEqual(commit['url'], '/cabinet/scorm/7/commit')
        self.assertEqual(commit['headers']['X-CSRF-Token'], 'token-1')
        self.assertEqual(commit['headers']['Content-Type'],
            'application/json')
        self.assertTrue(commit['keepalive'])
        body = commit['body']
        self.assertRegex(body['session'], r'^[0-9a-f]{32}$')
        self.assertEqual(body['session'], finish['body']['session'])
        self.assertEqual((body['lesson_status'], body['score_raw'],
                body['score_min'], body['score_max'], body['exit'],
                body['session_time'], body['suspend_data'],
                body['lesson_location'], body['finish']),
            ('passed', '80', '0', '100', 'suspend', '0000:01:30.00',
                'visits=2', 'page-2', False))
        self.assertTrue(finish['body']['finish'])
        self.assertIn("Результат сохранён", output['status'])
        self.assertEqual(output['beacons'], [])

    def test_error_codes(self):
        output = self.run_api([
                ['LMSGetValue', 'cmi.core.student_id'],   # 301
                ['LMSCommit', ''],                         # 301
                ['LMSInitialize', 'x'],                    # 201
                ['LMSInitialize', ''],
                ['LMSInitialize', ''],                     # 101
                ['LMSGetValue', 'cmi.core.exit'],          # 404 write only
                ['LMSGetValue', 'cmi.core.session_time'],  # 404
                ['LMSSetValue', 'cmi.core.student_id', 'x'],   # 403
                ['LMSSetValue', 'cmi.core.total_time', '0000:00:01'],  # 403
                ['LMSSetValue', 'cmi.launch_data', 'x'],   # 403
                ['LMSSetValue', 'cmi.core._children', 'x'],    # 402
                ['LMSSetValue', 'cmi.core.score._children', 'x'],  # 402
                ['LMSSetValue', 'cmi.core.lesson_status', 'done'],  # 405
                ['LMSSetValue', 'cmi.core.lesson_status', 'not attempted'],
                ['LMSSetValue', 'cmi.core.score.raw', 'eighty'],   # 405
                ['LMSSetValue', 'cmi.core.score.raw', ''],
                ['LMSSetValue', 'cmi.core.session_time', '1:00'],  # 405
                ['LMSSetValue', 'cmi.core.exit', 'quit'],  # 405
                ['LMSSetValue', 'cmi.suspend_data', 'x' * 4097],   # 405
                ['LMSSetValue', 'cmi.core.lesson_location', 'x' * 256],
                ['LMSGetValue', 'cmi.interactions._count'],    # 401
                ['LMSSetValue', 'cmi.objectives.0.id', 'o1'],  # 401
                ['LMSGetValue', 'cmi.core.nonsense'],      # 201
                ['LMSGetValue', 'cmi.core.student_id._children'],  # 202
                ['LMSGetValue', 'cmi.core.score._count'],  # 203
                ['LMSGetValue', 'cmi.core.score._children'],
                ['LMSGetValue', 'cmi.core.credit'],
                ['LMSGetValue', 'cmi.core.lesson_mode'],
                ['LMSGetValue', 'cmi.student_data.mastery_score'],
                ['LMSFinish', 'x'],                        # 201
                ['LMSFinish', ''],
                ['LMSGetValue', 'cmi.core.entry'],         # 301
                ['LMSInitialize', ''],                     # 101
                ['LMSGetErrorString', '405'],
                ['LMSGetErrorString', '999'],
                ])
        self.assertEqual(self.results(output), [
                ('', '301'), ('false', '301'), ('false', '201'),
                ('true', '0'), ('false', '101'),
                ('', '404'), ('', '404'),
                ('false', '403'), ('false', '403'), ('false', '403'),
                ('false', '402'), ('false', '402'),
                ('false', '405'), ('false', '405'),
                ('false', '405'), ('true', '0'), ('false', '405'),
                ('false', '405'), ('false', '405'), ('false', '405'),
                ('', '401'), ('false', '401'), ('', '201'),
                ('', '202'), ('', '203'),
                ('raw,min,max', '0'), ('credit', '0'), ('normal', '0'),
                ('', '0'),
                ('false', '201'), ('true', '0'),
                ('', '301'), ('false', '101'),
                ('Incorrect data type', '101'), ('', '101'),
                ])
        # Only LMSFinish posted; the refused values were not kept
        post, = output['posts']
        self.assertEqual(post['body']['lesson_status'], 'incomplete')
        self.assertEqual(post['body']['score_raw'], '')
        self.assertEqual(post['body']['lesson_location'], 'page-2')
        self.assertTrue(post['body']['finish'])

    def test_beacon_when_left_before_finish(self):
        output = self.run_api([
                ['LMSInitialize', ''],
                ['LMSSetValue', 'cmi.core.lesson_status', 'incomplete'],
                ['LMSSetValue', 'cmi.suspend_data', 'page=3'],
                ['pagehide'],
                ])
        self.assertEqual(output['posts'], [])
        beacon, = output['beacons']
        self.assertEqual(beacon['url'], '/cabinet/scorm/7/commit')
        self.assertEqual(beacon['body']['csrf_token'], 'token-1')
        body = json.loads(beacon['body']['payload'])
        self.assertEqual((body['suspend_data'], body['finish']),
            ('page=3', True))

    def test_refused_commit_is_shown(self):
        output = self.run_api([['LMSInitialize', ''], ['LMSCommit', '']],
            answer={'result': 'false', 'error': "Статус урока «x» …"},
            status=400)
        self.assertIn("Результат не сохранён: Статус урока", output['status'])
