"""Logins in sao: a wrong password is said so in Russian (issue 13), the
ministry logs in with its second factor (issue 15, build 4), a teacher
opens the set-up of a second factor from the preferences (QR code)."""
import pytest

from tests.conftest import totp_code

pytestmark = pytest.mark.browser


def _login_dialogs(sao, login):
    page = sao.page
    page.goto(sao.server.url + '/')
    page.wait_for_selector('input#login', timeout=30000)
    sao.wait_idle()
    select = page.locator('select#database')
    if select.is_visible():
        select.select_option(sao.server.database)
    page.fill('input#login', login)
    page.locator('.modal.in button[type="submit"]').click()
    page.wait_for_selector('#ask-dialog-entry[name="password"]',
        timeout=30000)
    sao.wait_idle()


def _answer(sao, name, value):
    page = sao.page
    entry = page.locator(f'#ask-dialog-entry[name="{name}"]')
    entry.wait_for(timeout=30000)
    sao.wait_idle()
    entry.fill(value)
    page.locator('.modal.in button.btn-primary').last.click()


def test_wrong_password_is_said(sao):
    page = sao.page
    _login_dialogs(sao, 'buh2')
    label = page.locator('.modal.in label[for="ask-dialog-entry"]')
    assert 'Неверн' not in label.inner_text()
    _answer(sao, 'password', 'not-the-password-2026')
    # sao asks again: the question now says why.
    page.wait_for_function("""() => {
        const label = document.querySelector(
            '.modal.in label[for="ask-dialog-entry"]');
        return label && label.textContent.includes('Неверный');
    }""", timeout=30000)
    sao.wait_idle()
    sao.screenshot('login_01_wrong_password')
    assert 'buh2' in page.locator(
        '.modal.in label[for="ask-dialog-entry"]').inner_text()
    _answer(sao, 'password', 'buh2-demo-2026')
    page.wait_for_selector('div.column-char[title="ЦОПП"]', timeout=30000)
    sao.wait_idle()


def test_ministry_logs_in_with_a_code(sao):
    page = sao.page
    _login_dialogs(sao, 'minobr')
    _answer(sao, 'password', 'minobr-demo-2026')
    entry = page.locator('#ask-dialog-entry[name="totp_code"]')
    entry.wait_for(timeout=30000)
    assert 'приложения-аутентификатора' in page.locator(
        '.modal.in label[for="ask-dialog-entry"]').inner_text()
    sao.screenshot('login_02_second_factor')
    _answer(sao, 'totp_code', totp_code(sao.server, 'minobr'))
    page.wait_for_selector('div.column-char[title="ЦОПП"]', timeout=30000)
    sao.wait_idle()
    sao.screenshot('login_03_ministry_in')


@pytest.fixture
def prep2_second_factor_reset(live_server):
    """The administrator removes prep2's second factor after the test: the
    other tests of the live server log prep2 in with a password only"""
    yield
    user, = live_server.rpc('model.res.user.search',
        [[('login', '=', 'prep2')], 0, 1, None, {}])['result']
    answer = live_server.rpc('model.res.user.totp_reset', [[user], {}])
    assert 'error' not in answer, answer


def test_teacher_sets_up_second_factor_from_preferences(sao, live_server,
        prep2_second_factor_reset):
    import re

    import pyotp
    page = sao.page
    sao.login('prep2', 'prep2-demo-2026')
    page.locator('a.dropdown-toggle').last.click()
    sao.wait_idle()
    page.locator('.dropdown-menu a', has_text='Настройки').first.click()
    sao.wait_idle()
    page.wait_for_selector('.modal.in >> text=Двухфакторная аутентификация',
        timeout=30000)
    sao.screenshot('login_04_preferences')
    page.locator('.modal.in button', has_text='Настроить').first.click()
    sao.wait_idle()
    page.wait_for_selector('.modal.in >> text=Приложение-аутентификатор',
        timeout=30000)
    qr = page.locator('.modal.in .form-image.readonly img.center-block').last
    qr.wait_for(timeout=30000)
    assert qr.evaluate('img => img.naturalWidth') > 100
    sao.screenshot('login_05_totp_setup')
    values = page.evaluate("""() => Array.from(
        document.querySelectorAll('.modal.in input')).map(i => i.value)""")
    key = next(v for v in values
        if re.fullmatch(r'([A-Z2-7]{4} ){7}[A-Z2-7]{4}', v))
    page.locator('.modal.in input[name="code"]').last.fill(
        pyotp.TOTP(key.replace(' ', '')).now())
    page.locator('.modal.in button', has_text='Подключить').last.click()
    sao.wait_idle()
    page.wait_for_selector('.modal.in >> text=Сохраните эти коды',
        timeout=30000)
    sao.screenshot('login_06_recovery_codes')
    codes = page.locator('.modal.in textarea').last.input_value().split()
    assert len(codes) == 10
    # The next login of the teacher asks for a code; a recovery code works.
    second = live_server.rpc('common.db.login', ['prep2',
            {'password': 'prep2-demo-2026'}, 'ru'], login='uch2',
        password='uch2-demo-2026')
    assert second['error'][0] == 'LoginException', second
    assert second['error'][1][0] == 'totp_code'
    with_code = live_server.rpc('common.db.login', ['prep2',
            {'password': 'prep2-demo-2026', 'totp_code': codes[0]}, 'ru'],
        login='uch2', password='uch2-demo-2026')
    assert with_code['result'][0], with_code
