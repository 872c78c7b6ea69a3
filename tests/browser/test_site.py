"""The public site (copp_site) and the employer's training page (copp_training)
in a real browser on the live server with the demo data:

a citizen opens the home page, the programme catalogue with a filter, a
programme's card, the news and one item, the open data; an employer sends
its staff to a cohort from the partner portal (a bad line first: refused
with the line named, in Russian), and the applications exist; every page
fits a phone's screen (375 px) without scrolling sideways."""
import random
import uuid

import pytest

from copp.identifiers import snils as snils_validator
from copp_site.tests.opendata_rules import check_opendata
from tests.browser.test_event_portal import portal_server, shot  # noqa: F401

pytestmark = pytest.mark.browser

EMPLOYER_LOGIN = 'partner001@demo.copp62.ru'
EMPLOYER_PASSWORD = 'partner-demo-2026'
DESKTOP = {'width': 1366, 'height': 900}
PHONE = {'width': 375, 'height': 812}
# English words that would betray a raw key or an untranslated string
ENGLISH = ['msg_', 'None', 'Error', 'Submit', 'Search', 'Applications sent',
    'Line ', 'undefined']
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
    "No raw message key or untranslated English on the page"
    text = page.inner_text('main')
    for word in ENGLISH:
        assert word not in text, (word, page.url, text[:3000])


def assert_fits(page, width):
    "Nothing is wider than the screen: no sideways scrolling"
    scroll = page.evaluate('document.documentElement.scrollWidth')
    assert scroll <= width, (page.url, scroll)


def make_snils(random_):
    "A valid СНИЛС (above the numbers issued before the checksum)"
    head = f'{random_.randint(2_000_000, 999_999_999):09d}'
    number = head + f'{snils_validator.checksum(head):02d}'
    assert snils_validator.is_valid(number), number
    return snils_validator.format(number)


def partner_login(page, url, next_path):
    page.goto(f'{url}/partner/login?next={next_path}')
    page.fill('#f-email', EMPLOYER_LOGIN)
    page.fill('#f-password', EMPLOYER_PASSWORD)
    page.click('button:has-text("Войти")')


def test_citizen_reads_the_site(browser, portal_server):
    server = portal_server
    url = server.url
    # The open data files are written by a daily cron: «Run once», as the
    # administrator does after setting the ЦОПП up.
    cron, = server.rpc('model.ir.cron.search', [[
                ('method', '=', 'copp.opendata.file|regenerate')],
            0, 1, None, {}])
    server.rpc('model.ir.cron.run_once', [[cron], {}])
    context, page, errors = new_page(browser)

    # The home page: what the ЦОПП offers, its nearest cohorts and news.
    page.goto(url + '/portal/')
    page.wait_for_selector('h1:has-text("Центр опережающей профессиональной '
        'подготовки")')
    assert page.locator('.offer-list li.offer').count() >= 3
    assert page.locator('.cohort-cards li').count() >= 1
    assert_russian(page)
    shot(page, 'site_01_home')

    # The catalogue, then a filter: the kind «Повышение квалификации».
    page.locator('#site-nav a[href="/programs"]').click()
    page.wait_for_selector('h1:has-text("Программы обучения")')
    everything = page.locator('.program-list li.program-card').count()
    assert everything >= 3
    total = page.inner_text('.results-count')
    assert total.startswith('Найдено:'), total
    shot(page, 'site_02_catalogue')
    page.select_option('form.filters select[name="kind"]',
        label='Повышение квалификации')
    page.locator('form.filters button[type="submit"]').click()
    page.wait_for_url('**/programs?*kind=advanced*')
    page.wait_for_selector('.results-count')
    kinds = page.locator('.program-list .badge-kind').all_inner_texts()
    assert kinds and set(kinds) == {'Повышение квалификации'}, kinds
    assert page.inner_text('.results-count') != total
    assert_russian(page)
    shot(page, 'site_03_catalogue_filtered')

    # A programme's card.
    card = page.locator('.program-list li.program-card').first
    name = card.locator('h3 a').inner_text()
    card.locator('h3 a').click()
    page.wait_for_selector(f'h1:has-text("{name}")')
    details = page.inner_text('.program-page dl.details')
    assert 'Повышение квалификации' in details
    assert 'Документ об окончании' in details
    assert_russian(page)
    program_path = page.url[len(url):]
    shot(page, 'site_04_program')

    # The news and one item.
    page.locator('#site-nav a[href="/news"]').click()
    page.wait_for_selector('h1:has-text("Новости")')
    item = page.locator('.news-list li.news-item').first
    title = item.locator('h3 a').inner_text()
    assert_russian(page)
    shot(page, 'site_05_news')
    item.locator('h3 a').click()
    page.wait_for_selector(f'article.news-page h1:has-text("{title}")')
    assert page.locator('article.news-page .text').inner_text().strip()
    assert_russian(page)
    news_path = page.url[len(url):]
    shot(page, 'site_06_news_item')

    # The open data: the datasets with their passport, data and structure.
    page.locator('#site-nav a[href="/opendata/"]').click()
    page.wait_for_selector('h1:has-text("Открытые данные")')
    datasets = page.locator('.dataset-list > li')
    assert datasets.count() >= 1
    assert datasets.first.locator('a:has-text("Паспорт")').count() == 1
    assert_russian(page)
    shot(page, 'site_07_opendata')
    meta = datasets.first.locator('a:has-text("Паспорт")').get_attribute(
        'href')
    response = page.request.get(url + meta[meta.index('/opendata/'):])
    assert response.ok and response.text().startswith('property,value')
    # Every rule of the methodology on the files this running server
    # serves (the publisher: the ЦОПП, by its ИНН).
    copp, = server.rpc('model.company.company.search_read', [[
                ('institution_kind', '=', 'copp')], 0, 1, None,
            ['inn'], {}])

    def get(path):
        answer = page.request.get(url + path)
        return answer.status, answer.headers['content-type'], answer.body()
    datasets = check_opendata(get, copp['inn'])
    for name in ['programs', 'cohorts', 'organizations']:
        assert datasets[f"{copp['inn']}-{name}"]['rows'], name
    assert not errors, errors
    context.close()

    # The same pages on a phone: the menu folds, nothing overflows.
    context, page, errors = new_page(browser, PHONE, phone=True)
    for number, path in enumerate(['/portal/', '/programs',
                '/programs?kind=advanced', program_path, '/news', news_path,
                '/opendata/'], 8):
        page.goto(url + path)
        page.wait_for_selector('main h1')
        assert page.locator('button.nav-toggle').is_visible()
        assert_fits(page, PHONE['width'])
        shot(page, f'site_{number:02d}_phone_'
            + path.strip('/').replace('/', '_').replace('?', '_')
            .replace('=', '_') or 'home')
    assert not errors, errors
    context.close()


def test_employer_sends_staff_to_a_cohort(browser, portal_server):
    server = portal_server
    url = server.url
    random_ = random.Random(uuid.uuid4().int)
    first, second = make_snils(random_), make_snils(random_)
    suffix = uuid.uuid4().hex[:6]
    user, = server.rpc('model.web.user.search_read', [[
                ('email', '=', EMPLOYER_LOGIN)], 0, 1, None,
            ['organization'], {}])

    context, page, errors = new_page(browser)
    partner_login(page, url, '/partner/training')
    page.wait_for_selector('h1:has-text("Обучение сотрудников")')
    rows = page.locator('table tbody tr:has(a:has-text("Направить '
        'сотрудников"))')
    assert rows.count() >= 1
    assert_russian(page)
    shot(page, 'training_01_partner_list')
    row = rows.first
    program = row.locator('td[data-label="Программа"]').inner_text()
    row.locator('a:has-text("Направить сотрудников")').click()
    page.wait_for_selector('h1:has-text("Направить сотрудников")')
    cohort_id = int(page.url.rstrip('/').split('/')[-2])
    shot(page, 'training_02_apply_form')

    # A bad line: the second one has a birth date the form refuses.
    good = (f"Кузнецова Ольга Викторовна; 14.02.1987; {first}; "
        f"kuznetsova.{suffix}@example.com; технолог")
    page.fill('#f-staff', good + "\nСмирнов Андрей; 1986-05-30; "
        f"{second}; ; наладчик")
    page.check('#f-consent')
    page.click('button:has-text("Отправить заявки")')
    page.wait_for_selector('text=Строка 2: дата рождения в виде дд.мм.гггг.')
    assert 'Строка 1' not in page.inner_text('main')
    # Nothing was created: every line is checked first.
    assert not server.rpc('model.copp.training.application.search', [[
                ('snils', 'in', [first, second])], 0, None, None, {}])
    assert_russian(page)
    shot(page, 'training_03_apply_error')

    # Corrected, both are sent.
    page.fill('#f-staff', good + "\nСмирнов Андрей; 30.05.1986; "
        f"{second}; ; наладчик")
    if not page.is_checked('#f-consent'):
        page.check('#f-consent')
    page.click('button:has-text("Отправить заявки")')
    page.wait_for_selector('h1:has-text("Обучение сотрудников")')
    flash = page.locator('.flash').inner_text()
    assert flash.startswith('Отправлено заявок: 2.'), flash
    mine = page.locator('table:has(caption:has-text("Заявок:")) tbody')
    assert 'Кузнецова Ольга Викторовна' in mine.inner_text()
    assert 'Смирнов Андрей' in mine.inner_text()
    assert_russian(page)
    shot(page, 'training_04_sent')

    applications = server.rpc('model.copp.training.application.search_read',
        [[('snils', 'in', [first, second])], 0, None, [('id', 'ASC')],
            ['last_name', 'first_name', 'patronymic', 'snils', 'email',
                'source', 'state', 'workplace', 'cohort', 'employer.party',
                'program.name'], {}])
    mine = {a['snils']: a for a in applications}
    assert set(mine) == {first, second}
    assert {(a['cohort'], a['employer.']['party']) for a in applications
        } == {(cohort_id, user['organization'])}
    assert (mine[first]['last_name'], mine[first]['patronymic'],
        mine[first]['email'], mine[first]['workplace']) == (
        'Кузнецова', 'Викторовна', f'kuznetsova.{suffix}@example.com',
        'технолог')
    assert (mine[second]['first_name'], mine[second]['patronymic'],
        mine[second]['email']) == ('Андрей', None, None)
    assert {(a['source'], a['state']) for a in (mine[first], mine[second])
        } == {('employer', 'new')}
    assert mine[first]['program.']['name'] == program.split(
        ' для ваших сотрудников')[0].strip()
    assert not errors, errors
    context.close()

    # The same pages on a phone.
    context, page, errors = new_page(browser, PHONE, phone=True)
    partner_login(page, url, '/partner/training')
    page.wait_for_selector('h1:has-text("Обучение сотрудников")')
    assert_fits(page, PHONE['width'])
    shot(page, 'training_05_partner_list_phone')
    page.goto(f'{url}/partner/training/{cohort_id}/apply')
    page.wait_for_selector('h1:has-text("Направить сотрудников")')
    assert_fits(page, PHONE['width'])
    shot(page, 'training_06_apply_form_phone')
    assert not errors, errors
    context.close()
