"""Shared fixtures of the cross-module tests: a live ГИС ЦОПП (trytond + sao) on a
fresh SQLite database with demo data, and Playwright pages on Debian chromium.

The server is built once per test session (about a minute); each test gets a
new browser context.  Screenshots go to test-output/screenshots/.
"""
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from copp.demo import DEMO_TOTP_LOGINS, DEMO_TOTP_SECRET

REPO = Path(__file__).resolve().parents[1]
SCREENSHOTS = REPO / 'test-output' / 'screenshots'
ADMIN_PASSWORD = 'admin-browser-2026'
CHROMIUM = '/usr/bin/chromium'
CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu',
    '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync']

# Counts sao's pending requests so tests can wait until it is idle:
# sao drops clicks while busy.
IDLE_SCRIPT = """
(() => {
  window.__pending = 0;
  window.__lastChange = Date.now();
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function(...args) {
    this.addEventListener('loadend', () => {
      window.__pending--; window.__lastChange = Date.now(); });
    window.__pending++; window.__lastChange = Date.now();
    return open.apply(this, args);
  };
  const origFetch = window.fetch;
  window.fetch = function(...args) {
    window.__pending++; window.__lastChange = Date.now();
    return origFetch.apply(this, args).finally(() => {
      window.__pending--; window.__lastChange = Date.now(); });
  };
  // The steps of sao's promise chains (jQuery runs them in setTimeout 0):
  // work is pending until they ran, however slow a loaded machine is.
  const setTimeout_ = window.setTimeout, clearTimeout_ = window.clearTimeout;
  const steps = new Set();
  window.setTimeout = function(callback, delay, ...args) {
    if (typeof callback !== 'function' || delay > 20) {
      return setTimeout_.call(window, callback, delay, ...args);
    }
    window.__pending++;
    const id = setTimeout_.call(window, function() {
      if (steps.delete(id)) {
        window.__pending--; window.__lastChange = Date.now(); }
      return callback.apply(this, args);
    }, delay);
    steps.add(id);
    return id;
  };
  window.clearTimeout = function(id) {
    if (steps.delete(id)) { window.__pending--; }
    return clearTimeout_.call(window, id);
  };
  new MutationObserver(() => { window.__lastChange = Date.now(); })
    .observe(document, {subtree: true, childList: true, attributes: true});
})();
"""


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def _copp(args, env, **kwargs):
    return subprocess.run([sys.executable, '-m', 'copp.cli', *args],
        env=env, cwd=REPO, check=True, **kwargs)


_totp_steps = {}  # (server url, login) -> the last time step used


def totp_code(server, login):
    """The code of the demo key (copp.demo.DEMO_TOTP_SECRET) for a login of
    DEMO_TOTP_LOGINS, never one already used on `server` by this process:
    the server takes each code once, from the time steps around its clock
    (±30 s). The current step's code first (valid until the next step
    ends), then the next one's; a third login of the same user within one
    step waits for the clock to reach the next step. Processes sharing a
    server (COPP_LIVE_URL) should not log in the same user together."""
    import pyotp
    totp = pyotp.TOTP(DEMO_TOTP_SECRET)
    key = (server.url, login)
    while True:
        now = int(time.time() // 30)
        step = max(now, _totp_steps.get(key, now - 1) + 1)
        if step <= now + 1:
            break
        time.sleep(0.2)
    _totp_steps[key] = step
    return totp.at(step * 30)


class LiveServer:
    def __init__(self, url, database, env, workdir):
        self.url = url
        self.database = database
        self.env = env
        self.workdir = workdir
        self._tokens = {}

    def rpc(self, method, params, login='admin', password=ADMIN_PASSWORD):
        """JSON-RPC call to /<db>/rpc/ with HTTP Basic auth (the answer:
        {'result': …} or {'error': …}); users with a second factor (admin,
        minobr, copp) use a session opened once with their TOTP code"""
        if login in DEMO_TOTP_LOGINS:
            authorization = 'Session ' + self._token(login, password)
        else:
            authorization = 'Basic ' + base64.b64encode(
                f'{login}:{password}'.encode()).decode()
        request = urllib.request.Request(f'{self.url}/{self.database}/rpc/',
            data=json.dumps({'id': 1, 'method': method,
                    'params': params}).encode(),
            headers={'Content-Type': 'application/json',
                'Authorization': authorization})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def _token(self, login, password):
        "The Session authorization of a session kept for `login`"
        if (login, password) not in self._tokens:
            user_id, key = self.login(login, password)
            self._tokens[login, password] = base64.b64encode(
                f'{login}:{user_id}:{key}'.encode()).decode()
        return self._tokens[login, password]

    def login(self, login, password):
        """common.db.login with the password, and the TOTP code of the demo
        key for DEMO_TOTP_LOGINS: (user id, session key)"""
        for attempt in range(3):
            parameters = {'password': password}
            if login in DEMO_TOTP_LOGINS:
                parameters['totp_code'] = totp_code(self, login)
            request = urllib.request.Request(
                f'{self.url}/{self.database}/rpc/',
                data=json.dumps({'id': 1, 'method': 'common.db.login',
                        'params': [login, parameters, 'ru']}
                    ).encode(), headers={'Content-Type': 'application/json'})
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    user_id, key, *_ = json.loads(response.read())['result']
                return user_id, key
            except urllib.error.HTTPError as error:
                # A code another process used already: the next step's.
                if error.code != 401 or login not in DEMO_TOTP_LOGINS:
                    raise
        raise AssertionError(f"{login}: login refused three times")

    def session(self, login='admin', password=ADMIN_PASSWORD):
        """A JSON-RPC caller on one session of `login` (no password check
        per call, as sao does): call(method, *params, context={})"""
        user_id, key = self.login(login, password)
        token = base64.b64encode(f'{login}:{user_id}:{key}'.encode()).decode()

        def call(method, *params, context=None):
            request = urllib.request.Request(
                f'{self.url}/{self.database}/rpc/',
                data=json.dumps({'id': 1, 'method': method,
                        'params': [*params, context or {}]}).encode(),
                headers={'Content-Type': 'application/json',
                    'Authorization': 'Session ' + token})
            with urllib.request.urlopen(request, timeout=120) as response:
                result = json.loads(response.read())
            if 'error' in result:
                raise AssertionError(f"{method}: {result['error']}")
            return result['result']
        call.user_id = user_id
        return call


@pytest.fixture(scope='session')
def live_server(tmp_path_factory):
    if os.environ.get('COPP_LIVE_URL'):
        # Development: reuse a server already running on a demo database
        # (COPP_LIVE_URL=http://127.0.0.1:PORT COPP_LIVE_DB=<database>).
        workdir = tmp_path_factory.mktemp('live')
        yield LiveServer(os.environ['COPP_LIVE_URL'],
            os.environ['COPP_LIVE_DB'], dict(os.environ), workdir)
        return
    if not (REPO / 'var' / 'sao' / 'package' / 'index.html').is_file():
        pytest.fail("sao не установлен: выполните scripts/install-sao.sh")
    workdir = tmp_path_factory.mktemp('live')
    config = workdir / 'copp.conf'
    shutil.copy(REPO / 'copp.conf', config)
    port = _free_port()
    # The live server runs on the backend of the test run.
    uri = os.environ.get('TRYTOND_DATABASE_URI') or 'sqlite://'
    if not uri.startswith(('sqlite', 'postgresql')):
        # proteus' set_trytond(':memory:') leaves the bare name there.
        uri = 'sqlite://'
    postgresql = uri.startswith('postgresql')
    database = f'copp_live_{os.getpid()}' if postgresql else 'browser'
    env = dict(os.environ,
        COPP_CONFIG=str(config),
        COPP_ADMIN_PASSWORD=ADMIN_PASSWORD,
        TRYTOND_DATABASE__URI=uri,
        TRYTOND_DATABASE__PATH=str(workdir / 'db'),
        TRYTOND_WEB__ROOT=str(REPO / 'var' / 'sao' / 'package'),
        TRYTOND_WEB__LISTEN=f'127.0.0.1:{port}',
        TRYTOND_EMAIL__URI='smtp://127.0.0.1:1',
        # As deployed on PostgreSQL (docker/compose.yml): cache clearings
        # reach the other processes at once, through NOTIFY
        TRYTOND_CACHE__CLEAN_TIMEOUT='0' if postgresql else '300',
        PYTHONUNBUFFERED='1')
    for name in ['DB_NAME', 'DB_CACHE', 'TRYTOND_DATABASE_URI']:
        env.pop(name, None)
    _copp(['-d', database, 'init', '--no-input'], env,
        stdout=subprocess.DEVNULL)
    _copp(['-d', database, 'demo', '--scale', 'small'], env,
        stdout=subprocess.DEVNULL)
    log = open(workdir / 'server.log', 'w')
    server = subprocess.Popen(
        [sys.executable, '-m', 'copp.cli', '-d', database, 'serve'],
        env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    url = f'http://127.0.0.1:{port}'
    deadline = time.time() + 90
    while True:
        try:
            urllib.request.urlopen(url + '/', timeout=2).read()
            break
        except OSError:
            if server.poll() is not None or time.time() > deadline:
                log.flush()
                raise RuntimeError("Сервер не запустился:\n"
                    + (workdir / 'server.log').read_text()[-3000:])
            time.sleep(0.5)
    yield LiveServer(url, database, env, workdir)
    server.terminate()
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()
    if postgresql:
        _drop_pg_database(uri, database)


def _drop_pg_database(uri, name):
    import urllib.parse

    import psycopg
    from psycopg import sql
    dsn = urllib.parse.urlparse(uri)._replace(path='/postgres').geturl()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            .format(sql.Identifier(name)))


@pytest.fixture(scope='session')
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class SaoPage:
    "A Playwright page of the sao back office with the waits sao needs"

    def __init__(self, page, server):
        self.page = page
        self.server = server

    def wait_idle(self, quiet_ms=300, timeout=30000):
        self.page.wait_for_function(
            f"""() => window.__pending === 0
                && Date.now() - window.__lastChange > {quiet_ms}""",
            timeout=timeout, polling=100)

    def login(self, login, password):
        page = self.page
        page.goto(self.server.url + '/')
        page.wait_for_selector('input#login', timeout=30000)
        self.wait_idle()
        # On PostgreSQL sao lists every database of the server: pick ours.
        select = page.locator('select#database')
        if select.is_visible():
            select.select_option(self.server.database)
        page.fill('input#login', login)
        page.locator('.modal.in button[type="submit"]').click()
        page.wait_for_selector('#ask-dialog-entry', timeout=30000)
        self.wait_idle()
        page.fill('#ask-dialog-entry', password)
        page.locator('.modal.in button.btn-primary').last.click()
        if login in DEMO_TOTP_LOGINS:
            # The second factor: sao asks for the code in a second dialog.
            code = page.locator('#ask-dialog-entry[name="totp_code"]')
            code.wait_for(timeout=30000)
            self.wait_idle()
            code.fill(totp_code(self.server, login))
            page.locator('.modal.in button.btn-primary').last.click()
        page.wait_for_selector('div.column-char[title="ЦОПП"]',
            timeout=30000)
        self.wait_idle()

    def open_menu(self, *path):
        for title in path:
            self.wait_idle()
            entry = self.page.locator(f'div.column-char[title="{title}"]')
            entry.first.click()
            if title != path[-1]:
                # Expanding a menu folder: sao shows its children.
                self.page.wait_for_timeout(200)
        self.wait_idle()

    def confirm(self, text=None):
        "Answer OK to sao's confirmation of a button (confirm attribute)"
        dialog = self.page.locator('.confirmation-dialog.modal.in')
        if text:
            dialog = dialog.filter(has_text=text)
        dialog.locator('button.btn-primary').click(timeout=15000)
        dialog.wait_for(state='detached', timeout=15000)
        self.wait_idle()

    def pick_in_cell(self, row, column, text):
        """Type in a many2one cell of an editable row and choose the
        completion"""
        row.locator(f'td[data-title="{column}: "]').click()
        self.wait_idle()
        self.page.keyboard.type(text)
        self.wait_idle()
        self.page.locator('ul.dropdown-completion:visible li.completion'
            ).filter(has_text=text).first.click()
        self.wait_idle()

    def show_all_rows(self, widget, limit=100):
        """Click «Ещё» of a list (sao shows the first rows of a long
        one2many) until it shows all its rows"""
        from playwright.sync_api import Error
        more = widget.locator('tr.more-row button')
        for _ in range(limit):
            self.wait_idle()
            if not more.count():
                return
            try:
                more.first.click(timeout=5000)
            except Error:
                # sao re-rendered the list while it was clicked: look again
                continue
        raise AssertionError("the list never showed all its rows")

    def double_click_menu(self, title):
        self.wait_idle()
        self.page.locator(f'div.column-char[title="{title}"]').first.dblclick()
        self.wait_idle()

    def screenshot(self, name):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f'{name}.png'
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def sao(browser, live_server):
    context = browser.new_context(viewport={'width': 1366, 'height': 900},
        locale='ru-RU')
    context.add_init_script(IDLE_SCRIPT)
    page = context.new_page()
    yield SaoPage(page, live_server)
    context.close()
