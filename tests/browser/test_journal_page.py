"""The teacher's journal page in a real browser: prep1 logs in to the back
office, opens «Электронный журнал» from the menu (the page reuses the sao
session), types marks and «н» with the keyboard, edits a lesson topic in
the header, reloads, and the values are there (also through JSON-RPC)."""
import re

import pytest

pytestmark = pytest.mark.browser

LOGIN, PASSWORD = 'prep1', 'prep1-demo-2026'
IDLE_SAVES = """() => window.copJournal && window.copJournal.pending() === 0
    && !document.querySelector('#grid input.saving, #grid input.dirty')"""


def cell(page, row, col):
    return page.locator('#grid tbody tr').nth(row).locator(
        'td.cell input').nth(col)


def editable_column(page):
    "The first column of the month whose lesson is not locked"
    headers = page.locator('#grid thead th.date')
    for col in range(headers.count()):
        if 'locked' not in (headers.nth(col).get_attribute('class') or ''):
            return col
    raise AssertionError("no editable lesson this month")


def login(sao):
    try:
        sao.login(LOGIN, PASSWORD)
    except Exception:
        sao.screenshot('journal_00_login_failed')
        raise


def test_teacher_fills_journal_with_keyboard(sao, live_server):
    page = sao.page
    login(sao)
    # The menu entry is an URL action: sao opens it in a new tab.
    with page.context.expect_page() as new_tab:
        sao.open_menu('ЦОПП', 'Журнал', 'Электронный журнал')
    journal = new_tab.value
    journal.wait_for_load_state()
    journal.wait_for_selector('table.list a')
    assert '/journal/' in journal.url
    sao.page = journal
    sao.screenshot('journal_01_index')
    journal.locator('table.list a').first.click()
    journal.wait_for_selector('#grid tbody tr')
    journal.wait_for_function(IDLE_SAVES)
    sao.screenshot('journal_02_grid')
    url = journal.url.split('?')[0]
    month = journal.locator('#month-select').input_value()

    col = editable_column(journal)
    second = col + 1 if cell(journal, 0, col + 1).count() else col
    cell(journal, 0, col).click()
    keyboard = journal.keyboard
    keyboard.type('5')                 # a complete code saves at once
    keyboard.press('Enter')            # down
    keyboard.type('н')
    keyboard.press('Tab')              # right: leaving the cell saves it
    if second != col:
        keyboard.type('4')
        keyboard.press('ArrowDown')
        keyboard.type('б')
        keyboard.press('ArrowLeft')
    else:
        keyboard.press('ArrowDown')
    keyboard.type('оп5')               # late with a mark
    keyboard.press('Enter')
    journal.wait_for_function(IDLE_SAVES, timeout=20000)
    sao.screenshot('journal_03_typed')
    expected = {(0, col): '5', (1, col): 'н', (2, col): 'оп5'}
    if second != col:
        expected.update({(1, second): '4', (2, second): 'б'})
    for (row, column), value in expected.items():
        assert cell(journal, row, column).input_value() == value

    # An unknown code is refused with a Russian message, the cell turns red.
    cell(journal, 3, col).click()
    keyboard.type('7')
    keyboard.press('Enter')
    journal.wait_for_selector('#grid input.error')
    notice = journal.locator('#notice').inner_text()
    assert 'не оценка' in notice, notice
    sao.screenshot('journal_04_error')
    cell(journal, 3, col).click()
    keyboard.press('Escape')

    # The lesson topic is edited in the header.
    journal.locator('#grid thead th.date button').nth(col).click()
    journal.wait_for_selector('#topic-editor:not([hidden])')
    journal.fill('#topic-input', 'Сопряжения и лекальные кривые')
    journal.fill('#homework-input', '§ 12, упр. 3')
    journal.click('#topic-save')
    journal.wait_for_selector('#topic-editor', state='hidden')

    journal.goto(f'{url}?month={month}')
    journal.wait_for_selector('#grid tbody tr')
    for (row, column), value in expected.items():
        assert cell(journal, row, column).input_value() == value, (
            row, column)
    title = journal.locator('#grid thead th.date button').nth(
        col).get_attribute('title')
    assert 'Сопряжения' in title
    student_name = journal.locator('#grid tbody tr').nth(0).locator(
        'th.name').inner_text()
    sao.screenshot('journal_05_reloaded')

    # The back office sees what the page saved.
    data = journal.evaluate(
        "() => JSON.parse(document.getElementById('journal-data')"
        ".textContent)")
    lesson = data['lessons'][col]
    student = data['students'][0]
    assert student['name'] == student_name
    marks = live_server.rpc('model.copp.journal.mark.search_read',
        [[('lesson', '=', lesson['id']), ('student', '=', student['id'])],
            0, None, None, ['value'], {}], login=LOGIN,
        password=PASSWORD)['result']
    assert [m['value'] for m in marks] == ['5']

    # A tablet: the grid scrolls, the quick-entry buttons enter codes.
    journal.set_viewport_size({'width': 1024, 'height': 768})
    journal.reload()
    journal.wait_for_selector('#grid tbody tr')
    cell(journal, 4, col).click()
    journal.locator('#quick button[data-code="4"]').click()
    journal.wait_for_function(IDLE_SAVES, timeout=20000)
    assert cell(journal, 4, col).input_value() == '4'
    sao.screenshot('journal_06_tablet')


def test_teacher_cannot_open_other_journal(sao, live_server):
    "prep1 opens a journal of another teacher: refused with a message"
    page = sao.page
    login(sao)
    mine = live_server.rpc('model.res.user.get_preferences', [True, {}],
        login=LOGIN, password=PASSWORD)['result']
    own = live_server.rpc('model.copp.journal.workload.search',
        [[('teacher', '=', mine['employee'])], 0, None, None, {}],
        login=LOGIN, password=PASSWORD)['result']
    others = live_server.rpc('model.copp.journal.workload.search',
        [[('teacher', '!=', mine['employee'])], 0, 1, None, {}],
        login=LOGIN, password=PASSWORD)['result']
    assert own and others
    response = page.goto(
        f'{live_server.url}/{live_server.database}/journal/{others[0]}')
    assert response.status == 403
    assert re.search('Нет доступа', page.content())
    sao.screenshot('journal_07_foreign_refused')
