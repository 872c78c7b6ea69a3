"""Выпуск в настоящем браузере: учебная часть колледжа проводит ГИА
выпускной группы (допуск по задолженностям журнала, оценки за
демонстрационный экзамен), утверждает результаты, готовит и подписывает
приказ о выпуске, готовит дипломы, выдаёт их на бланках строгой отчётности
и выгружает выданные документы в ФИС ФРДО (предварительная проверка, файл
xlsx скачивается и читается)."""
import datetime as dt
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest

pytestmark = pytest.mark.browser

LOGIN, PASSWORD = 'uch1', 'uch1-demo-2026'
CHAIRMAN = 'Соколова Ирина Павловна'
COMMISSION = 'Белов Андрей Николаевич\nКрылова Ольга Сергеевна'
# The first admitted student fails the demo exam; the others pass.
GRADES = ['4 (хорошо)', '5 (отлично)', '3 (удовлетворительно)', '4 (хорошо)']
FAILED = '2 (неудовлетворительно)'
TARGETED = ['targeted', 'targeted_number', 'targeted_date', 'targeted_org',
    'targeted_ogrn', 'targeted_kpp', 'employer_name', 'employer_ogrn',
    'employer_kpp', 'employer_region']


def _date(value):
    return value.strftime('%d.%m.%Y')


def _rpc(live_server, method, *params):
    response = live_server.rpc(f'model.{method}', [*params, {}],
        login=LOGIN, password=PASSWORD)
    assert not response.get('error'), response
    return response['result']


def _one2many(page, title, within=None):
    "The one2many widget titled `title` (in `within`, a dialog)"
    return (within or page).locator('div.form-one2many:visible').filter(
        has=page.locator(f'label.form-one2many-string:text-is("{title}")'))


def _selected_text(page, name):
    return page.locator(f'select[name="{name}"]:visible').first.evaluate(
        'e => e.selectedOptions[0].text')


def _wait_selected(page, name, text):
    page.wait_for_function(
        """([name, text]) => {
            const s = Array.from(document.querySelectorAll(
                `select[name="${name}"]`)).find(e => e.offsetParent);
            return s && s.selectedOptions[0].text === text; }""",
        arg=[name, text], timeout=20000)


def _value(page, name):
    return page.locator(f'input[name="{name}"]:visible').first.input_value()


def _show_all(sao, widget):
    "Click «Ещё» until a list shows all its rows"
    sao.show_all_rows(widget)


def _screenshot(sao, name):
    "A screenshot without the hover of the last click"
    sao.page.mouse.move(1360, 895)
    sao.wait_idle(quiet_ms=150)
    return sao.screenshot(name)


def _saved(page):
    "sao's «Запись сохранена.» of the current tab"
    page.locator('text="Запись сохранена." >> visible=true').first.wait_for(
        timeout=15000)


def _click_button(sao, name):
    "A button of the form, once sao is idle"
    sao.wait_idle()
    sao.page.locator(f'button[name="{name}"]:visible').first.click()
    sao.wait_idle()


def _server_today(live_server, college):
    """The server's today (ir.date): the date in the college's time zone,
    which is not the test machine's for hours every day"""
    company, = _rpc(live_server, 'company.company.search_read',
        [('short_name', '=', college)], 0, 1, None, ['timezone'])
    return dt.datetime.now(ZoneInfo(company['timezone'] or 'UTC')).date()


def test_registrar_graduates_group(sao, live_server):
    page = sao.page

    # The graduating group of the registrar's college: the smallest of the
    # last course (its class list fits the screen).
    groups = [g for g in _rpc(live_server, 'copp.study.group.search_read',
            [], 0, None, [('name', 'ASC')],
            ['name', 'course', 'student_count', 'company.short_name'])
        if g['student_count']]
    last = max(g['course'] for g in groups)
    group = min((g for g in groups if g['course'] == last),
        key=lambda g: (g['student_count'], g['name']))
    college = group['company.']['short_name']
    assert college == 'РКЭ'
    today = _server_today(live_server, college)

    sao.login(LOGIN, PASSWORD)
    sao.open_menu('ЦОПП', 'Выпуск')
    menu = page.locator('div.column-char').all_inner_texts()
    for entry in ['ГИА', 'Документы об образовании', 'Поступление бланков',
            'Журнал учёта бланков', 'Выгрузка в ФИС ФРДО',
            'Не переданы в ФРДО в срок', 'Трудоустройство выпускников']:
        assert entry in menu, menu

    # ГИА: the list has the attestation of the demo's last graduation.
    sao.open_menu('ГИА')
    page.locator('div.treeview:visible td:visible').filter(
        has_text='Результаты утверждены').first.wait_for(timeout=15000)
    headers = page.locator('div.treeview:visible thead th').all_inner_texts()
    for header in ['Группа', 'Форма ГИА', 'Допущено', 'Прошли ГИА',
            'Состояние']:
        assert header in headers, headers
    _screenshot(sao, 'graduation_01_attestations')

    # A new attestation of the group: form, dates, commission.
    page.locator('button#new_').first.click()
    sao.wait_idle()
    assert page.locator('input[name="company"]').input_value() == college
    assert _selected_text(page, 'state') == 'Черновик'
    page.locator('input[name="group"]').click()
    page.keyboard.type(group['name'])
    sao.wait_idle()
    page.locator('ul.dropdown-completion:visible li.completion').filter(
        has_text=group['name']).first.click()
    sao.wait_idle()
    page.locator('select[name="form"]').select_option(
        label='Демонстрационный экзамен')
    date_to = today - dt.timedelta(days=3)
    for name, value in [('date_from', today - dt.timedelta(days=14)),
            ('date_to', date_to)]:
        page.locator(f'input[name="{name}"]').fill(_date(value))
        page.keyboard.press('Tab')
        sao.wait_idle()
    page.locator('input[name="chairman"]').fill(CHAIRMAN)
    page.locator('textarea[name="commission"]').fill(COMMISSION)
    page.locator('button#save').first.click()
    sao.wait_idle()
    _saved(page)

    # «Заполнить и проверить допуск»: the class list with the debts of the
    # journal; a student with a debt is not admitted.
    _click_button(sao, 'fill')
    lines = _one2many(page, 'Результаты')
    _show_all(sao, lines)
    rows = lines.locator('tbody tr:not(.more-row)')
    assert rows.count() == group['student_count']
    attestation, = _rpc(live_server,
        'copp.graduation.attestation.search_read',
        [('group.name', '=', group['name']), ('state', '=', 'draft')],
        0, None, None, ['lines', 'admitted_count'])
    results = _rpc(live_server, 'copp.graduation.attestation.line.read',
        attestation['lines'],
        ['student', 'student.rec_name', 'debts', 'admitted'])
    admitted = sorted(r['student.']['rec_name'] for r in results
        if r['admitted'])
    debtors = sorted(r['student.']['rec_name'] for r in results
        if not r['admitted'])
    # the class list by name (in the collation of the database)
    by_name = [s['rec_name'] for s in _rpc(live_server,
            'copp.student.search_read',
            [('id', 'in', [r['student'] for r in results])], 0, None,
            [('party.name', 'ASC'), ('id', 'ASC')], ['rec_name'])]
    assert all(r['debts'] for r in results if not r['admitted'])
    assert len(admitted) >= 2 and debtors, (admitted, debtors)
    assert _value(page, 'admitted_count') == str(len(admitted))
    lines_headers = lines.locator('thead th').all_inner_texts()
    for header in ['Студент', 'Долги', 'Допущен', 'Демоэкзамен', 'Баллы',
            'Уровень', 'ВКР', 'Пройдена']:
        assert header in lines_headers, lines_headers
    _screenshot(sao, 'graduation_02_admission')

    # The demo exam grades of the admitted students, in the editable list
    # (in the order of the list: by name).
    names = [rows.nth(i).locator('td[data-title="Студент: "]').inner_text()
        for i in range(rows.count())]
    assert names == by_name, names
    graded = []
    for i in range(rows.count()):
        row = rows.nth(i)
        if not row.locator('td[data-title="Допущен: "] input').is_checked():
            assert names[i] in debtors
            continue
        grade = FAILED if not graded else GRADES[len(graded) % len(GRADES)]
        cell = row.locator('td[data-title="Демоэкзамен: "]')
        cell.click()
        sao.wait_idle(quiet_ms=150)
        cell.click()
        sao.wait_idle(quiet_ms=150)
        cell.locator('select').select_option(label=grade)
        sao.wait_idle(quiet_ms=150)
        graded.append((names[i], grade))
    assert sorted(n for n, _ in graded) == admitted
    failed = graded[0][0]
    passed = [n for n, g in graded if g != FAILED]
    page.locator('button#save').first.click()
    sao.wait_idle()
    _saved(page)
    assert _value(page, 'passed_count') == str(len(passed))
    _screenshot(sao, 'graduation_03_grades')

    # «Утвердить результаты», then «Подготовить приказ о выпуске».
    _click_button(sao, 'done')
    _wait_selected(page, 'state', 'Результаты утверждены')
    assert page.locator('button[name="fill"]:visible').count() == 0
    _click_button(sao, 'create_order')
    order_link = page.locator('div.form-many2one:visible').filter(
        has=page.locator('input[name="order"]'))
    page.wait_for_function(
        """() => { const i = Array.from(document.querySelectorAll(
                'input[name="order"]')).find(e => e.offsetParent);
            return i && i.value.includes('Об отчислении'); }""",
        timeout=15000)
    assert page.locator('button[name="create_order"]:visible').count() == 0
    _screenshot(sao, 'graduation_04_done_with_order')

    # The draft order opens from the attestation: the students who passed,
    # «окончание обучения»; the registrar signs it.
    order_link.locator('[title="Открыть запись"]').first.click()
    sao.wait_idle()
    dialog = page.locator('.modal.in').last
    dialog.locator('button[name="sign"]').wait_for(timeout=15000)
    assert dialog.locator('select[name="kind"]').evaluate(
        'e => e.selectedOptions[0].text') == 'Отчисление'
    order_lines = _one2many(page, 'Студенты', within=dialog)
    order_lines.locator('td[data-title="Студент: "]').filter(
        has_text=passed[-1]).first.wait_for(timeout=15000)
    _show_all(sao, order_lines)
    assert sorted(order_lines.locator(
            'td[data-title="Студент: "]').all_inner_texts()) == sorted(passed)
    _screenshot(sao, 'graduation_05_order_draft')
    dialog.locator('button[name="sign"]').click()
    sao.confirm("Подписать приказ?")
    page.wait_for_function(
        """() => { const d = Array.from(document.querySelectorAll(
                '.modal.in')).pop();
            const s = d && d.querySelector('select[name="state"]');
            return s && s.selectedOptions[0].text === 'Подписан'; }""",
        timeout=20000)
    _screenshot(sao, 'graduation_06_order_signed')
    dialog.locator('.modal-footer button.btn-primary').first.click()
    sao.wait_idle()
    order = _rpc(live_server, 'copp.contingent.order.search_read',
        [('lines.student.party.name', '=', passed[0]),
            ('kind', '=', 'expulsion'), ('state', '=', 'signed')],
        0, None, None, ['number', 'lines'])
    assert len(order) == 1 and len(order[0]['lines']) == len(passed), order
    students = _rpc(live_server, 'copp.student.search_read',
        [('party.name', 'in', passed + [failed])], 0, None, None,
        ['rec_name', 'state'])
    assert {s['rec_name']: s['state'] for s in students} == dict(
        [(n, 'graduated') for n in passed] + [(failed, 'studying')])

    # «Подготовить дипломы»: the drafted diplomas open in a tab of their own.
    _click_button(sao, 'create_documents')
    tab = page.locator('.nav-tabs li.active a:visible, '
        '#tablist li.active a').filter(has_text='Документы об образовании')
    tab.first.wait_for(timeout=20000)
    documents_list = page.locator('div.treeview:visible').last
    documents_list.locator('td:visible').filter(
        has_text=passed[0].split()[0]).first.wait_for(timeout=15000)
    last_names = documents_list.locator(
        'td[data-title="Фамилия: "]').all_inner_texts()
    # by name, as the class list
    assert last_names == [n.split()[0] for n in passed], last_names
    assert page.locator('.nav-tabs a').filter(
        has_text='Черновики').first.inner_text().split() == [
        'Черновики', str(len(passed))]
    _screenshot(sao, 'graduation_07_diplomas_drafted')

    # A diploma: the recipient as printed, the supplement from the closed
    # grade sheets, honours computed.
    documents_list.locator('td:visible').filter(
        has_text=passed[0].split()[0]).first.dblclick()
    sao.wait_idle()
    assert _selected_text(page, 'kind') == (
        'Диплом о среднем профессиональном образовании')
    assert _selected_text(page, 'status') == 'Оригинал'
    assert _value(page, 'group') == group['name']
    assert _value(page, 'graduation_year') == str(date_to.year)
    assert _selected_text(page, 'attestation_grade') == dict(graded)[
        passed[0]]
    _screenshot(sao, 'graduation_08_diploma')
    page.locator('.nav-tabs a:text-is("Получатель")').first.click()
    sao.wait_idle()
    last_name, first_name, *_ = passed[0].split()
    assert _value(page, 'last_name') == last_name
    assert _value(page, 'first_name') == first_name
    # The graduate studied under a targeted training contract: the
    # registrar enters it, but not the employer (the ФРДО check will say).
    targeted = page.locator('input[name="targeted"]:visible')
    if not targeted.is_checked():
        targeted.check()
        sao.wait_idle()
    page.locator('input[name="targeted_number"]').fill('ЦО-17')
    page.locator('input[name="targeted_date"]').fill(
        _date(dt.date(date_to.year - 3, 8, 25)))
    page.keyboard.press('Tab')
    page.locator('input[name="targeted_org"]').fill(
        'ОАО «Рязанский завод путевых машин»')
    page.locator('input[name="targeted_ogrn"]').fill('1026201260457')
    page.locator('input[name="targeted_kpp"]').fill('623401001')
    for name in ['employer_name', 'employer_ogrn', 'employer_kpp',
            'employer_region']:
        page.locator(f'input[name="{name}"]').fill('')
    page.locator('button#save:visible').click()
    sao.wait_idle()
    _saved(page)
    _screenshot(sao, 'graduation_09_diploma_recipient')
    page.locator('.nav-tabs a:text-is("Приложение")').first.click()
    sao.wait_idle()
    supplement = _one2many(page, 'Приложение')
    _show_all(sao, supplement)
    kinds = supplement.locator('td[data-title="Вид: "]').all_inner_texts()
    assert len(kinds) > 5 and kinds[0] == 'Дисциплина', kinds
    # the last line: the ГИА with the grade of the commission
    gia = supplement.locator('tbody tr:not(.more-row)').last
    assert gia.locator('td[data-title="Вид: "]').inner_text() == (
        'Государственная итоговая аттестация')
    assert gia.locator('td[data-title="Итоговая оценка: "]').inner_text() == (
        dict(graded)[passed[0]])
    _screenshot(sao, 'graduation_10_diploma_supplement')

    # Back to the list: all the drafts selected, «Выдать» at the foot of
    # the list issues them on the blanks with the registration numbers of
    # the college's book.
    page.locator('button#switch_:visible').click()
    sao.wait_idle()
    documents_list = page.locator('div.treeview:visible').last
    select_all = documents_list.locator('thead th.selection-state input')
    for _ in range(2):
        # (the first click only clears the selection of the opened record)
        if documents_list.locator('tbody tr.selected').count() == len(passed):
            break
        select_all.click()
        sao.wait_idle()
    assert documents_list.locator('tbody tr.selected').count() == len(passed)
    _screenshot(sao, 'graduation_11_diplomas_selected')
    page.locator('.tree-footer button:visible').filter(
        has_text='Выдать').click()
    sao.wait_idle()
    page.locator('.nav-tabs a').filter(has_text='Выданные').first.click()
    sao.wait_idle()
    documents = _rpc(live_server, 'copp.graduation.document.search_read',
        [('student.party.name', 'in', passed)], 0, None,
        [('registration_number', 'ASC')],
        ['last_name', 'series', 'number', 'registration_number', 'state',
            'issue_date'])
    assert len(documents) == len(passed)
    assert {d['state'] for d in documents} == {'issued'}
    assert all(d['series'] and d['number'] for d in documents)
    numbers = [d['registration_number'] for d in documents]
    assert all(n.startswith(f'{today.year}-') for n in numbers), numbers
    # registered in the order of the list: by name
    assert [d['last_name'] for d in documents] == last_names
    issued = documents_list.locator('td[data-title="Рег. номер: "]')
    issued.filter(has_text=numbers[-1]).first.wait_for(timeout=15000)
    _screenshot(sao, 'graduation_12_diplomas_issued')

    # ФИС ФРДО: the college's documents not yet sent (the demo's of last
    # June and ours), the pre-validation report, the file of the ready ones.
    pending = _rpc(live_server, 'copp.graduation.document.search_read',
        [('state', '=', 'issued'), ('frdo_date', '=', None)], 0, None,
        None, ['last_name'] + TARGETED)
    rejected = sorted(d['last_name'] for d in pending
        if d['targeted'] and not all(d[f] for f in TARGETED))
    assert last_name in rejected
    sao.open_menu('Выгрузка в ФИС ФРДО')
    dialog = page.locator('.modal.in').last
    dialog.locator('button').filter(has_text='Проверить').wait_for()
    assert dialog.locator('input[name="company"]').input_value() == college
    for label in ['Колледж:', 'Выданы с:', 'Выданы по:',
            'Только ещё не переданные:', 'Отметить как переданные:']:
        # each label in the dialog, not cut off
        assert dialog.locator(f'label:text-is("{label}")').is_visible()
        box = dialog.locator(f'label:text-is("{label}")').bounding_box()
        dialog_box = dialog.locator('.modal-content').bounding_box()
        assert box['x'] + box['width'] <= (
            dialog_box['x'] + dialog_box['width']), label
    _screenshot(sao, 'graduation_13_frdo_start')
    dialog.locator('button').filter(has_text='Проверить').click()
    sao.wait_idle()
    dialog = page.locator('.modal.in').last
    dialog.locator('button').filter(has_text='Выгрузить готовые').wait_for()
    assert _value(dialog, 'valid') == str(len(pending) - len(rejected))
    assert _value(dialog, 'rejected') == str(len(rejected))
    report = dialog.locator('textarea[name="report"]').input_value()
    for name in rejected:
        assert name in report
    assert (f'({passed[0]}): столбец 35 «Наименование организации '
        'работодателя» — не заполнен (есть договор о целевом обучении)'
        ) in report, report
    assert f'({passed[0]}): столбец 30' not in report
    _screenshot(sao, 'graduation_14_frdo_check')
    dialog.locator('button').filter(has_text='Выгрузить готовые').click()
    sao.wait_idle()
    dialog = page.locator('.modal.in').last
    dialog.locator('input[name="filename"]').wait_for()
    filename = _value(dialog, 'filename')
    assert filename == f'frdo-{college}-{today:%Y%m%d}.xlsx'
    assert _value(dialog, 'count') == str(len(pending) - len(rejected))
    _screenshot(sao, 'graduation_15_frdo_file')
    with page.expect_download() as download_info:
        dialog.locator('button[title="Сохранить как..."]').click()
    download = download_info.value
    assert download.suggested_filename == filename
    book = openpyxl.load_workbook(io.BytesIO(
            open(download.path(), 'rb').read()))
    assert book.sheetnames == ['Шаблон']
    rows = list(book['Шаблон'].iter_rows(values_only=True))
    assert len(rows[0]) == 46
    assert rows[0][:3] == ('Наименование документа', 'Вид документа',
        'Статус документа')
    assert len(rows) - 1 == len(pending) - len(rejected)
    exported = {(r[10], r[18]) for r in rows[1:]}
    for document in documents:
        if document['last_name'] not in rejected:
            assert (document['registration_number'],
                document['last_name']) in exported
    dialog.locator('button').filter(has_text='Закрыть').click()
    sao.wait_idle()

    # The exported documents are marked sent; the rejected ones are not.
    after = _rpc(live_server, 'copp.graduation.document.search_read',
        [('state', '=', 'issued'), ('frdo_date', '=', None)], 0, None,
        None, ['last_name'])
    assert sorted(d['last_name'] for d in after) == rejected
