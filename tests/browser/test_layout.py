"""Forms and lists that were wider than a 1366 px screen with the menu open
(the grade sheet opened scrolled 600 px to the right, the contract, the
group and order forms, the import wizard, «Контингент на дату»), and
/events on a 390 px phone: each fits, nothing is scrolled or cut."""
import pytest

from tests.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

# Boxes of the active tab (or dialog) whose content is wider than the box
OVERFLOWING = """(selector) => Array.from(document.querySelectorAll(selector))
    .filter(el => el.offsetParent && (el.scrollWidth > el.clientWidth + 1
            || el.scrollLeft > 0))
    .map(el => `${el.className}: ${el.scrollWidth} > ${el.clientWidth}`
        + (el.scrollLeft ? `, scrolled ${el.scrollLeft}` : ''))"""
ACTIVE = '#tabs > .tab-content > .tab-pane.active'
TAB = ', '.join(f'{ACTIVE} {box}'
    for box in ['.content-box', '.form', '.treeview'])
# Values shown cut in the active form: inputs narrower than their text
CUT_VALUES = """(active) => Array.from(document.querySelectorAll(
        `${active} .form input, ${active} .form select`))
    .filter(el => el.offsetParent && el.scrollWidth > el.clientWidth + 1)
    .map(el => el.value || el.options?.[el.selectedIndex]?.text)"""


def open_first_record(sao, tab=None):
    page = sao.page
    if tab:
        page.locator(f'{ACTIVE} .nav-tabs a', has_text=tab).first.click()
        sao.wait_idle()
    page.locator(f'{ACTIVE} table tbody tr td').nth(1).click()
    sao.wait_idle()
    page.locator(f'{ACTIVE} button[title="Переключить вид"]').first.click()
    sao.wait_idle()
    page.wait_for_selector(f'{ACTIVE} .form')
    sao.wait_idle()


def assert_fits(sao, name, selector=TAB):
    sao.screenshot(f'layout_{name}')
    assert sao.page.evaluate(OVERFLOWING, selector) == [], name


def test_college_forms_fit(sao):
    page = sao.page
    sao.login('uch1', 'uch1-demo-2026')

    sao.open_menu('ЦОПП', 'Журнал', 'Ведомости')
    open_first_record(sao)
    assert_fits(sao, 'grade_sheet')
    assert page.locator(f'{ACTIVE} .form table tbody tr').count()

    sao.open_menu('ЦОПП', 'Контингент', 'Учебные группы')
    open_first_record(sao)
    assert_fits(sao, 'group')
    assert page.evaluate(CUT_VALUES, ACTIVE) == []
    basis = page.locator(f'{ACTIVE} select[name="basis"]')
    assert 'классов' in basis.evaluate('el => el.options[el.selectedIndex].text')

    sao.open_menu('ЦОПП', 'Контингент', 'Приказы')
    open_first_record(sao, tab='Подписан')
    assert_fits(sao, 'order')
    labels = page.locator(f'{ACTIVE} .form label').evaluate_all(
        """labels => labels.filter(l => l.offsetParent
            && l.scrollWidth > l.clientWidth + 1).map(l => l.innerText)""")
    assert 'Подписывает:' not in labels, labels

    sao.open_menu('ЦОПП', 'Контингент', 'Контингент на дату')
    page.wait_for_selector(f'{ACTIVE} table tbody tr')
    sao.wait_idle()
    assert_fits(sao, 'contingent_on_date')
    headers = page.locator(f'{ACTIVE} table thead th').all_inner_texts()
    assert 'Всего' in headers, headers

    sao.open_menu('ЦОПП', 'Контингент', 'Импорт студентов и групп')
    page.wait_for_selector('.modal.in .form')
    sao.wait_idle()
    sao.screenshot('layout_import_wizard')
    dialog = page.locator('.modal.in .modal-content').bounding_box()
    for button in page.locator('.modal.in .modal-body button:visible').all():
        box = button.bounding_box()
        assert box['x'] + box['width'] <= dialog['x'] + dialog['width'], (
            button.get_attribute('title'))
    assert page.evaluate(OVERFLOWING, '.modal.in .form') == []


def test_contract_form_fits(sao):
    sao.login('buh1', 'buh1-demo-2026')
    sao.open_menu('ЦОПП', 'Финансы', 'Договоры')
    open_first_record(sao, tab='Подписанные')
    assert_fits(sao, 'contract')


@pytest.mark.parametrize('path', ['/events', '/events/calendar',
        '/events?period=past', '/vacancies'])
def test_portal_on_a_phone(browser, live_server, path):
    context = browser.new_context(viewport={'width': 390, 'height': 844},
        locale='ru-RU')
    page = context.new_page()
    page.goto(live_server.url + path)
    page.wait_for_load_state('networkidle')
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = path.strip('/').replace('/', '_').replace('?', '_').replace(
        '=', '_')
    page.screenshot(path=str(SCREENSHOTS / f'layout_phone_{name}.png'),
        full_page=True)
    width = page.evaluate('document.documentElement.scrollWidth')
    context.close()
    assert width <= 390, (path, width)
