"""The machinery of the walk (test_every_screen.py): open every menu entry
of a role in sao and every portal page, and collect what is wrong on each
screen (console errors, page exceptions, error dialogs, endless
«Processing», English words, forms wider than the screen)."""
import os
import re
import time

from tests.conftest import SCREENSHOTS

# one folder per backend: make test runs SQLite and PostgreSQL side by side
WALK_SCREENSHOTS = SCREENSHOTS / 'walk' / (
    'postgresql' if os.environ.get('TRYTOND_DATABASE_URI', '').startswith(
        'postgresql') else 'sqlite')

# English a Russian user must never see: sao's own strings left
# untranslated (checked on every screen) ...
SAO_ENGLISH = {'Preferences', 'prev', 'next', 'today', 'kB', 'KB', 'MB',
    'Processing', 'Login', 'Password', 'Cancel', 'Save', 'New', 'Search',
    'Filters', 'Close', 'Yes', 'No', 'Record saved.', 'Wizard', 'Attachment',
    'Notes', 'Actions', 'Reports', 'Relate', 'Print', 'Email', 'Graph',
    'Calendar', 'Switch', 'Reload', 'Duplicate', 'Previous',
    'Next', 'Description', 'Value', 'Count', 'Sum', 'Total', 'Error'}
# ... and values that leaked raw into the page, checked on the screens of
# our models with the raw selection keys of those models (the technical
# screens of the administrator show code: field names, domains, modules).
RAW = {'undefined', 'null', 'None', 'NaN', 'Invalid date', 'True', 'False'}

# Text in the page that is not the interface: e-mail addresses and URLs
# (their parts are Latin by nature).
NOT_WORDS = re.compile(
    r'[\w.+-]+@[\w.-]+|https?://\S+|www\.\S+|/[\w/.-]+')
WORD = re.compile(r"[A-Za-z][A-Za-z_]*(?:\.[A-Za-z_]+)*")

# The state of sao: tabs, the current tab's screen and the open dialogs.
STATE_JS = """() => {
    const tab = Sao.Tab.tabs.get_current();
    const modals = Array.from(document.querySelectorAll('.modal.in'))
        .filter(m => m.offsetParent !== null || m.style.display === 'block')
        .map(m => ({cls: m.className, text: m.innerText.slice(0, 600)}));
    const info = {tabs: Sao.Tab.tabs.length, modals: modals,
        processing: Boolean(document.querySelector('#processing')
            && document.querySelector('#processing').offsetParent)};
    if (tab) {
        info.kind = tab.class_;
        info.name = tab.name;
        const s = tab.screen;
        if (s) {
            info.model = s.model_name;
            info.view = s.current_view ? s.current_view.view_type : null;
            info.views = s.views.length + s.view_to_load.length;
            info.count = s.group ? s.group.length : 0;
            info.record = s.current_record ? s.current_record.id : null;
        }
    }
    return info;
}"""

OPEN_MENU_JS = """id => { Sao.Action.exec_keyword('tree_open',
    {model: 'ir.ui.menu', id: id}, null, false); }"""

FIRST_RECORD_JS = """() => {
    const s = Sao.Tab.tabs.get_current().screen;
    if (s.group && s.group.length && !s.current_record) {
        s.current_record = s.group[0];
    }
}"""

# The domain tabs of the list («Черновики», «Все», …): how many; show one
TABS_JS = """() => {
    const tab = Sao.Tab.tabs.get_current().screen.screen_container.tab;
    return tab ? tab.find('a[role=tab]').length : 0; }"""
SHOW_TAB_JS = """i => { Sao.Tab.tabs.get_current().screen.screen_container
    .tab.find('a[role=tab]').eq(i).click(); }"""

SWITCH_JS = """() => { Sao.Tab.tabs.get_current().screen.switch_view(); }"""

MODIFIED_JS = """() => {
    const tab = Sao.Tab.tabs.get_current();
    return Boolean(tab && tab.screen && tab.screen.modified()); }"""
# The fields sao marked modified in the current record (what to look at)
MODIFIED_FIELDS_JS = """() => {
    const tab = Sao.Tab.tabs.get_current();
    const record = tab && tab.screen && tab.screen.current_record;
    return record ? Object.keys(record.modified_fields || {}) : []; }"""

# Answer the dialog of sao on top (the one under the centre of the
# screen's dialogs): messages by their button, questions («Сохранить
# изменения?») by «Нет» (or «Отмена»): {cls, text} of the dialog, or null
DISMISS_JS = """() => {
    const kinds = /(error|message|warning|confirmation)-dialog/;
    const modals = Array.from(document.querySelectorAll('.modal.in'))
        .filter(m => m.style.display !== 'none' && kinds.test(m.className));
    if (!modals.length) {
        return null;
    }
    let top = modals[modals.length - 1];
    for (const m of modals) {
        const box = m.querySelector('.modal-dialog');
        const r = box && box.getBoundingClientRect();
        const e = r && document.elementFromPoint(
            r.left + r.width / 2, r.top + Math.min(r.height / 2, 20));
        if (e && m.contains(e)) {
            top = m;
        }
    }
    const buttons = Array.from(top.querySelectorAll('.modal-footer button'));
    const button = top.classList.contains('confirmation-dialog')
        ? (buttons.find(b => b.classList.contains('btn-default'))
            || buttons.find(b => b.classList.contains('btn-link')))
        : buttons[buttons.length - 1];
    const answer = {cls: top.className,
        text: top.innerText.trim().split('\\n')[0]};
    if (button) {
        button.click();
    }
    return answer;
}"""

CLOSE_TABS_JS = """() => { Sao.Tab.tabs.close(false); }"""

# What is wider than the screen: the page itself, or the content of a form
# (sao scrolls a too wide form sideways in its .content-box): the visible
# part of a text, field or button beyond the right edge of the form's box
# (inner lists that scroll by themselves clip their content), or a form
# opened scrolled to the right.
OVERFLOW_JS = """(forms) => {
    const found = [];
    const root = document.scrollingElement;
    if (root.scrollWidth > root.clientWidth + 1) {
        found.push(`страница ${root.scrollWidth} px > ${root.clientWidth}`);
    }
    if (!forms) {
        return found;
    }
    const LEAVES = ['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON', 'IMG', 'svg',
        'CANVAS'];
    const leaf = e => LEAVES.includes(e.tagName) || Array.from(e.childNodes)
        .some(n => n.nodeType === 3 && n.textContent.trim());
    for (const box of document.querySelectorAll('.content-box')) {
        if (box.offsetParent === null || !box.querySelector('.form')) {
            continue;
        }
        if (box.scrollLeft > 0) {
            found.push(`форма открыта прокрученной вправо на `
                + `${box.scrollLeft} px`);
        }
        if (box.scrollWidth <= box.clientWidth + 1) {
            continue;
        }
        const edge = box.getBoundingClientRect().left + box.clientLeft
            + box.clientWidth;
        const cut = [];
        for (const e of box.querySelectorAll('*')) {
            if (e.offsetParent === null || !leaf(e)) {
                continue;
            }
            const r = e.getBoundingClientRect();
            if (r.right <= edge + 1) {
                continue;
            }
            let left = r.left, right = r.right;
            for (let a = e.parentElement; a && a !== box;
                    a = a.parentElement) {
                if (getComputedStyle(a).overflowX !== 'visible') {
                    const c = a.getBoundingClientRect();
                    left = Math.max(left, c.left);
                    right = Math.min(right, c.right);
                }
            }
            if (right > left && right > edge + 1) {
                cut.push((e.innerText || e.value || e.title || e.tagName)
                    .trim().slice(0, 30));
            }
        }
        if (cut.length) {
            found.push(`форма шире экрана на `
                + `${box.scrollWidth - box.clientWidth} px, за краем: `
                + cut.slice(0, 4).join(' | '));
        }
    }
    return found;
}"""

SLUG = re.compile(r'[^\w]+', re.U)


def slug(text, size=60):
    return SLUG.sub('-', text).strip('-')[:size] or 'screen'


def english_words(text, forbidden):
    "The forbidden English words in a visible text"
    text = NOT_WORDS.sub(' ', text)
    found = set()
    for word in WORD.findall(text):
        if word in forbidden:
            found.add(word)
    for phrase in (p for p in forbidden if ' ' in p or '.' in p):
        if phrase in text:
            found.add(phrase)
    return found


def selection_keys(rpc, models):
    """The raw keys of the selections of `models` that are not also a
    label of some selection (a visible key is then an untranslated
    value)"""
    keys, labels = set(), set()
    for model in models:
        fields = rpc(f'model.{model}.fields_get', None)
        for definition in fields.values():
            selection = definition.get('selection')
            if not isinstance(selection, list):
                continue
            for key, label in selection:
                if isinstance(key, str) and re.search('[A-Za-z]', key):
                    keys.add(key)
                if isinstance(label, str):
                    labels.add(label)
    # A key that is itself a word of some label (the format «xlsx» of
    # «Excel (xlsx)») is no evidence of an untranslated value when seen
    label_words = set(WORD.findall(' '.join(labels)))
    return {k for k in keys
        if k not in labels and k not in label_words and len(k) > 2}


class Problems:
    "What is wrong, screen by screen"

    def __init__(self):
        self.items = []

    def add(self, screen, message):
        self.items.append(f"{screen}: {message}")

    def __bool__(self):
        return bool(self.items)

    def report(self):
        return '\n'.join(self.items)


class Watcher:
    "Console errors and uncaught exceptions of a page"

    def __init__(self, page):
        self.errors = []
        page.on('console', self._console)
        page.on('pageerror', lambda error: self.errors.append(
                f"исключение на странице: {error}"))

    def _console(self, message):
        if message.type == 'error':
            location = message.location or {}
            url = location.get('url', '')
            if url == 'about:blank' and message.text.startswith(
                    "Blocked script execution in 'about:blank'"):
                # the test's own init script (IDLE_SCRIPT) refused by the
                # sandboxed frame of sao's document preview
                return
            self.errors.append(f"консоль: {message.text} {url}".strip())

    def take(self):
        errors, self.errors = self.errors, []
        return errors


class Timer:
    def __init__(self):
        self.start = time.monotonic()

    def __str__(self):
        return f"{time.monotonic() - self.start:.0f} с"


# The portal pages: same-origin links are followed, one page per shape of
# address (/vacancies/12 and /vacancies/13 are the same page); no logout,
# no downloads.
PORTAL_SKIP = re.compile(
    r'/logout|/delete|/cancel|\.(xlsx|pdf|ics|png|csv|zip)$'
    r'|^/[^/]+/rpc|^/portal-static/|^/$')
ID = re.compile(r'(?<=/)(\d+|[0-9a-f]{12,}|[\w-]{24,})(?=/|$)')


def shape(path):
    "The shape of a portal address: ids and tokens replaced"
    return ID.sub('*', path)
