"""The personal cabinet (copp_cabinet) in a real browser on the live server
with the demo data.

The college's clerk invites two students of a group and their mother (one
person for both children, her e-mail written on both files) with the wizard
«Пригласить в личный кабинет», as the back office does (over RPC here). The
invitations are read from the outbox (copp.mail keeps the body until it is
sent; the live server's SMTP is closed) or, once the second server delivered
them, from its mailbox. The student sets the password from the link, reads
the marks, the timetable of a week with lessons, the events and the account
(consents, the newsletter, the sessions with «sign out elsewhere»); the
mother sees both children; another student's pages answer 404. Every page
also fits a 375 px phone."""
import base64
import datetime as dt
import email
import email.policy
import re
import uuid

import pytest

from tests.browser.test_event_portal import portal_server, shot  # noqa: F401

pytestmark = pytest.mark.browser

PASSWORD = 'Kabinet-2026-parol'
DESKTOP = {'width': 1366, 'height': 900}
PHONE = {'width': 375, 'height': 812}
STATES = ['applicant', 'studying', 'academic_leave']
INVITATION = re.compile(r'https?://\S+?(/cabinet/invitation/[^\s/]+)')
ENGLISH = ['msg_', 'None', 'Error', 'Submit', 'undefined', 'True', 'False']


def rpc_date(value):
    return dt.date(value['year'], value['month'], value['day'])


# The answers of a refused form (422) or of another's page (404)
EXPECTED_STATUS = ('Failed to load resource: the server responded with a '
    'status of 4')


def new_page(browser, viewport=DESKTOP, phone=False):
    context = browser.new_context(viewport=viewport, locale='ru-RU',
        is_mobile=phone, has_touch=phone)
    page = context.new_page()
    errors = []
    page.on('pageerror', lambda error: errors.append(str(error)))
    page.on('console', lambda message: errors.append(message.text)
        if message.type == 'error' and not message.text.startswith(
            EXPECTED_STATUS) else None)
    return context, page, errors


def assert_russian(page):
    text = page.inner_text('main')
    for word in ENGLISH:
        assert word not in text, (word, page.url, text[:3000])


def assert_fits(page, width):
    scroll = page.evaluate('document.documentElement.scrollWidth')
    assert scroll <= width, (page.url, scroll)


def pick_family(server):
    """Two students of one group with marks, each with a legal
    representative on file and no cabinet account yet, and a third student
    of the group (a stranger to them)"""
    marks = server.rpc('model.copp.journal.mark.search_read', [[], 0, 1,
            [('id', 'DESC')], ['student'], {}])
    group = server.rpc('model.copp.student.read', [[marks[0]['student']],
            ['group'], {}])[0]['group']
    students = server.rpc('model.copp.student.search_read', [[
                ('group', '=', group), ('state', 'in', STATES)], 0, None,
            [('id', 'ASC')], ['rec_name', 'party', 'email',
                'representatives', 'cabinet_state', 'group.rec_name'], {}])
    family = []
    for student in students:
        if (student['representatives'] and student['email']
                and student['cabinet_state'] == 'none'
                and server.rpc('model.copp.journal.mark.search_count', [[
                            ('student', '=', student['id'])], {}])):
            family.append(student)
        if len(family) == 2:
            break
    assert len(family) == 2, students
    stranger = next(s for s in students if s not in family)
    return family, stranger


def invite(server, students):
    "The wizard «Пригласить в личный кабинет» on the selected students"
    ids = [s['id'] for s in students]
    context = {'active_model': 'copp.student', 'active_ids': ids,
        'active_id': ids[0]}
    session, _, _ = server.rpc('wizard.copp.cabinet.invite.create', [{}])
    start = server.rpc('wizard.copp.cabinet.invite.execute', [session, {},
            'start', context])['view']['defaults']
    assert sorted(start['students']) == sorted(ids)
    result = server.rpc('wizard.copp.cabinet.invite.execute', [session, {
                'start': {'students': start['students'],
                    'representatives': True, 'resend': True}},
            'invite', context])['view']['defaults']
    server.rpc('wizard.copp.cabinet.invite.delete', [session, {}])
    return result


def invitation_path(server, address):
    """The link of the latest invitation to `address`: from the outbox (the
    body is kept until it is sent), else from the second server's mailbox
    (it delivered the message and dropped the body)"""
    mail, = server.rpc('model.copp.mail.search_read', [[('to', '=', address)],
            0, 1, [('id', 'DESC')], ['message', 'state'], {}])
    data = mail['message']
    if data:
        if isinstance(data, dict):
            data = base64.b64decode(data['base64'])
        message = email.message_from_bytes(data, policy=email.policy.default)
    else:
        server.mailbox.wait_for(address)
        with server.mailbox.condition:
            message = [m for rcpt, m in server.mailbox.messages
                if address in rcpt][-1]
    body = message.get_body(preferencelist=('plain',)).get_content()
    return INVITATION.search(body).group(1)


def accept(page, server, path, name, shot_name=None):
    "Open the invitation, set the password with the consent"
    page.goto(server.url + path)
    page.wait_for_selector(f'h1:has-text("Добро пожаловать, {name}!")')
    page.fill('#f-password', PASSWORD)
    page.fill('#f-password2', PASSWORD)
    page.check('#f-consent')
    if shot_name:
        shot(page, shot_name)
    page.click('button:has-text("Создать пароль и войти")')
    page.wait_for_url(server.url + '/cabinet/')
    page.wait_for_selector('h1:has-text("Личный кабинет")')


def login(page, url, address):
    "An anonymous visitor of the cabinet is sent to its login, then back"
    page.goto(url + '/cabinet/')
    page.wait_for_url(re.compile(r'/cabinet/login\?next='))
    page.fill('#f-email', address)
    page.fill('#f-password', PASSWORD)
    page.click('button:has-text("Войти")')
    page.wait_for_url(url + '/cabinet/')
    page.wait_for_selector('h1:has-text("Личный кабинет")')


def test_student_and_parent_in_the_cabinet(browser, portal_server):
    server = portal_server
    url = server.url
    suffix = uuid.uuid4().hex[:8]
    (student, sibling), stranger = pick_family(server)
    mother_email = f'mother-{suffix}@example.ru'

    # The clerk writes the mother's e-mail on both files (one person: the
    # same name), then invites both students with their representatives.
    first_rep, = server.rpc('model.copp.student.representative.read', [
            student['representatives'][:1], ['name'], {}])
    mother = first_rep['name']
    server.rpc('model.copp.student.representative.write', [
            [student['representatives'][0], sibling['representatives'][0]],
            {'name': mother, 'email': mother_email}, {}])
    result = invite(server, [student, sibling])
    # The two students, the mother's new account, and her new link with
    # the second child.
    assert result['summary'].startswith('Отправлено приглашений: 4'), result
    assert f'приглашение отправлено на {mother_email}' in result['details']
    states = server.rpc('model.copp.student.read', [[student['id']],
            ['cabinet_state'], {}])
    assert states[0]['cabinet_state'] == 'invited'

    # The event the clerk registered the student for (shown in «События»):
    # one with a free place, or the registration waits in the queue
    events = server.rpc('model.copp.event.search_read', [[
                ('state', '=', 'published')], 0, None,
            [('id', 'DESC')], ['name', 'capacity', 'free_places'], {}])
    event = next(e for e in events
        if not e['capacity'] or (e['free_places'] or 0) > 0)
    last, first, *patronymic = student['rec_name'].split()
    server.rpc('model.copp.event.registration.create', [[{
                    'event': event['id'], 'last_name': last,
                    'first_name': first,
                    'patronymic': ' '.join(patronymic) or None,
                    'category': 'student', 'party': student['party'],
                    'email': student['email'], 'consent': True,
                    'consent_by': 'participant', 'source': 'staff'}], {}])

    # The marks of the student (the diary's period: from the first to the
    # last, whatever today is) and a week with lessons.
    marks = server.rpc('model.copp.journal.mark.search_read', [[
                ('student', '=', student['id'])], 0, None,
            [('date', 'ASC'), ('id', 'ASC')],
            ['date', 'value', 'line.name', 'line.index'], {}])
    first_day, last_day = rpc_date(marks[0]['date']), rpc_date(
        marks[-1]['date'])
    period = f'?from={first_day.isoformat()}&to={last_day.isoformat()}'
    lesson_line = marks[-1]['line.']

    # The student: the invitation's link sets the password.
    context, page, errors = new_page(browser)
    path = invitation_path(server, student['email'])
    accept(page, server, path, student['rec_name'], 'cabinet_01_invitation')
    cards = page.locator('ul.card-list > li.card')
    assert cards.count() == 1
    assert student['rec_name'] in cards.first.inner_text()
    assert 'законный представитель' not in cards.first.inner_text()
    assert_russian(page)
    shot(page, 'cabinet_02_home')

    # Marks and absences: the current term first, then the whole period.
    cards.first.locator('a:has-text("Оценки и пропуски")').click()
    page.wait_for_selector(f'h1:has-text("{student["rec_name"]}")')
    assert page.locator('h2:has-text("Оценки по дисциплинам")').count() == 1
    page.goto(f"{url}/cabinet/students/{student['id']}{period}")
    page.wait_for_selector('h2:has-text("Оценки по дисциплинам")')
    lead = page.inner_text('p.lead')
    assert (f"{first_day:%d.%m.%Y} — {last_day:%d.%m.%Y}") in lead, lead
    assert page.locator('table span.mark').count() == len(marks)
    assert (f"{lesson_line['index']} {lesson_line['name']}"
        in page.inner_text('table'))
    assert 'Средний балл за период' in page.inner_text('main')
    assert_russian(page)
    shot(page, 'cabinet_03_diary')

    # The timetable: this week (maybe without lessons), then the week of
    # the last mark.
    page.locator('main a:has-text("Расписание")').first.click()
    page.wait_for_selector('h1:has-text("Расписание:")')
    page.goto(f"{url}/cabinet/students/{student['id']}/timetable"
        f"?week={last_day.isoformat()}")
    page.wait_for_selector(f'h2:has-text("{last_day:%d.%m.%Y}")')
    assert lesson_line['name'] in page.inner_text('main')
    assert_russian(page)
    shot(page, 'cabinet_04_timetable')
    page.click('a:has-text("Следующая неделя")')
    page.wait_for_url(re.compile(r'week='))
    page.wait_for_selector('h1:has-text("Расписание:")')

    # The grade sheets' results, then the orders (the demo enrols every
    # student by an order of the college).
    page.goto(f"{url}/cabinet/students/{student['id']}")
    page.locator('main a:has-text("Ведомости")').first.click()
    page.wait_for_selector('h1:has-text("Итоги аттестации")')
    assert_russian(page)
    shot(page, 'cabinet_04a_sheets')
    page.locator('main a:has-text("Приказы и документы")').first.click()
    page.wait_for_selector('h1:has-text("Приказы и документы")')
    orders = page.locator('section:has(#h-orders) tbody tr')
    assert orders.count() >= 1, page.inner_text('main')[:2000]
    assert '№' in orders.first.inner_text()
    assert_russian(page)
    shot(page, 'cabinet_04b_documents')

    # Survey invitations (none sent to this new account yet).
    page.locator('#site-nav a[href="/cabinet/surveys"]').click()
    page.wait_for_selector('h1:has-text("Мои опросы")')
    assert_russian(page)

    # Events.
    page.locator('#site-nav a[href="/cabinet/events"]').click()
    page.wait_for_selector('h1:has-text("Мои мероприятия")')
    row = page.locator('table tbody tr', has_text=event['name'])
    assert row.count() == 1
    assert 'Подтверждена' in row.inner_text()
    assert_russian(page)
    shot(page, 'cabinet_05_events')

    # The account: the consent given with the invitation, the newsletter,
    # the sessions; a second login elsewhere, then «sign out elsewhere».
    other, other_page, _ = new_page(browser)
    login(other_page, url, student['email'])
    page.locator('#site-nav a[href="/cabinet/account"]').click()
    page.wait_for_selector('h1:has-text("Профиль и согласия")')
    consents = page.locator('section:has(#h-consents) tbody tr')
    assert consents.count() == 1
    assert 'Отозвать согласие' in consents.first.inner_text()
    sessions = page.locator('section:has(#h-sessions) li')
    assert sessions.count() == 2
    assert page.locator('text=это устройство').count() == 1
    assert_russian(page)
    shot(page, 'cabinet_06_account')
    page.click('button:has-text("Получать новости и приглашения")')
    page.wait_for_selector(
        '.flash:has-text("Вы будете получать новости и приглашения ЦОПП")')
    assert page.locator(
        'button:has-text("Отписаться от рассылки")').count() == 1
    assert consents.count() == 2
    page.click('button:has-text("Выйти на других устройствах")')
    page.wait_for_selector(
        '.flash:has-text("Выполнен выход на всех других устройствах.")')
    assert sessions.count() == 1
    assert_russian(page)
    shot(page, 'cabinet_07_account_after')
    other_page.goto(url + '/cabinet/')
    other_page.wait_for_url(re.compile(r'/cabinet/login'))
    other.close()

    # Another student's pages: 404, in Russian.
    for route in [f"/cabinet/students/{sibling['id']}",
            f"/cabinet/students/{stranger['id']}",
            f"/cabinet/students/{stranger['id']}/timetable"]:
        response = page.goto(url + route)
        assert response.status == 404, (route, response.status)
        assert stranger['rec_name'] not in page.content()
        assert sibling['rec_name'] not in page.content()
    page.wait_for_selector('text=Код ошибки: 404')
    # «Back to the start» is the cabinet's home, not the partner's.
    assert page.locator('main a:has-text("началу")').get_attribute(
        'href') == '/cabinet/'
    assert_russian(page)
    shot(page, 'cabinet_08_not_found')
    assert not errors, errors
    context.close()

    # The mother: one account, both children.
    context, page, errors = new_page(browser)
    path = invitation_path(server, mother_email)
    accept(page, server, path, mother)
    cards = page.locator('ul.card-list > li.card')
    assert cards.count() == 2
    text = page.inner_text('ul.card-list')
    assert student['rec_name'] in text and sibling['rec_name'] in text
    assert text.count('(вы — законный представитель)') == 2
    assert_russian(page)
    shot(page, 'cabinet_09_parent_home')
    cards.filter(has_text=sibling['rec_name']).locator(
        'a:has-text("Оценки и пропуски")').click()
    page.wait_for_selector(f'h1:has-text("{sibling["rec_name"]}")')
    assert_russian(page)
    shot(page, 'cabinet_10_parent_diary')
    response = page.goto(f"{url}/cabinet/students/{stranger['id']}")
    assert response.status == 404
    assert not errors, errors
    context.close()

    # The student's pages on a phone.
    context, page, errors = new_page(browser, PHONE, phone=True)
    login(page, url, student['email'])
    for number, path in enumerate(['/cabinet/',
                f"/cabinet/students/{student['id']}{period}",
                f"/cabinet/students/{student['id']}/timetable"
                f"?week={last_day.isoformat()}",
                f"/cabinet/students/{student['id']}/sheets",
                f"/cabinet/students/{student['id']}/documents",
                '/cabinet/events', '/cabinet/surveys',
                '/cabinet/account'], 11):
        page.goto(url + path)
        page.wait_for_selector('main h1')
        assert_fits(page, PHONE['width'])
        shot(page, f'cabinet_{number:02d}_phone')
    assert not errors, errors
    context.close()
