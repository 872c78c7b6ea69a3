"""A SCORM 1.2 lesson in a real browser on the live server (copp_scorm).

Over RPC as the back office would: a college uploads the test package
(copp_scorm.tests.tools.make_test_package), makes a published course with a
SCORM lesson for a study group of the demo, and one of the group's students
gets a cabinet account. In Chromium the student opens the lesson: the SCO
in the player's iframe finds window.API, reports 80 of 0..100 and
«passed», commits and finishes; the track and the lesson's progress hold
it. Back on the page the SCO resumes (entry «resume», its suspend data).
The player fits a 375 px phone."""
import base64
import uuid

import pytest

from tests.browser.test_event_portal import portal_server, shot  # noqa: F401

pytestmark = pytest.mark.browser

PASSWORD = 'Scorm-Kabinet-2026-parol'
DESKTOP = {'width': 1366, 'height': 900}
PHONE = {'width': 375, 'height': 812}


def decimal(value):
    return {'__class__': 'Decimal', 'decimal': str(value)}


def setup_lesson(server, suffix):
    """A published course of the student's college with the SCORM lesson
    for the student's group; returns (lesson id, student's party id, e-mail)"""
    from copp_scorm.tests.tools import make_test_package
    student, = server.rpc('model.copp.student.search_read', [[
                ('state', '=', 'studying'), ('group', '!=', None),
                ('party', '!=', None)], 0, 1, [('id', 'ASC')],
            ['party', 'group', 'company'], {}])
    company = student['company']
    package, = server.rpc('model.copp.scorm.package.create', [[{
                    'company': company,
                    'name': f"Охрана труда {suffix}",
                    'zip_file': {'__class__': 'bytes', 'base64':
                        base64.b64encode(make_test_package()).decode()},
                    'zip_filename': 'ohrana-truda.zip',
                    }], {}])
    unpacked, = server.rpc('model.copp.scorm.package.read', [[package],
            ['version', 'launch', 'file_count'], {}])
    assert unpacked['version'] == 1, unpacked
    assert unpacked['launch'] == 'index.html?mode=test', unpacked
    course, = server.rpc('model.copp.course.create', [[{
                    'company': company,
                    'name': f"Электронный курс SCORM {suffix}",
                    'pass_grade': decimal(60),
                    'enrolments': [['create', [{'group': student['group']}]]],
                    'lessons': [['create', [{
                                    'name': "Вводный урок (SCORM)",
                                    'sequence': 1, 'kind': 'scorm',
                                    'scorm_package': package,
                                    'weight': decimal(1),
                                    }]]],
                    }], {}])
    server.rpc('model.copp.course.publish', [[course], {}])
    lesson, = server.rpc('model.copp.course.lesson.search', [[
                ('course', '=', course)], 0, 1, None, {}])
    email = f'scorm-{suffix}@example.ru'
    server.rpc('model.web.user.create', [[{
                    'email': email, 'password': PASSWORD,
                    'party': student['party'], 'email_valid': True,
                    }], {}])
    return lesson, student['party'], email


def result(server, lesson, party):
    tracks = server.rpc('model.copp.scorm.track.search_read', [[
                ('lesson', '=', lesson), ('learner', '=', party)], 0, None,
            None, ['lesson_status', 'score_raw', 'suspend_data',
                'session_count'], {}])
    progress = server.rpc('model.copp.course.progress.search_read', [[
                ('lesson', '=', lesson), ('learner', '=', party)], 0, None,
            None, ['state', 'score'], {}])
    return tracks, progress


def test_learner_plays_scorm_lesson(browser, portal_server):
    server = portal_server
    suffix = uuid.uuid4().hex[:8]
    lesson, party, email = setup_lesson(server, suffix)

    context = browser.new_context(viewport=DESKTOP, locale='ru-RU')
    page = context.new_page()
    errors = []
    page.on('pageerror', lambda error: errors.append(str(error)))
    page.goto(f'{server.url}/cabinet/scorm/{lesson}')
    page.wait_for_url(lambda url: '/cabinet/login' in url)
    page.fill('#f-email', email)
    page.fill('#f-password', PASSWORD)
    page.click('button:has-text("Войти")')
    page.wait_for_url(f'{server.url}/cabinet/scorm/{lesson}')
    page.wait_for_selector('h1:has-text("Вводный урок (SCORM)")')
    sco = page.frame_locator('#scorm-frame')
    sco.locator('#result:has-text("commit=true finish=true visits=1")'
        ).wait_for(timeout=20000)
    assert sco.locator('#entry').inner_text() == 'ab-initio'
    page.wait_for_selector('#scorm-status:has-text("Результат сохранён")')
    shot(page, 'scorm_01_player')

    tracks, progress = result(server, lesson, party)
    track, = tracks
    assert track['lesson_status'] == 'passed', track
    assert float(track['score_raw']['decimal']) == 80, track
    assert track['suspend_data'] == 'visits=1', track
    (row,) = progress
    assert row['state'] == 'completed', row
    assert float(row['score']['decimal']) == 80, row

    # Back to the lesson on a phone: the SCO resumes with its data
    context.close()
    context = browser.new_context(viewport=PHONE, locale='ru-RU',
        is_mobile=True, has_touch=True)
    page = context.new_page()
    page.on('pageerror', lambda error: errors.append(str(error)))
    page.goto(f'{server.url}/cabinet/login?next=/cabinet/scorm/{lesson}')
    page.fill('#f-email', email)
    page.fill('#f-password', PASSWORD)
    page.click('button:has-text("Войти")')
    page.wait_for_url(f'{server.url}/cabinet/scorm/{lesson}')
    sco = page.frame_locator('#scorm-frame')
    sco.locator('#result:has-text("visits=2")').wait_for(timeout=20000)
    assert sco.locator('#entry').inner_text() == 'resume'
    assert sco.locator('#suspend').inner_text() == 'visits=1'
    page.wait_for_selector('#scorm-status:has-text("Результат сохранён")')
    assert page.evaluate(
        'document.documentElement.scrollWidth') <= PHONE['width']
    shot(page, 'scorm_02_resume_phone')
    tracks, _ = result(server, lesson, party)
    assert tracks[0]['session_count'] == 2, tracks
    assert tracks[0]['suspend_data'] == 'visits=2', tracks
    assert errors == [], errors
    context.close()
