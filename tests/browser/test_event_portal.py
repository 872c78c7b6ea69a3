"""A citizen registers for an event on the public portal, receives the ticket
by e-mail (a real SMTP server on loopback) and is checked in by the QR code
on the staff's check-in page (phone-sized).

The shared live server sends its e-mails nowhere, so `portal_server` starts
a second trytond process on the same database whose [email] uri points at an
aiosmtpd server of this test session."""
import datetime as dt
import email
import email.policy
import os
import re
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

import pytest

from tests.conftest import REPO, SCREENSHOTS, _free_port

pytestmark = pytest.mark.browser

TICKET = re.compile(r'/events/ticket/(\d+-[0-9a-f]{32})')


class Mailbox:
    def __init__(self):
        self.messages = []
        self.condition = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content,
            policy=email.policy.default)
        with self.condition:
            self.messages.append((list(envelope.rcpt_tos), message))
            self.condition.notify_all()
        return '250 OK'

    def wait_for(self, recipient, timeout=30):
        deadline = time.time() + timeout
        with self.condition:
            while True:
                for rcpt, message in self.messages:
                    if recipient in rcpt:
                        return message
                left = deadline - time.time()
                if left <= 0:
                    raise AssertionError(f"no e-mail to {recipient}")
                self.condition.wait(left)


class PortalServer:
    def __init__(self, live, url, mailbox):
        self.live = live
        self.url = url
        self.mailbox = mailbox

    def rpc(self, method, params, **kwargs):
        result = self.live.rpc(method, params, **kwargs)
        assert 'error' not in result, result
        return result['result']


@pytest.fixture(scope='session')
def portal_server(live_server):
    from aiosmtpd.controller import Controller
    mailbox = Mailbox()
    smtp_port = _free_port()
    controller = Controller(mailbox, hostname='127.0.0.1', port=smtp_port)
    controller.start()
    port = _free_port()
    env = dict(live_server.env,
        TRYTOND_EMAIL__URI=f'smtp://127.0.0.1:{smtp_port}',
        TRYTOND_WEB__LISTEN=f'127.0.0.1:{port}',
        # The portals serve [copp] database, not the -d of the command.
        TRYTOND_COPP__DATABASE=live_server.database)
    log = open(live_server.workdir / 'portal-server.log', 'w')
    server = subprocess.Popen(
        [sys.executable, '-m', 'copp.cli', '-d', live_server.database,
            'serve'], env=env, cwd=REPO, stdout=log,
        stderr=subprocess.STDOUT)
    url = f'http://127.0.0.1:{port}'
    deadline = time.time() + 90
    while True:
        try:
            urllib.request.urlopen(url + '/events', timeout=5).read()
            break
        except OSError:
            if server.poll() is not None or time.time() > deadline:
                log.flush()
                controller.stop()
                raise RuntimeError("Сервер портала не запустился:\n"
                    + (live_server.workdir / 'portal-server.log'
                        ).read_text()[-3000:])
            time.sleep(0.5)
    yield PortalServer(live_server, url, mailbox)
    server.terminate()
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()
    controller.stop()


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f'{name}.png'), full_page=True)


def test_citizen_registers_and_is_checked_in_by_qr(browser, portal_server):
    server = portal_server
    copp, = server.rpc('model.company.company.search',
        [[('institution_kind', '=', 'copp')], 0, 1, None, {}])
    start = (dt.datetime.utcnow() + dt.timedelta(hours=2)).replace(
        microsecond=0)
    name = "Мастер-класс «Робототехника для всей семьи»"
    event_id, = server.rpc('model.copp.event.create', [[{
                    'name': name, 'kind': 'master_class', 'company': copp,
                    'venue_kind': 'college', 'venue_company': copp,
                    'venue_room': "Лаборатория робототехники, ауд. 210",
                    'capacity': 12, 'audience': ['schoolchildren', 'adults'],
                    'description': "Соберём и запрограммируем робота.",
                    'sessions': [['create', [{
                                    'start': {'__class__': 'datetime',
                                        'year': start.year,
                                        'month': start.month,
                                        'day': start.day,
                                        'hour': start.hour,
                                        'minute': start.minute,
                                        'second': 0, 'microsecond': 0},
                                    'end': {'__class__': 'datetime',
                                        'year': start.year,
                                        'month': start.month,
                                        'day': start.day,
                                        'hour': min(start.hour + 2, 23),
                                        'minute': start.minute,
                                        'second': 0, 'microsecond': 0},
                                    }]]],
                    }], {}])
    server.rpc('model.copp.event.publish', [[event_id], {}])

    context = browser.new_context(viewport={'width': 1280, 'height': 900},
        locale='ru-RU')
    page = context.new_page()
    page.goto(server.url + '/events?q=' + urllib.parse.quote("Робототехника"))
    page.wait_for_selector('h1:has-text("Мероприятия")')
    shot(page, 'event_01_list')
    page.click(f'a[href="/events/{event_id}"]')
    page.wait_for_selector(f'h1:has-text("{name}")')
    assert "12 свободных мест из 12" in page.inner_text('.register-box')
    shot(page, 'event_02_page')
    page.click('a.button:has-text("Зарегистрироваться")')
    page.wait_for_selector('h1:has-text("Регистрация на мероприятие")')
    # The representative's block is hidden for an adult.
    page.fill('#f-last_name', "Соколова")
    page.fill('#f-first_name', "Марина")
    page.fill('#f-patronymic', "Андреевна")
    page.fill('#f-birth_date', '1988-04-12')
    page.select_option('#f-category', 'adult')
    assert not page.is_visible('#representative')
    page.fill('#f-email', 'sokolova@example.com')
    page.fill('#f-phone', '+7 910 555-12-34')
    page.check('#f-consent')
    shot(page, 'event_03_form')
    page.click('button:has-text("Зарегистрироваться")')
    page.wait_for_selector('text=Место подтверждено')
    assert page.is_visible('img.qr')
    shot(page, 'event_04_ticket')

    message = server.mailbox.wait_for('sokolova@example.com')
    assert "Ваш билет" in message['Subject']
    body = message.get_body(preferencelist=('plain',)).get_content()
    token = TICKET.search(body).group(1)
    images = [p for p in message.walk()
        if p.get_content_type() == 'image/png']
    assert images and images[0].get_content()[:4] == b'\x89PNG'
    html = message.get_body(preferencelist=('html',)).get_content()
    assert 'cid:' in html

    # The staff at the entrance open the check-in link on a phone.
    checkin_url, = [r['checkin_url'] for r in server.rpc(
            'model.copp.event.read', [[event_id], ['checkin_url'], {}])]
    path = checkin_url[checkin_url.index('/events/'):]
    phone = browser.new_context(viewport={'width': 390, 'height': 844},
        locale='ru-RU', is_mobile=True, has_touch=True)
    staff = phone.new_page()
    staff.goto(server.url + path)
    staff.wait_for_selector('h1:has-text("Отметка участников")')
    assert "0 из 1 отмечены" in staff.inner_text('.checkin-stats')
    shot(staff, 'event_05_checkin_phone')
    # The QR code carries the ticket URL: the scanner (or the staff)
    # enters it.
    staff.fill('#f-token', f'{server.url}/events/ticket/{token}')
    staff.click('#token-form button[type="submit"]')
    staff.wait_for_selector('text=Отмечен(а): Соколова Марина Андреевна')
    assert "1 из 1 отмечены" in staff.inner_text('.checkin-stats')
    shot(staff, 'event_06_checked_in')
    # Again: already checked in.
    staff.fill('#f-token', token)
    staff.click('#token-form button[type="submit"]')
    staff.wait_for_selector('text=уже отмечен(а)')

    registrations = server.rpc('model.copp.event.registration.search_read',
        [[('event', '=', event_id)], 0, None, None,
            ['state', 'attended', 'sessions_attended'], {}])
    assert [(r['state'], r['attended']) for r in registrations] == [
        ('confirmed', True)]

    # The participant downloads the certificate from the ticket page.
    page.reload()
    page.wait_for_selector('text=Скачать сертификат (PDF)')
    shot(page, 'event_07_ticket_attended')
    response = urllib.request.urlopen(
        f'{server.url}/events/ticket/{token}/certificate.pdf', timeout=30)
    assert response.read(4) == b'%PDF'
    phone.close()
    context.close()


def test_event_pages_without_errors(browser, portal_server):
    "The calendar and the demo events render on a phone"
    context = browser.new_context(viewport={'width': 390, 'height': 844},
        locale='ru-RU', is_mobile=True)
    page = context.new_page()
    errors = []
    page.on('console', lambda m: errors.append(m.text)
        if m.type == 'error' else None)
    page.goto(portal_server.url + '/events/calendar')
    page.wait_for_selector('h1:has-text("Календарь мероприятий")')
    shot(page, 'event_08_calendar_phone')
    assert not [e for e in errors if 'Content Security Policy' in e], errors
    context.close()
    assert os.path.isdir(SCREENSHOTS)
