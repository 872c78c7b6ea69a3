"""An employer answers the labor-market survey on the partner portal on
behalf of its organization; the ЦОПП reads the results page and the
staffing-demand report with their charts."""
import urllib.request

import pytest

from tests.browser.test_event_portal import portal_server, shot  # noqa: F401

pytestmark = pytest.mark.browser

# The demo's first employer (partner001) has not answered the survey.
LOGIN = 'partner001@demo.copp62.ru'
PASSWORD = 'partner-demo-2026'


def test_employer_answers_labor_market_survey(browser, portal_server):
    server = portal_server
    survey, = server.rpc('model.copp.survey.search_read', [[
                ('kind', '=', 'labor_market'), ('state', '=', 'open')],
            0, 1, None, ['name', 'results_url'], {}])
    user, = server.rpc('model.web.user.search_read', [[
                ('email', '=', LOGIN)], 0, 1, None, ['organization'], {}])

    context = browser.new_context(viewport={'width': 1280, 'height': 900},
        locale='ru-RU')
    page = context.new_page()
    page.goto(server.url + '/partner/login?next=/partner/surveys')
    page.fill('#f-email', LOGIN)
    page.fill('#f-password', PASSWORD)
    page.click('button:has-text("Войти")')
    page.wait_for_selector('h1:has-text("Опросы для работодателей")')
    shot(page, 'survey_01_partner_list')
    page.click(f'a[href="/partner/surveys/{survey["id"]}"]')
    page.click('form button.button')  # «Начать опрос»

    # Step 1: about the organization.
    page.wait_for_selector('text=Шаг 1 из 3')
    page.locator('fieldset.question', has_text="Сколько человек").locator(
        'input').fill('340')
    page.locator('fieldset.question', has_text="Планируете ли вы").get_by_label(
        'Да', exact=True).check()
    shot(page, 'survey_02_step1')
    page.click('button:has-text("Далее")')

    # Step 2: the staffing demand (a bad line first: refused).
    page.wait_for_selector('text=Шаг 2 из 3')
    line = page.locator('fieldset.demand-line').first
    line.locator('select[name$="_0_specialty"]').select_option(
        label='15.01.05 Сварщик (ручной и частично механизированной сварки '
        '(наплавки))')
    line.locator('input[name$="_0_next"]').fill('6')
    line.locator('input[name$="_0_three"]').fill('4')
    page.click('button:has-text("Далее")')
    page.wait_for_selector('text=потребность за три года включает')
    shot(page, 'survey_03_error')
    line = page.locator('fieldset.demand-line').first
    line.locator('input[name$="_0_three"]').fill('15')
    line.locator('input[name$="_0_salary"]').fill('60 000')
    line.locator('input[name$="_0_conditions"]').fill(
        "Целевое обучение, наставник")
    page.click('button:has-text("Добавить строку")')
    second = page.locator('fieldset.demand-line').nth(1)
    second.locator('input[name$="_1_profession"]').fill(
        "Оператор беспилотных авиационных систем")
    second.locator('input[name$="_1_next"]').fill('1')
    second.locator('input[name$="_1_three"]').fill('3')
    shot(page, 'survey_04_demand')
    page.click('button:has-text("Далее")')

    # Step 3: cooperation, then the review and the submission.
    page.wait_for_selector('text=Шаг 3 из 3')
    page.locator('fieldset.question', has_text="формы сотрудничества"
        ).get_by_label('Производственная практика').check()
    page.locator('label[for$="-8"]').first.click()  # the scale: 8
    page.click('button:has-text("Проверить и отправить")')
    page.wait_for_selector('h1:has-text("Проверьте ответы")')
    assert "Оператор беспилотных авиационных систем: 1 / 3" in (
        page.inner_text('main'))
    shot(page, 'survey_05_review')
    page.click('button:has-text("Отправить ответ")')
    page.wait_for_selector('h1:has-text("Спасибо!")')
    shot(page, 'survey_06_thanks')

    responses = server.rpc('model.copp.survey.response.search_read', [[
                ('survey', '=', survey['id']),
                ('organization', '=', user['organization'])],
            0, None, None, ['state', 'segment', 'demands'], {}])
    assert [(r['state'], r['segment']) for r in responses] == [
        ('submitted', 'employer')]
    demands = server.rpc('model.copp.survey.demand.read', [
            responses[0]['demands'],
            ['need_next_year', 'need_three_years', 'salary'], {}])
    assert sorted((d['need_next_year'], d['need_three_years'], d['salary'])
        for d in demands) == [(1, 3, None), (6, 15, 60000)]

    # The results page of the ЦОПП (signed link from the back office).
    url = survey['results_url']
    path = url[url.index('/survey/results/'):]
    page.goto(server.url + path)
    page.wait_for_selector('svg.chart')
    shot(page, 'survey_07_results')
    page.goto(server.url + path + '/demand')
    page.wait_for_selector('h1:has-text("Потребность в кадрах")')
    assert page.locator('svg.chart rect').count() > 2
    shot(page, 'survey_08_demand')
    response = urllib.request.urlopen(server.url + path + '/demand.xlsx',
        timeout=60)
    assert response.read(2) == b'PK'
    context.close()
