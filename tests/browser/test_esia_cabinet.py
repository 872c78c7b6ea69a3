"""A citizen signs in through the test ЕСИА, finds their event ticket in the
personal cabinet, withdraws a consent and signs out through ЕСИА.

The shared live server has no [esia] section, so `esia_server` starts the
loopback ЕСИА of copp_esia's tests (esia_peer.py, in a thread of this
process) and a second trytond process on the live database whose
TRYTOND_ESIA__* settings point at it; our client (its key and certificate
made for the test session) is registered in the peer with that process's
/esia/callback.

The citizen is a registrant of a demo event: the clerk has their person on
file with a СНИЛС (set up through JSON-RPC), and ЕСИА gives the same name,
birth date and СНИЛС, so the sign-in links the account to that person."""
import datetime as dt
import re
import subprocess
import sys
import time
import urllib.request

import pytest

from copp.identifiers import snils as snils_number
from copp_esia.tests.tools import CLIENT_ID, SCOPE, Keys, citizen, start_peer

from tests.conftest import REPO, SCREENSHOTS, _free_port

pytestmark = pytest.mark.browser


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f'{name}.png'), full_page=True)


class EsiaServer:
    "The portal process signing in through the loopback ЕСИА"

    def __init__(self, live, url, peer):
        self.live = live
        self.url = url
        self.peer = peer

    def rpc(self, method, *params):
        result = self.live.rpc(method, [*params, {}])
        assert 'error' not in result, result
        return result['result']


@pytest.fixture(scope='module')
def esia_server(live_server):
    folder = live_server.workdir / 'esia'
    folder.mkdir(exist_ok=True)
    keys = Keys(folder)
    port = _free_port()
    url = f'http://127.0.0.1:{port}'
    peer = start_peer(keys, redirect_uri=url + '/esia/callback')
    # The sign-in page a browser uses (a button per answer), not an
    # immediate answer.
    peer.interactive = True
    env = dict(live_server.env,
        TRYTOND_WEB__LISTEN=f'127.0.0.1:{port}',
        # The portals serve [copp] database, not the -d of the command.
        TRYTOND_COPP__DATABASE=live_server.database,
        TRYTOND_ESIA__BASE_URL=peer.url,
        TRYTOND_ESIA__CLIENT_ID=CLIENT_ID,
        TRYTOND_ESIA__SCOPE=SCOPE,
        TRYTOND_ESIA__REDIRECT_URI=url + '/esia/callback',
        TRYTOND_ESIA__SIGNER='key_file',
        TRYTOND_ESIA__KEY_FILE=keys.client_key_file,
        TRYTOND_ESIA__CERTIFICATE=keys.client_certificate_file,
        TRYTOND_ESIA__ESIA_CERTIFICATE=keys.esia_certificate_file,
        TRYTOND_ESIA__ISSUER=peer.issuer,
        TRYTOND_ESIA__LOGOUT_REDIRECT=url + '/cabinet/login',
        TRYTOND_ESIA__TIMEOUT='30')
    log_path = live_server.workdir / 'esia-server.log'
    log = open(log_path, 'w')
    server = subprocess.Popen(
        [sys.executable, '-m', 'copp.cli', '-d', live_server.database,
            'serve'], env=env, cwd=REPO, stdout=log,
        stderr=subprocess.STDOUT)
    deadline = time.time() + 120
    while True:
        try:
            urllib.request.urlopen(url + '/esia/login', timeout=5).read()
            break
        except OSError:
            if server.poll() is not None or time.time() > deadline:
                log.flush()
                server.kill()
                peer.stop()
                raise RuntimeError(
                    "Сервер с входом через ЕСИА не запустился:\n"
                    + log_path.read_text()[-3000:])
            time.sleep(0.5)
    yield EsiaServer(live_server, url, peer)
    server.terminate()
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()
    peer.stop()
    keys.remove()


def rpc_date(value):
    return dt.date(value['year'], value['month'], value['day'])


def new_snils(server, seed):
    "A valid СНИЛС no person of the database has"
    for step in range(1000):
        number = (734_000_000 + seed * 7919 + step * 104_729) % 10 ** 9
        digits = f'{number:09d}'
        if int(digits) <= snils_number.NO_CHECKSUM_UP_TO:
            continue
        code = snils_number.format(
            digits + f'{snils_number.checksum(digits):02d}')
        if not server.rpc('model.party.party.search',
                [('snils', '=', code)], 0, 1, None):
            return code
    raise AssertionError("no free СНИЛС")


def registrant_on_file(server):
    """A confirmed registration of the demo for a published event (a
    student or an adult, with an e-mail) and the person the clerk has on
    file for it, with a СНИЛС: (registration values, party id, СНИЛС)"""
    fields = ['last_name', 'first_name', 'patronymic', 'birth_date',
        'email', 'ticket_number', 'event', 'event.name']
    registrations = server.rpc('model.copp.event.registration.search_read',
        [('state', '=', 'confirmed'), ('event.state', '=', 'published'),
            ('category', 'in', ['adult', 'student']),
            ('email', '!=', None), ('birth_date', '!=', None),
            ('patronymic', '!=', None), ('party', '=', None)],
        0, 1, [('id', 'ASC')], fields)
    assert registrations, "the demo has no confirmed registration to use"
    registration, = registrations
    snils = new_snils(server, registration['id'])
    party_id, = server.rpc('model.party.party.create', [{
                'last_name': registration['last_name'],
                'first_name': registration['first_name'],
                'patronymic': registration['patronymic'],
                'birth_date': registration['birth_date'],
                'snils': snils,
                }])
    server.rpc('model.copp.event.registration.write', [registration['id']],
        {'party': party_id})
    return registration, party_id, snils


def test_citizen_signs_in_with_esia_and_finds_ticket(browser, esia_server):
    server, peer = esia_server, esia_server.peer
    registration, party_id, snils = registrant_on_file(server)
    birth_date = rpc_date(registration['birth_date'])
    event_name = registration['event.']['name']
    full_name = ' '.join([registration['last_name'],
            registration['first_name'], registration['patronymic']])
    oid = 1_000_500_000 + registration['id']
    peer.citizen = citizen(snils=snils, oid=oid,
        last_name=registration['last_name'],
        first_name=registration['first_name'],
        middle_name=registration['patronymic'],
        birth_date=birth_date.strftime('%d.%m.%Y'),
        gender='F' if registration['patronymic'].endswith('на') else 'M',
        email=registration['email'])
    namesakes = [('last_name', '=', registration['last_name']),
        ('first_name', '=', registration['first_name']),
        ('birth_date', '=', registration['birth_date'])]
    assert server.rpc('model.party.party.search', namesakes, 0, None,
        None) == [party_id]

    context = browser.new_context(viewport={'width': 1280, 'height': 900},
        locale='ru-RU')
    page = context.new_page()
    errors = []
    page.on('console', lambda m: errors.append(m.text)
        if m.type == 'error' else None)

    # An anonymous visitor of the cabinet's events is asked to sign in.
    page.goto(server.url + '/cabinet/events')
    page.wait_for_url(re.compile(r'/cabinet/login\?next='))
    esia_button = page.locator('a:has-text("Войти через Госуслуги")')
    esia_button.wait_for()
    shot(page, 'esia_01_cabinet_login')
    esia_button.click()

    # ЕСИА's sign-in page (the loopback peer)
    page.wait_for_url(peer.url + '/aas/oauth2/v2/ac?*')
    page.wait_for_selector('h1:has-text("Госуслуги")')
    assert f"Вход в систему «{CLIENT_ID}»" in page.inner_text('body')
    shot(page, 'esia_02_esia_sign_in')
    page.click(f'button:has-text("Войти как {full_name}")')

    # Back in the cabinet, on the page asked for
    page.wait_for_url(server.url + '/cabinet/events')
    page.wait_for_selector('h1:has-text("Мои мероприятия")')
    assert full_name in page.inner_text('header')
    row = page.locator('tr', has_text=event_name)
    assert row.count() == 1, page.inner_text('main')
    ticket = row.locator(
        f'a:has-text("Билет № {registration["ticket_number"]}")')
    assert ticket.count() == 1
    shot(page, 'esia_03_cabinet_events')
    ticket.click()
    page.wait_for_url(re.compile(r'/events/ticket/\d+-[0-9a-f]{32}$'))
    page.wait_for_selector(f'h1:has-text("{event_name}")')
    assert (f"Электронный билет № {registration['ticket_number']}"
        in page.inner_text('main'))
    assert page.locator('img.qr').is_visible()
    shot(page, 'esia_04_ticket')

    # The account is the person the clerk had on file: no second person.
    users = server.rpc('model.web.user.search_read',
        [('party', '=', party_id)], 0, None, None,
        ['email', 'party', 'has_password'])
    assert [(u['email'], u['party'], u['has_password']) for u in users] == [
        (registration['email'], party_id, False)]
    user_id = users[0]['id']
    assert server.rpc('model.party.party.search', namesakes, 0, None,
        None) == [party_id]
    assert server.rpc('model.party.party.search', [('snils', '=', snils)],
        0, None, None) == [party_id]
    accounts = server.rpc('model.copp.esia.account.search_read',
        [('oid', '=', str(oid))], 0, None, None, ['party', 'user'])
    assert [(a['party'], a['user']) for a in accounts] == [
        (party_id, user_id)]

    # The profile: subscribe to the news (a consent), then withdraw it.
    page.goto(server.url + '/cabinet/account')
    page.wait_for_selector('h1:has-text("Профиль и согласия")')
    consents = page.locator('section[aria-labelledby="h-consents"] tbody tr')
    assert consents.count() == 1
    shot(page, 'esia_05_account')
    page.click('button:has-text("Получать новости и приглашения")')
    page.wait_for_selector('.flash')
    assert consents.count() == 2
    mailing = consents.filter(has_text="рассылк").or_(
        consents.filter(has_text="новост"))
    assert mailing.count() == 1, page.inner_text('main')
    assert mailing.locator('td[data-label="Отозвано"]').inner_text() == '—'
    shot(page, 'esia_06_subscribed')
    questions = []

    def answer(dialog):
        questions.append(dialog.message)
        dialog.accept()
    page.once('dialog', answer)
    mailing.locator('button:has-text("Отозвать согласие")').click()
    page.wait_for_selector('.flash:has-text("отозван")')
    assert questions and "Отозвать" in questions[0], questions
    withdrawn = mailing.locator('td[data-label="Отозвано"]').inner_text()
    assert re.fullmatch(r'\d\d\.\d\d\.\d{4} \d\d:\d\d', withdrawn), withdrawn
    assert mailing.locator('button').count() == 0
    assert "Новости и приглашения ЦОПП по почте вам не приходят" in (
        page.inner_text('main'))
    shot(page, 'esia_07_consent_withdrawn')
    consents_rpc = server.rpc('model.copp.portal.consent.search_read',
        [('user', '=', user_id)], 0, None, [('id', 'ASC')],
        ['purpose', 'channel', 'withdrawn'])
    assert [(c['purpose'], c['channel'], bool(c['withdrawn']))
        for c in consents_rpc] == [
        ('cabinet_account', 'esia', False), ('mailing', 'cabinet', True)]

    # Signing out ends the cabinet's session, then ЕСИА's, and comes back.
    page.locator('header button:has-text("Выйти"):visible').click()
    page.wait_for_url(server.url + '/cabinet/login')
    page.wait_for_selector('a:has-text("Войти через Госуслуги")')
    shot(page, 'esia_09_back_at_login')
    assert peer.logouts == [(CLIENT_ID, server.url + '/cabinet/login')]
    assert not peer.signed_in
    page.goto(server.url + '/cabinet/events')
    page.wait_for_url(re.compile(r'/cabinet/login\?next='))
    assert not server.rpc('model.web.user.session.search',
        [('user', '=', user_id)], 0, None, None)
    # The page between the two sign-outs sends the browser on to ЕСИА at
    # once: seen again with ЕСИА answering 204 (the browser stays).
    page.route(peer.url + '/idp/ext/Logout*',
        lambda route: route.fulfill(status=204))
    page.goto(server.url + '/esia/signed-out')
    page.wait_for_selector('h1:has-text("Вы вышли из кабинета")')
    assert "выйдите из Госуслуг по ссылке" in page.inner_text('main')
    shot(page, 'esia_08_signed_out')
    assert not [e for e in errors if 'Content Security Policy' in e], errors
    context.close()
