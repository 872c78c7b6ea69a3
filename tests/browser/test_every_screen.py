"""The walk: every screen of the back office for every demo role, and every
portal page on a desktop and a phone.

For each role the test logs in to sao, opens every menu entry the role sees
(the menu tree as the user reads it through JSON-RPC), and in each list
opens the first record and switches through all the views of the action
(list, form, graph, calendar); boards and wizards are opened and closed.
The administrator walks the entries no other role has: the others are
walked as the roles that work with them.
A screen fails on a console error, an uncaught exception, an error dialog
of the server, a «Processing» that never ends, a visible English word of
walk.ENGLISH or a raw selection key of our models, and a form wider than
the 1366×768 screen.  A screenshot of each screen goes to
test-output/screenshots/walk/<role>/.

The portal pages (public, partner cabinet, survey, event, check-in, the
teacher's journal) are opened at 1366 and 390 px: the same checks, and the
page must not be wider than the screen.
"""
import os
import urllib.parse

import pytest

from tests.browser.walk import (
    CLOSE_TABS_JS, DISMISS_JS, FIRST_RECORD_JS, MODIFIED_FIELDS_JS,
    MODIFIED_JS, OPEN_MENU_JS,
    OVERFLOW_JS, PORTAL_SKIP, RAW, SAO_ENGLISH, SHOW_TAB_JS, STATE_JS,
    SWITCH_JS, TABS_JS, WALK_SCREENSHOTS, Problems, Timer, Watcher,
    english_words, selection_keys, shape, slug)
from tests.conftest import ADMIN_PASSWORD, IDLE_SCRIPT, SaoPage

PARTNER, PARTNER_PASSWORD = 'partner001@demo.copp62.ru', 'partner-demo-2026'
TEACHER = 'prep1'
WIDTHS = {1366: {'width': 1366, 'height': 768},
    390: {'width': 390, 'height': 844}}

pytestmark = pytest.mark.browser

SCREEN = {'width': 1366, 'height': 768}
# login: what the role is (the curator is a teacher who curates groups of
# another college than prep1's)
ROLES = {
    'uch1': "учебная часть",
    'admin1': "администратор колледжа",
    'prep1': "преподаватель",
    'prep2': "куратор",
    'buh1': "бухгалтер",
    'copp': "специалист ЦОПП",
    'minobr': "министерство",
    'admin': "администратор системы",
    }
# A screen that does not become idle in this time shows «Processing»
# forever.
IDLE_TIMEOUT = 60000
# sao is idle when no request is pending, no step of its promise chains
# is waiting (tests/conftest.py IDLE_SCRIPT), no dialog is fading in or out
# and nothing changed for this long
QUIET_MS = 50


def password(login):
    return ADMIN_PASSWORD if login == 'admin' else f'{login}-demo-2026'


class Forbidden:
    """The English words of the screens: sao's everywhere; raw values and
    the raw selection keys of our models but on the technical screens of
    the administrator (ir.*, res.*: they show code by design)"""
    TECHNICAL = ('ir.', 'res.')

    def __init__(self, keys):
        self.everywhere = SAO_ENGLISH
        self.ours = SAO_ENGLISH | RAW | keys

    # Screens that list the logins of the accounts (Latin by nature: the
    # ЦОПП's demo login «copp» is also a selection key)
    LOGIN_SCREENS = {'copp.security.event'}

    def words(self, model):
        if model and model.startswith(self.TECHNICAL):
            return self.everywhere
        if model in self.LOGIN_SCREENS:
            return self.ours - set(ROLES)
        return self.ours


@pytest.fixture(scope='module')
def forbidden(live_server):
    rpc = live_server.session()
    models = {f['model'] for f in rpc('model.ir.model.field.search_read',
            [('module', 'in', our_modules(rpc)),
                ('ttype', 'in', ['selection', 'multiselection'])],
            0, None, None, ['model'])}
    return Forbidden(selection_keys(rpc, models))


def our_modules(rpc):
    return [m['name'] for m in rpc('model.ir.module.search_read',
            [('state', '=', 'activated'), ['OR', ('name', '=', 'copp'),
                    ('name', 'like', 'copp_%')]], 0, None, None, ['name'])]


def menu_entries(rpc):
    "The menu entries with an action, in the order of the menu tree"
    menus = rpc('model.ir.ui.menu.search_read', [], 0, None, None,
        ['name', 'complete_name', 'parent', 'childs', 'action', 'sequence'])
    by_id = {m['id']: m for m in menus}
    ordered = []

    def visit(menu):
        if menu['action']:
            ordered.append(menu)
        children = [by_id[c] for c in menu['childs'] if c in by_id]
        for child in sorted(children, key=lambda m: (m['sequence'], m['id'])):
            visit(child)
    roots = [m for m in menus if not m['parent'] or m['parent'] not in by_id]
    for root in sorted(roots, key=lambda m: (m['sequence'], m['id'])):
        visit(root)
    # the model (or wizard) each entry opens
    models = {}
    for kind, field in [('ir.action.act_window', 'res_model'),
            ('ir.action.wizard', 'wiz_name')]:
        ids = [int(m['action'].split(',')[1]) for m in ordered
            if m['action'].startswith(kind + ',')]
        for action in rpc(f'model.{kind}.read', ids, [field]):
            models[f"{kind},{action['id']}"] = action[field]
    for menu in ordered:
        menu['model'] = models.get(menu['action'])
    return ordered


class BackOfficeWalk:
    def __init__(self, sao, login, forbidden, problems):
        self.sao = sao
        self.page = sao.page
        self.login = login
        self.forbidden = forbidden
        self.problems = problems
        self.watcher = Watcher(self.page)
        self.folder = WALK_SCREENSHOTS / login
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob('*.png'):
            old.unlink()
        self.screens = 0
        self.popups = []
        sao.page.context.on('page',
            lambda popup: self.popups.append((popup, Watcher(popup))))

    def idle(self, where):
        "Wait until sao is idle (no request, no change of the page)"
        try:
            self.page.wait_for_function(f"""() => window.__pending === 0
                && Date.now() - window.__lastChange > {QUIET_MS}
                && !Array.from(document.querySelectorAll('.modal')).some(
                    m => !m.classList.contains('in')
                        && m.style.display !== 'none')""",
                timeout=IDLE_TIMEOUT, polling='raf')
            return True
        except Exception:
            self.problems.add(where, "«Обработка…» не закончилась за "
                f"{IDLE_TIMEOUT // 1000} с")
            return False

    def state(self):
        return self.page.evaluate(STATE_JS)

    def check(self, where, shot, model=None):
        "Everything wrong on the screen now; its screenshot"
        self.screens += 1
        page = self.page
        for error in self.watcher.take():
            self.problems.add(where, error)
        state = self.state()
        for modal in state['modals']:
            if any(c in modal['cls'] for c in ['error-dialog',
                        'message-dialog', 'warning-dialog']):
                self.problems.add(where,
                    f"сообщение сервера: {modal['text'].strip()}")
        text = page.evaluate('() => document.body.innerText')
        words = english_words(text, self.forbidden.words(
                state.get('model') or model))
        if words:
            self.problems.add(where,
                f"английские слова: {', '.join(sorted(words))}")
        for overflow in page.evaluate(OVERFLOW_JS, True):
            self.problems.add(where, f"шире экрана: {overflow}")
        page.screenshot(path=str(self.folder / f'{shot}.png'))
        return state

    def dismiss_dialogs(self, where):
        "Close the dialogs of sao, the top one first (walk.DISMISS_JS)"
        for _ in range(10):
            answered = self.page.evaluate(DISMISS_JS)
            if not answered:
                return
            if 'confirmation-dialog' in answered['cls']:
                self.problems.add(where,
                    f"вопрос при закрытии: {answered['text']}")
            self.idle(where)

    def visit(self, number, menu):
        where = f"[{self.login}] {menu['complete_name']}"
        shot = f"{number:03d}-{slug(menu['name'])}"
        page = self.page
        page.evaluate(OPEN_MENU_JS, menu['id'])
        if not self.idle(where):
            page.screenshot(path=str(self.folder / f'{shot}-busy.png'))
            return False
        state = self.state()
        wizard = [m for m in state['modals'] if 'wizard-dialog' in m['cls']]
        if wizard or state.get('kind') == 'tab-wizard':
            self.check(where, shot, model=menu['model'])
            self.dismiss_dialogs(where)
            self.close_wizard(where)
        elif state.get('kind') == 'tab-form':
            self.walk_views(where, shot, state)
        else:
            self.check(where, shot, model=menu['model'])
            self.dismiss_dialogs(where)
        self.close_tabs(where)
        self.check_popups(where, shot)
        return True

    def check_popups(self, where, shot):
        "The pages an URL action opened in a new tab"
        while self.popups:
            popup, watcher = self.popups.pop()
            popup.wait_for_load_state()
            self.screens += 1
            for error in watcher.take():
                self.problems.add(where, error)
            text = popup.evaluate('() => document.body.innerText')
            words = english_words(text, self.forbidden.words(None))
            if words:
                self.problems.add(where,
                    f"английские слова: {', '.join(sorted(words))}")
            for overflow in popup.evaluate(OVERFLOW_JS, False):
                self.problems.add(where, f"шире экрана: {overflow}")
            popup.screenshot(path=str(self.folder / f'{shot}-page.png'))
            popup.close()

    def walk_views(self, where, shot, state):
        "The first view, then each other view of the action"
        if state['view'] == 'tree' and not state['count']:
            state = self.find_records(where, state)
        seen = []
        for index in range(max(state['views'], 1)):
            view = state['view']
            state = self.check(f"{where} ({view})",
                shot if not index else f"{shot}-{index}-{view}")
            seen.append(view)
            if state['modals']:
                self.dismiss_dialogs(where)
                return
            if index + 1 >= state['views']:
                break
            self.page.evaluate(FIRST_RECORD_JS)
            self.page.evaluate(SWITCH_JS)
            if not self.idle(f"{where} ({view} → …)"):
                return
            state = self.state()

    def find_records(self, where, state):
        """An empty list with domain tabs: the first tab with records (the
        form then shows a record, not a new one)"""
        tabs = self.page.evaluate(TABS_JS)
        for index in range(1, tabs):
            self.page.evaluate(SHOW_TAB_JS, index)
            if not self.idle(where):
                break
            state = self.state()
            if state['count']:
                break
        return state

    def close_wizard(self, where):
        "Cancel a wizard dialog: the button of its end state"
        dialog = self.page.locator('.wizard-dialog.modal.in')
        for _ in range(3):
            if not dialog.count():
                return
            cancel = dialog.last.locator('.modal-footer button.btn-link')
            if cancel.count():
                cancel.first.click()
            else:
                dialog.last.press('Escape')
            self.idle(where)
        if dialog.count():
            self.problems.add(where, "мастер не закрывается")

    def close_tabs(self, where):
        page = self.page
        if page.evaluate(MODIFIED_JS):
            fields = ', '.join(page.evaluate(MODIFIED_FIELDS_JS))
            self.problems.add(where,
                f"запись изменена без правки (просто открыта): {fields}")
        for _ in range(3):
            page.evaluate(CLOSE_TABS_JS)
            self.idle(where)
            self.dismiss_dialogs(where)
            if not self.state()['tabs']:
                return
        if self.state()['tabs']:
            self.problems.add(where, "вкладка не закрывается")


@pytest.mark.parametrize('login', list(ROLES))
def test_every_back_office_screen(browser, live_server, forbidden, login):
    timer = Timer()
    rpc = live_server.session(login, password(login))
    entries = menu_entries(rpc)
    assert entries, f"{login}: пустое меню"
    if login == 'admin' and not os.environ.get('COPP_WALK_ADMIN_ALL'):
        # The administrator walks what no other role opens (the technical
        # menus, the settings): the rest is walked as the roles whose work
        # it is (COPP_WALK_ADMIN_ALL=1 walks everything as admin)
        others = {m['id'] for other in ROLES if other != 'admin'
            for m in menu_entries(live_server.session(other, password(other)))}
        entries = [m for m in entries if m['id'] not in others]
    # Development: COPP_WALK_MENU=<part of a menu path> walks only those
    only = os.environ.get('COPP_WALK_MENU')
    if only:
        entries = [m for m in entries if only in m['complete_name']]
    context = browser.new_context(viewport=SCREEN, locale='ru-RU')
    context.add_init_script(IDLE_SCRIPT)
    sao = SaoPage(context.new_page(), live_server)
    problems = Problems()
    walk = BackOfficeWalk(sao, login, forbidden, problems)
    try:
        sao.login(login, password(login))
        walk.check(f"[{login}] вход", '000-menu')
        for number, menu in enumerate(entries, 1):
            walk.visit(number, menu)
    finally:
        context.close()
    print(f"\n{login} ({ROLES[login]}): {len(entries)} пунктов меню, "
        f"{walk.screens} экранов, {timer}")
    assert not problems, (f"{login} ({ROLES[login]}): "
        f"{len(problems.items)} проблем:\n" + problems.report())


def path_of(url):
    parts = urllib.parse.urlsplit(url)
    return parts.path + (f'?{parts.query}' if parts.query else '')


def portal_seeds(rpc):
    """The pages no link leads to: e-mailed links (ticket, survey
    invitation), signed links of the back office (check-in, results)"""
    seeds = ['/events', '/events/calendar', '/vacancies', '/portal/privacy',
        '/portal/accessibility', '/partner/login', '/partner/password/forgot']
    events = rpc('model.copp.event.search_read',
        [('state', '=', 'published'), ('registrations', '!=', None)],
        0, 1, [('id', 'ASC')], ['checkin_url'])
    assert events, "в демо нет опубликованных мероприятий с регистрациями"
    seeds.append(path_of(events[0]['checkin_url']))
    tickets = rpc('model.copp.event.registration.search_read',
        [('state', '=', 'confirmed')], 0, 1, [('id', 'ASC')], ['ticket_url'])
    seeds += [path_of(t['ticket_url']) for t in tickets]
    surveys = rpc('model.copp.survey.search_read', [('state', '=', 'open')],
        0, None, [('id', 'ASC')], ['public_url', 'results_url'])
    assert surveys, "в демо нет открытых опросов"
    for survey in surveys:
        if survey['public_url']:
            seeds.append(path_of(survey['public_url']))
            break
    seeds.append(path_of(surveys[0]['results_url']))
    invitations = rpc('model.copp.survey.invitation.search_read',
        [('survey.state', '=', 'open'), ('submitted', '=', False)], 0, 1,
        [('id', 'ASC')], ['url'])
    seeds += [path_of(i['url']) for i in invitations]
    return seeds


class PortalWalk:
    "Portal pages on one screen width: checks and screenshots"

    def __init__(self, page, url, folder, forbidden, problems, width):
        self.page = page
        self.url = url
        self.folder = folder
        self.forbidden = forbidden
        self.problems = problems
        self.width = width
        self.watcher = Watcher(page)
        self.seen = set()
        self.pages = 0

    def crawl(self, seeds, prefixes, limit=80):
        "Visit the seeds and the pages they link to under `prefixes`"
        queue = list(seeds)
        while queue and self.pages < limit:
            path = queue.pop(0)
            if shape(path.split('?')[0]) in self.seen:
                continue
            for link in self.visit(path):
                if (link.startswith(prefixes) and not PORTAL_SKIP.search(
                            link.split('?')[0])):
                    queue.append(link)

    def visit(self, path, check_status=True):
        "Open a page, check it, and return the addresses it links to"
        self.seen.add(shape(path.split('?')[0]))
        page = self.page
        response = page.goto(self.url + path)
        self.check(path, response.status if check_status else None)
        return self.links()

    def links(self):
        hrefs = self.page.evaluate("""() => Array.from(
            document.querySelectorAll('a[href]'), a => a.href)""")
        links = []
        for href in hrefs:
            parts = urllib.parse.urlsplit(href)
            if f'{parts.scheme}://{parts.netloc}' == self.url:
                links.append(parts.path + (
                        f'?{parts.query}' if parts.query else ''))
        return links

    def check(self, path, status=None):
        self.pages += 1
        page = self.page
        where = f"[{self.width} px] {path}"
        if status is not None and status >= 400:
            self.problems.add(where, f"ответ {status}")
        for error in self.watcher.take():
            self.problems.add(where, error)
        text = page.evaluate('() => document.body.innerText')
        words = english_words(text, self.forbidden.words(None))
        if words:
            self.problems.add(where,
                f"английские слова: {', '.join(sorted(words))}")
        for overflow in page.evaluate(OVERFLOW_JS, False):
            self.problems.add(where, f"шире экрана: {overflow}")
        page.screenshot(full_page=True, path=str(
                self.folder / f'{self.pages:03d}-{slug(path)}.png'))


@pytest.mark.parametrize('width', list(WIDTHS))
def test_every_portal_page(browser, live_server, forbidden, width):
    timer = Timer()
    rpc = live_server.session()
    seeds = portal_seeds(rpc)
    folder = WALK_SCREENSHOTS / f'portal-{width}'
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob('*.png'):
        old.unlink()
    phone = width < 800
    context = browser.new_context(viewport=WIDTHS[width], locale='ru-RU',
        is_mobile=phone, has_touch=phone)
    context.add_init_script(IDLE_SCRIPT)
    problems = Problems()
    walk = PortalWalk(context.new_page(), live_server.url, folder, forbidden,
        problems, width)
    page = walk.page
    try:
        # The public portal, the e-mailed and signed links.
        walk.crawl(seeds, ('/events', '/vacancies', '/portal', '/survey',
                '/partner/login', '/partner/password'))
        # A survey after «Начать»: its first step.
        survey = next(s for s in seeds if s.startswith('/survey/p/'))
        walk.visit(survey)
        with page.expect_navigation():
            page.locator('main form button[type="submit"]').first.click()
        walk.check(path_of(page.url))
        # The partner's cabinet.
        page.goto(live_server.url + '/partner/login')
        page.fill('#f-email', PARTNER)
        page.fill('#f-password', PARTNER_PASSWORD)
        page.locator('main form button[type="submit"]').first.click()
        page.wait_for_url(live_server.url + '/partner/')
        walk.seen.discard('/partner/login')
        walk.crawl(['/partner/'], ('/partner/',))
        # The teacher's journal, in a tab of its own (it reuses the back
        # office's session).
        SaoPage(page, live_server).login(TEACHER, password(TEACHER))
        walk.watcher.take()
        walk.page = context.new_page()
        walk.watcher = Watcher(walk.page)
        journal = f'/{live_server.database}/journal/'
        walk.crawl([journal], (journal,), limit=walk.pages + 3)
    finally:
        context.close()
    print(f"\nпортал, {width} px: {walk.pages} страниц, {timer}")
    assert not problems, (f"портал, {width} px: {len(problems.items)} "
        "проблем:\n" + problems.report())
