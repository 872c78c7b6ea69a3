"""The back office in a real browser: Russian interface, a clerk creates a
specialty of their college, and a clerk of another college does not see it."""
import pytest

pytestmark = pytest.mark.browser

CODE = '99.02.77'
NAME = 'Цифровые двойники в машиностроении'


def test_clerk_creates_specialty_other_college_does_not_see_it(
        sao, browser, live_server):
    page = sao.page
    sao.login('uch1', 'uch1-demo-2026')
    sao.screenshot('back_office_01_menu')
    menu = page.locator('div.column-char').all_inner_texts()
    assert 'ЦОПП' in menu and 'Контрагенты' in menu, menu

    sao.open_menu('ЦОПП', 'Специальности')
    assert page.locator('button#new_').first.get_attribute('title') == (
        'Создать')
    page.locator('button#new_').first.click()
    sao.wait_idle()
    page.locator('input[name="code"]').fill(CODE)
    page.locator('input[name="name"]').fill(NAME)
    sao.screenshot('back_office_02_new_specialty')
    page.locator('button#save').first.click()
    sao.wait_idle()
    page.wait_for_selector('text=Запись сохранена.', timeout=15000)
    sao.screenshot('back_office_03_saved')
    labels = page.locator('label').all_inner_texts()
    assert any('Код' in label for label in labels), labels

    saved = live_server.rpc('model.copp.specialty.search_read',
        [[('code', '=', CODE)], 0, None, None, ['name', 'company.short_name'],
            {}], login='uch1', password='uch1-demo-2026')['result']
    assert len(saved) == 1
    assert saved[0]['name'] == NAME
    assert saved[0]['company.']['short_name'] == 'РКЭ'

    # A clerk of another college opens the same list.
    context = browser.new_context(viewport={'width': 1366, 'height': 900})
    from tests.conftest import IDLE_SCRIPT, SaoPage
    context.add_init_script(IDLE_SCRIPT)
    other = SaoPage(context.new_page(), live_server)
    other.login('uch2', 'uch2-demo-2026')
    other.open_menu('ЦОПП', 'Специальности')
    other.page.wait_for_selector('text=09.02.07')
    assert other.page.locator(f'text={NAME}').count() == 0
    other.screenshot('back_office_04_other_college')
    found = live_server.rpc('model.copp.specialty.search',
        [[('code', '=', CODE)], 0, None, None, {}],
        login='uch2', password='uch2-demo-2026')['result']
    assert found == []
    context.close()
