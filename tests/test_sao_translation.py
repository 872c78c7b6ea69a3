"""Русский перевод интерфейса веб-клиента sao (addons/copp/sao/ru.*).

Шаблон строк берётся из установленного sao (scripts/install-sao.sh кладёт
его в var/sao/package); если sao не установлен, проверки по шаблону
пропускаются.
"""
import importlib.util
import json
import re
from pathlib import Path

import polib
import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SAO_DIR = REPO_ROOT / 'var' / 'sao' / 'package'
TEMPLATE = SAO_DIR / 'locale' / 'fr.po'
RU_PO = REPO_ROOT / 'addons' / 'copp' / 'sao' / 'ru.po'
RU_JSON = REPO_ROOT / 'addons' / 'copp' / 'sao' / 'ru.json'
PO2JSON = REPO_ROOT / 'scripts' / 'sao_po2json.py'

RU_PLURAL_FORMS = (
    'nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : '
    'n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);')

# %1 (gettext.js), %s / %d, %(name)s, {0} / {name}
PLACEHOLDER = re.compile(r'%\(\w+\)[sdfr]|%\d+|%[sdfr]|\{[^{}]*\}')

needs_template = pytest.mark.skipif(
    not TEMPLATE.exists(),
    reason=f'sao не установлен ({TEMPLATE} нет): '
    'запустите scripts/install-sao.sh')


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


def load_po2json():
    spec = importlib.util.spec_from_file_location('sao_po2json', PO2JSON)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='module')
def ru_json():
    return json.loads(RU_JSON.read_text(encoding='utf-8'))


@pytest.fixture(scope='module')
def template():
    return [e for e in polib.pofile(str(TEMPLATE))
        if e.msgid and not e.obsolete]


def translations(value):
    """msgstr (или формы множественного числа) из записи ru.json."""
    assert isinstance(value, list) and len(value) >= 2, value
    return value[1:]


def test_header(ru_json):
    header = ru_json['']
    assert header['language'] == 'ru'
    assert header['content-type'] == 'text/plain; charset=utf-8'
    # Без этого заголовка sao подставит английское правило (n!=1).
    assert header['plural-forms'] == RU_PLURAL_FORMS


@needs_template
def test_every_msgid_translated(template, ru_json):
    missing = []
    for entry in template:
        value = ru_json.get(entry.msgid)
        if value is None:
            missing.append(entry.msgid)
            continue
        if entry.msgid_plural:
            assert value[0] == entry.msgid_plural, entry.msgid
            assert len(value) == 1 + 3, (entry.msgid, value)
        else:
            assert value[0] is None and len(value) == 2, (entry.msgid, value)
        if not all(t.strip() for t in translations(value)):
            missing.append(entry.msgid)
    assert not missing, f'нет перевода: {missing}'


def custom_msgids():
    """Строки, которые sao пишет без gettext, а custom.js пропускает через
    него (в ru.po с комментарием «#. custom.js: …»)"""
    return {e.msgid for e in polib.pofile(str(RU_PO))
        if 'custom.js' in (e.comment or '')}


@needs_template
def test_no_stale_entries(template, ru_json):
    expected = {e.msgid for e in template} | custom_msgids()
    stale = set(ru_json) - {''} - expected
    assert not stale, f'строк нет в sao: {sorted(stale)}'


@needs_template
def test_custom_entries_in_sao():
    "Строки для custom.js есть в sao как литералы (не устарели)"
    source = (SAO_DIR / 'dist' / 'tryton-sao.js').read_text(encoding='utf-8')
    msgids = custom_msgids()
    assert 'Preferences' in msgids
    missing = [m for m in msgids if f"'{m}'" not in source]
    assert not missing, missing


@needs_template
def test_placeholders_match(template, ru_json):
    errors = []
    for entry in template:
        value = ru_json.get(entry.msgid)
        if value is None:
            continue
        sources = [entry.msgid]
        if entry.msgid_plural:
            sources.append(entry.msgid_plural)
        for source in sources:
            for text in translations(value):
                if placeholders(source) != placeholders(text):
                    errors.append((source, text))
    assert not errors, errors


@needs_template
def test_whitespace_and_lines_kept(template, ru_json):
    """sao склеивает часть строк ('By: ' + ..., имя поля + ':'):
    начальные/конечные пробелы и переводы строк должны сохраняться."""
    errors = []
    for entry in template:
        value = ru_json.get(entry.msgid)
        if value is None:
            continue
        for text in translations(value):
            src = entry.msgid
            if (src[:1].isspace(), src[-1:].isspace(), src.count('\n')) != (
                    text[:1].isspace(), text[-1:].isspace(),
                    text.count('\n')):
                errors.append((src, text))
    assert not errors, errors


def test_po_complete():
    po = polib.pofile(str(RU_PO))
    assert po.metadata['Plural-Forms'] == RU_PLURAL_FORMS
    assert not po.untranslated_entries()
    assert not po.fuzzy_entries()
    for entry in po:
        for text in ([entry.msgstr] if not entry.msgid_plural
                else entry.msgstr_plural.values()):
            assert placeholders(entry.msgid) == placeholders(text), entry.msgid


def test_json_generated_from_po():
    expected = load_po2json().po2json(RU_PO)
    assert RU_JSON.read_text(encoding='utf-8') == expected, (
        'ru.json устарел: запустите scripts/sao_po2json.py')


@needs_template
def test_generator_matches_sao_format():
    """Генератор даёт ровно то, что sao собирает своим grunt-po2json."""
    po2json = load_po2json().po2json
    for lang in ('fr', 'de', 'uk'):
        po = SAO_DIR / 'locale' / f'{lang}.po'
        shipped = SAO_DIR / 'locale' / f'{lang}.json'
        assert po2json(po) == shipped.read_text(encoding='utf-8'), lang


def test_installed_copy_is_current():
    installed = SAO_DIR / 'locale' / 'ru.json'
    if not installed.exists():
        pytest.skip('sao не установлен: запустите scripts/install-sao.sh')
    assert installed.read_bytes() == RU_JSON.read_bytes(), (
        'в var/sao старый перевод: запустите scripts/install-sao.sh')
