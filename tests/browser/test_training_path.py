"""The learner's whole way through the ЦОПП in a real browser, on the live
server with the demo data:

the ЦОПП opens a cohort of a free programme of further training (it began
a week ago and still takes applications) with a teacher of its own; a
citizen finds the programme in the catalogue, signs up by e-mail on the way
and applies with the scans of her documents; the ЦОПП specialist checks the
documents, agrees and enrols her in the back office (sao), signing the
cohort's enrolment order; she is a learner of the cohort; the teacher marks
her absent on the journal page; she passes the final attestation, the
completion order makes her certificate, which is issued; its QR page says
it is valid, with her initials only; the ФИС ФРДО export (ДПО) of the
ЦОПП's documents, downloaded from sao, contains it."""
import datetime as dt
import io
import random
import re
import uuid
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from copp_training.tests.tools import PDF
from tests.browser.test_event_portal import portal_server, shot  # noqa: F401
from tests.browser.test_site import assert_russian, make_snils, new_page
from tests.conftest import IDLE_SCRIPT, SaoPage

pytestmark = pytest.mark.browser

SPECIALIST, SPECIALIST_PASSWORD = 'copp', 'copp-demo-2026'
PASSWORD = 'Zelenyi-tramvai-2026'
TEACHER_PASSWORD = 'Doska-i-mel-2026'
CONFIRM = re.compile(r'https?://\S+?(/cabinet/signup/confirm/[^\s/]+)')
IDLE_SAVES = """() => window.copJournal && window.copJournal.pending() === 0
    && !document.querySelector('#grid input.saving, #grid input.dirty')"""
FIRST_NAMES = ["Анна", "Вера", "Дарья", "Елена", "Ирина", "Ксения",
    "Марина", "Ольга", "Полина", "Светлана"]


def rpc(server, method, *params, login=SPECIALIST,
        password=SPECIALIST_PASSWORD):
    return server.rpc(f'model.{method}', [*params, {}], login=login,
        password=password)


def admin_rpc(server, method, *params):
    return server.rpc(f'model.{method}', [*params, {}])


def json_date(value):
    "A date as Tryton's JSON-RPC carries it"
    return {'__class__': 'date', 'year': value.year, 'month': value.month,
        'day': value.day}


def server_today(server, company_id):
    "The date of the server's ir.date: today in the company's time zone"
    company, = admin_rpc(server, 'company.company.read', [company_id],
        ['timezone'])
    return dt.datetime.now(ZoneInfo(company['timezone'] or 'UTC')).date()


def confirmation_path(server, address):
    "The link of the sign-up e-mail the portal server delivered"
    message = server.mailbox.wait_for(address)
    body = message.get_body(preferencelist=('plain',)).get_content()
    return CONFIRM.search(body).group(1)


def open_cohort(server, random_):
    """A cohort of a free programme of further training of the ЦОПП, begun a
    week ago, taking applications, taught by a new teacher with an account:
    (cohort, program, teacher login, ЦОПП)"""
    copp, = admin_rpc(server, 'company.company.search_read',
        [('institution_kind', '=', 'copp')], 0, 1, None,
        ['rec_name', 'short_name'])
    programs = admin_rpc(server, 'copp.program.search_read',
        [('company', '=', copp['id']), ('state', '=', 'published'),
            ('kind', '=', 'advanced'), ('free', '=', True)],
        0, None, [('id', 'ASC')], ['name', 'document_kind'])
    assert programs, "the demo has no free further training of the ЦОПП"
    program = programs[0]
    assert program['document_kind'] == 'qualification_certificate'
    today = server_today(server, copp['id'])

    suffix = uuid.uuid4().hex[:6]
    party, = admin_rpc(server, 'party.party.create',
        [{'name': f"Лекторова Нина Павловна {suffix}"}])
    employee, = admin_rpc(server, 'company.employee.create',
        [{'party': party, 'company': copp['id']}])
    # The groups of the demo's teacher prep1: the role «Преподаватель»
    prep1, = admin_rpc(server, 'res.user.search_read',
        [('login', '=', 'prep1')], 0, 1, None, ['groups'])
    teacher_login = f'lektor-{suffix}'
    admin_rpc(server, 'res.user.create', [{
                'login': teacher_login, 'name': "Лекторова Нина Павловна",
                'password': TEACHER_PASSWORD,
                'companies': [('add', [copp['id']])],
                'company': copp['id'], 'company_filter': 'all',
                'employees': [('add', [employee])], 'employee': employee,
                'groups': [('add', prep1['groups'])]}])

    place = f"ул. Сквозная, д. {random_.randint(1, 99)}, ауд. {suffix}"
    cohort, = rpc(server, 'copp.training.cohort.create', [{
                'name': program['name'], 'program': program['id'],
                'company': copp['id'],
                'start_date': json_date(today - dt.timedelta(days=7)),
                'end_date': json_date(today + dt.timedelta(days=30)),
                'seats': 10, 'place': place,
                'teachers': [('add', [employee])]}])
    rpc(server, 'copp.training.cohort.open', [cohort])
    cohort, = rpc(server, 'copp.training.cohort.read', [cohort],
        ['code', 'rec_name', 'start_date', 'place'])
    return cohort, program, teacher_login, copp, today


def apply_online(browser, server, program, cohort, person):
    "The citizen: catalogue → programme → sign-up → application with scans"
    url = server.url
    context, page, errors = new_page(browser)
    page.goto(url + '/programs')
    page.wait_for_selector('h1:has-text("Программы обучения")')
    page.fill('#f-q', program['name'])
    page.select_option('form.filters select[name="kind"]',
        label='Повышение квалификации')
    page.locator('form.filters button[type="submit"]').click()
    page.wait_for_url('**/programs?*kind=advanced*')
    card = page.locator('.program-list li.program-card').filter(
        has=page.locator(f'h3 a:text-is("{program["name"]}")'))
    card.locator('h3 a').click()
    page.wait_for_selector(f'h1:has-text("{program["name"]}")')
    ours = page.locator('.cohort-list li.cohort').filter(
        has_text=cohort['place'])
    assert ours.count() == 1, page.inner_text('.cohort-list')
    shot(page, 'training_01_program')
    ours.locator('a:has-text("Подать заявку")').click()

    # Not signed in: the login of the cabinet, then the sign-up.
    page.wait_for_selector('h1:has-text("Вход в личный кабинет")')
    page.locator('a:has-text("Зарегистрироваться")').click()
    page.wait_for_selector('h1:has-text("Регистрация")')
    page.fill('#f-last_name', person['last_name'])
    page.fill('#f-first_name', person['first_name'])
    page.fill('#f-birth_date', person['birth_date'].isoformat())
    page.fill('#f-email', person['email'])
    page.fill('#f-password', PASSWORD)
    page.fill('#f-password2', PASSWORD)
    page.check('#f-consent')
    page.locator('button:has-text("Зарегистрироваться")').click()
    page.wait_for_load_state()
    assert_russian(page)
    page.goto(url + confirmation_path(server, person['email']))
    page.wait_for_selector('h1:has-text("Подтверждение регистрации")')
    page.locator('button:has-text("Подтвердить и войти")').click()

    # Back at the application, filled from the account.
    page.wait_for_selector('h1:has-text("Заявка на обучение")')
    assert page.input_value('#f-last_name') == person['last_name']
    assert page.input_value('#f-email') == person['email']
    assert page.locator('#f-cohort').input_value() == str(cohort['id'])
    page.select_option('#f-gender', 'female')
    page.fill('#f-snils', person['snils'])
    page.select_option('#f-id_document_kind', 'passport_ru')
    page.fill('#f-id_document_series', '61 15')
    page.fill('#f-id_document_number', '482913')
    page.fill('#f-id_document_date', '2015-06-04')
    page.fill('#f-id_document_issuer', "УМВД России по Рязанской области")
    page.select_option('#f-education_level', 'higher')
    page.fill('#f-education_document_series', '106224')
    page.fill('#f-education_document_number', '0345127')
    page.fill('#f-education_document_year', '2012')
    page.select_option('#f-funding', 'budget')
    for name, filename in [('scan_passport', 'passport.pdf'),
            ('scan_snils', 'snils.pdf'), ('scan_diploma', 'diploma.pdf')]:
        page.set_input_files(f'input[name="{name}"]', files=[{
                    'name': filename, 'mimeType': 'application/pdf',
                    'buffer': PDF}])
    page.check('#f-consent')
    assert_russian(page)
    shot(page, 'training_02_application_form')
    page.locator('button:has-text("Отправить заявку")').click()
    page.wait_for_selector('h1:has-text("Мои заявки на обучение")')
    row = page.locator('table tbody tr').filter(has_text=program['name'])
    assert row.count() == 1
    assert 'Новая' in row.inner_text()
    shot(page, 'training_03_my_applications')
    assert not errors, errors
    return context, page


def enrol_in_back_office(sao, application, cohort):
    "The specialist moves the application to «зачислен» in sao"
    page = sao.page
    sao.login(SPECIALIST, SPECIALIST_PASSWORD)
    sao.open_menu('ЦОПП', 'Обучение', 'Заявки на обучение')
    page.locator('div.treeview:visible td:visible').filter(
        has_text=application['number']).first.dblclick()
    sao.wait_idle()
    for button, following in [('check_documents', 'agree'),
            ('agree', 'add_to_order')]:
        page.locator(f'button[name="{button}"]:visible').first.click()
        sao.wait_idle()
        page.locator(f'button[name="{following}"]:visible').first.wait_for(
            timeout=15000)
    shot(page, 'training_04_application_agreed')
    page.locator('button[name="add_to_order"]:visible').first.click()
    sao.wait_idle()
    page.locator('button[name="add_to_order"]').first.wait_for(
        state='hidden', timeout=15000)

    sao.open_menu('Приказы по потокам')
    # The cohort is new: its only order is the draft made for her (a
    # click on the cohort's cell would open the cohort: the kind's opens
    # the order).
    page.locator('div.treeview:visible tbody tr').filter(
        has_text=cohort['code']).first.locator('td:visible').filter(
        has_text='Зачисление').first.dblclick()
    sao.wait_idle()
    page.locator('button[name="sign"]:visible').first.click()
    sao.wait_idle()
    page.wait_for_function(
        """() => {
            const s = Array.from(document.querySelectorAll(
                'select[name="state"]')).find(e => e.offsetParent);
            return s && s.selectedOptions[0].text === 'Подписан'; }""",
        timeout=15000)
    shot(page, 'training_05_order_signed')


def mark_absent(browser, server, teacher_login, cohort, learner_name):
    "The teacher marks the learner absent on the journal page"
    context = browser.new_context(viewport={'width': 1366, 'height': 900},
        locale='ru-RU')
    context.add_init_script(IDLE_SCRIPT)
    teacher = SaoPage(context.new_page(), server.live)
    teacher.login(teacher_login, TEACHER_PASSWORD)
    with teacher.page.context.expect_page() as new_tab:
        teacher.open_menu('ЦОПП', 'Журнал', 'Электронный журнал')
    journal = new_tab.value
    journal.wait_for_load_state()
    journal.locator('main a, .card a').filter(
        has_text=cohort['code']).first.click()
    journal.wait_for_selector('#grid tbody tr')
    journal.wait_for_function(IDLE_SAVES)
    rows = journal.locator('#grid tbody tr')
    names = [rows.nth(i).locator('th.name').inner_text()
        for i in range(rows.count())]
    row = next(i for i, n in enumerate(names) if learner_name in n)
    headers = journal.locator('#grid thead th.date')
    column = next(c for c in range(headers.count())
        if 'locked' not in (headers.nth(c).get_attribute('class') or ''))
    cell = rows.nth(row).locator('td.cell input').nth(column)
    cell.click()
    journal.keyboard.type('н')
    journal.keyboard.press('Tab')
    journal.wait_for_function(IDLE_SAVES, timeout=20000)
    shot(journal, 'training_06_journal')
    journal.reload()
    journal.wait_for_selector('#grid tbody tr')
    journal.wait_for_function(IDLE_SAVES)
    saved = journal.locator('#grid tbody tr').nth(row).locator(
        'td.cell input').nth(column).input_value()
    context.close()
    return saved


def export_frdo(sao, document_number):
    "The specialist's ФИС ФРДО export (ДПО): the rows of the file"
    page = sao.page
    sao.open_menu('Выгрузка в ФИС ФРДО (ДПО, ПО)')
    dialog = page.locator('.modal.in').last
    dialog.locator('button').filter(has_text='Проверить').wait_for()
    dialog.locator('button').filter(has_text='Проверить').click()
    sao.wait_idle()
    # With a document refused, the pre-validation's report comes first;
    # with none, the file at once.
    dialog = page.locator('.modal.in').last
    report = dialog.locator('textarea[name="report"]:visible')
    save = dialog.locator('button[title="Сохранить как..."]:visible')
    report.or_(save).first.wait_for()
    shot(page, 'training_08_frdo')
    if report.count():
        assert document_number not in report.input_value(), (
            report.input_value())
        dialog.locator('button:visible').filter(
            has_text='Выгрузить готовые').click()
        sao.wait_idle()
        dialog = page.locator('.modal.in').last
        save = dialog.locator('button[title="Сохранить как..."]:visible')
        save.wait_for()
    with page.expect_download() as download_info:
        save.click()
    download = download_info.value
    book = openpyxl.load_workbook(io.BytesIO(
            open(download.path(), 'rb').read()))
    rows = list(book.active.iter_rows(values_only=True))
    dialog.locator('button').filter(has_text='Закрыть').click()
    sao.wait_idle()
    return download.suggested_filename, rows


def test_citizen_applies_and_receives_certificate(browser, portal_server,
        sao):
    server = portal_server
    random_ = random.Random(uuid.uuid4().int)
    cohort, program, teacher_login, copp, today = open_cohort(
        server, random_)
    person = {
        'last_name': "Сквознова", 'first_name': random_.choice(FIRST_NAMES),
        'birth_date': dt.date(1991, 4, 12),
        'email': f'skvoznova-{uuid.uuid4().hex[:8]}@example.ru',
        'snils': make_snils(random_),
        }
    citizen, citizen_page = apply_online(browser, server, program, cohort,
        person)

    application, = rpc(server, 'copp.training.application.search_read',
        [('email', '=', person['email'])], 0, None, None,
        ['number', 'state', 'cohort', 'scans'])
    assert (application['state'], application['cohort']) == (
        'new', cohort['id'])
    assert len(application['scans']) == 3

    # The back office: documents checked, agreed, enrolled by the order.
    enrol_in_back_office(sao, application, cohort)
    application, = rpc(server, 'copp.training.application.read',
        [application['id']], ['state'])
    assert application['state'] == 'enrolled'
    learner, = rpc(server, 'copp.training.learner.search_read',
        [('cohort', '=', cohort['id']),
            ('party.name', 'ilike', f"%{person['last_name']}%")],
        0, None, None, ['state', 'party.rec_name'])
    assert learner['state'] in {'enrolled', 'studying'}
    citizen_page.reload()
    assert 'Зачислен' in citizen_page.locator('table tbody tr').filter(
        has_text=program['name']).inner_text()

    # The cohort runs: its journal, a lesson every day since it began.
    rpc(server, 'copp.training.cohort.start', [cohort['id']])
    line, = rpc(server, 'copp.journal.curriculum.line.search_read',
        [('curriculum.cohort', '=', cohort['id'])], 0, 1, [('id', 'ASC')],
        ['id'])
    rpc(server, 'copp.training.timetable.create', [{
                'cohort': cohort['id'], 'weekday': str(day), 'pair': 1,
                'hours': 2, 'line': line['id']} for day in range(7)])
    rpc(server, 'copp.training.cohort.generate_lessons', [cohort['id']])
    learner, = rpc(server, 'copp.training.learner.read', [learner['id']],
        ['state'])
    assert learner['state'] == 'studying'

    # The teacher marks her absent; the mark is there after a reload.
    assert mark_absent(browser, server, teacher_login, cohort,
        person['last_name']) == 'н'

    # The final attestation, the completion order, the certificate.
    rpc(server, 'copp.training.learner.write', [learner['id']], {
            'final_grade': 'pass', 'attestation_date': json_date(today)})
    order, = rpc(server, 'copp.training.cohort.order.create', [{
                'cohort': cohort['id'], 'kind': 'completion',
                'lines': [('create', [{'learner': learner['id']}])]}])
    rpc(server, 'copp.training.cohort.order.sign', [order])
    document, = rpc(server, 'copp.training.document.search_read',
        [('learner', '=', learner['id'])], 0, None, None,
        ['state', 'kind'])
    assert (document['state'], document['kind']) == (
        'draft', 'qualification_certificate')
    rpc(server, 'copp.training.document.issue', [document['id']])
    document, = rpc(server, 'copp.training.document.read',
        [document['id']], ['state', 'registration_number', 'verify_key'])
    assert document['state'] == 'issued'
    assert len(document['verify_key']) >= 24

    # The QR code's page: valid, the number, the initials only.
    citizen_page.goto(server.url + '/verify/' + document['verify_key'])
    citizen_page.wait_for_selector('h1:has-text("Проверка документа")')
    text = citizen_page.inner_text('main')
    assert 'Документ действителен.' in text
    assert document['registration_number'] in text
    assert f"{person['last_name'][0]}. {person['first_name'][0]}." in text, text
    assert person['last_name'] not in text
    assert person['snils'] not in text
    assert_russian(citizen_page)
    shot(citizen_page, 'training_07_verify')
    citizen.close()

    # The ФИС ФРДО export (ДПО) of the ЦОПП contains the certificate.
    filename, rows = export_frdo(sao, document['registration_number'])
    assert filename.endswith('.xlsx') and 'DPO' in filename.upper(), filename
    header = list(rows[0])
    number = header.index("Регистрационный номер")
    exported = [r for r in rows[1:]
        if r[number] == document['registration_number']]
    assert len(exported) == 1, [r[number] for r in rows[1:]]
    assert person['last_name'] in exported[0]
    document, = rpc(server, 'copp.training.document.read',
        [document['id']], ['frdo_date'])
    assert document['frdo_date']
