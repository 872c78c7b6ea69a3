"""The partner portal in a real browser (Debian chromium through Playwright)
on the live server of tests/conftest.py (trytond + sao, demo data):

an employer logs in, creates and publishes a vacancy and a training order
and sees them; a ЦОПП specialist accepts the order in the back office; the
employer sees the new stage. Screenshots of the portal on a phone-sized
(390×844) and a desktop (1366×900) viewport go to test-output/screenshots/.
"""
import datetime as dt
import os
import re
import uuid

import pytest

from tests.conftest import IDLE_SCRIPT, SCREENSHOTS, SaoPage

pytestmark = pytest.mark.browser

# The portal serves the database of `[copp] database`; the live server is
# started with `-d <its database>`, which the runtime configuration written
# by `copp serve` does not carry yet: give it through the environment
# (before the session's live server is started).
_uri = os.environ.get('TRYTOND_DATABASE_URI') or 'sqlite://'
os.environ.setdefault('TRYTOND_COPP__DATABASE',
    f'copp_live_{os.getpid()}' if _uri.startswith('postgresql')
    else 'browser')

EMPLOYER_LOGIN = 'partner001@demo.copp62.ru'
EMPLOYER_PASSWORD = 'partner-demo-2026'
DESKTOP = {'width': 1366, 'height': 900}
PHONE = {'width': 390, 'height': 844}


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f'{name}.png'), full_page=True)


def portal_page(browser, viewport, phone=False):
    context = browser.new_context(viewport=viewport, locale='ru-RU',
        is_mobile=phone, has_touch=phone)
    page = context.new_page()
    errors = []
    page.on('console', lambda message: errors.append(message.text)
        if message.type == 'error' else None)
    page.on('pageerror', lambda error: errors.append(str(error)))
    return context, page, errors


def login(page, url):
    response = page.goto(url + '/partner/login')
    assert response.status == 200, (response.status, page.content()[:2000])
    page.get_by_label('Электронная почта').fill(EMPLOYER_LOGIN)
    page.get_by_label('Пароль').fill(EMPLOYER_PASSWORD)
    page.get_by_role('button', name='Войти').click()
    page.wait_for_url(url + '/partner/')


def test_employer_vacancy_order_and_stage(browser, live_server):
    url = live_server.url
    suffix = uuid.uuid4().hex[:6]
    position = f"Инженер-наладчик роботизированных линий {suffix}"
    context, page, errors = portal_page(browser, DESKTOP)

    # The employer logs in.
    login(page, url)
    heading = page.locator('h1').inner_text()
    assert heading.startswith(('ООО', 'АО', 'ПАО')), heading
    shot(page, 'portal_01_dashboard_desktop')

    # A vacancy: create and publish.
    page.get_by_role('link', name='Разместить вакансию').click()
    page.get_by_label('Название должности').fill(position)
    page.get_by_label('Специальность или профессия СПО').select_option(
        label='15.02.16 Технология машиностроения')
    page.get_by_label('График работы').select_option(label='Сменный график')
    page.get_by_label('Зарплата от, ₽').fill('65000')
    page.get_by_label('Зарплата до, ₽').fill('90000')
    page.get_by_label('Требования').fill(
        "СПО по специальности «Технология машиностроения».")
    shot(page, 'portal_02_vacancy_form_desktop')
    page.get_by_role('button', name='Сохранить и опубликовать').click()
    page.wait_for_selector('text=Вакансия опубликована.')
    assert page.locator('h1').inner_text() == position
    shot(page, 'portal_03_vacancy_published_desktop')

    page.get_by_role('link', name='Вакансии', exact=True).first.click()
    assert page.locator(f'text={position}').count() == 1

    # The public list shows it to students and graduates.
    public, public_page, _ = portal_page(browser, DESKTOP)
    public_page.goto(url + '/vacancies?q=' + suffix)
    public_page.wait_for_selector(f'text={position}')
    assert 'от 65\u00a0000\u00a0₽ до 90\u00a0000\u00a0₽' in (
        public_page.locator('.vacancy-list').inner_text())
    shot(public_page, 'portal_04_public_vacancies_desktop')
    public.close()

    # A training order.
    page.get_by_role('link', name='Заказы на подготовку').first.click()
    page.get_by_role('link', name='Новый заказ').click()
    page.get_by_label('Специальность или профессия').select_option(
        label='15.01.05 Сварщик (ручной и частично механизированной сварки '
        '(наплавки))')
    page.get_by_label('Количество человек').fill('12')
    page.get_by_label('Срок').fill(
        (dt.date.today() + dt.timedelta(days=240)).isoformat())
    page.get_by_label('Комментарий').fill(
        f"Сварщики для нового цеха ({suffix})")
    page.get_by_role('button', name='Отправить заказ').click()
    page.wait_for_selector('text=отправлен в ЦОПП')
    number = re.search(r'ЗП-\d{4}-\d+', page.locator('h1').inner_text()
        ).group(0)
    assert page.locator('.stages li.current').inner_text() == 'Новый'
    shot(page, 'portal_05_order_new_desktop')
    page.get_by_role('link', name='Заказы', exact=True).first.click()
    assert page.locator(f'text={number}').count() == 1

    # The ЦОПП specialist accepts the order in the back office.
    sao_context = browser.new_context(viewport=DESKTOP, locale='ru-RU')
    sao_context.add_init_script(IDLE_SCRIPT)
    sao = SaoPage(sao_context.new_page(), live_server)
    sao.login('copp', 'copp-demo-2026')
    sao.open_menu('ЦОПП', 'Партнёры', 'Заказы на подготовку')
    sao.screenshot('portal_06_back_office_orders')
    sao.page.wait_for_selector(f'text={number}', timeout=30000)
    sao.page.locator(f'text={number}').first.dblclick()
    sao.wait_idle()
    sao.page.get_by_role('button', name='Взять на рассмотрение', exact=True).click()
    sao.wait_idle()
    sao.page.get_by_role('button', name='Принять', exact=True).click()
    sao.wait_idle()
    # Accepted: the next step of the workflow is offered.
    sao.page.get_by_role('button', name='Начать обучение', exact=True
        ).wait_for()
    sao.screenshot('portal_07_back_office_order_accepted')
    sao_context.close()
    orders = live_server.rpc('model.copp.training.order.search_read',
        [[('number', '=', number)], 0, None, None,
            ['state', 'stage_logs'], {}],
        login='copp', password='copp-demo-2026')['result']
    assert orders[0]['state'] == 'accepted'

    # The employer sees the new stage and its history.
    page.locator(f'text={number}').first.click()
    assert page.locator('.stages li.current').inner_text() == 'Принят'
    history = page.locator('.timeline').inner_text()
    assert 'На рассмотрении' in history and 'Принят' in history
    shot(page, 'portal_08_order_accepted_desktop')
    assert not errors, errors
    context.close()

    # The same portal on a phone.
    context, page, errors = portal_page(browser, PHONE, phone=True)
    login(page, url)
    toggle = page.get_by_role('button', name='Меню')
    assert toggle.is_visible()
    assert not page.locator('#site-nav').is_visible()
    shot(page, 'portal_09_dashboard_phone')
    toggle.click()
    assert page.locator('#site-nav').is_visible()
    shot(page, 'portal_10_menu_phone')
    page.get_by_role('link', name='Заказы на подготовку').click()
    page.locator(f'text={number}').first.click()
    assert page.locator('.stages li.current').inner_text() == 'Принят'
    shot(page, 'portal_11_order_phone')
    page.goto(url + '/partner/vacancies/new')
    shot(page, 'portal_12_vacancy_form_phone')
    page.goto(url + '/vacancies')
    shot(page, 'portal_13_public_vacancies_phone')
    # Nothing is wider than the phone's screen.
    width = page.evaluate('document.documentElement.scrollWidth')
    assert width <= PHONE['width'], width
    assert not errors, errors
    context.close()
