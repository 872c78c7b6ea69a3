"""Русский перевод модуля copp (locale/ru.po) и строк ядра Tryton
(locale/override/ru.po).

locale/ru.po — все строки модуля copp (шаблон: trytond-admin -u copp -l ru
--export-translations).  locale/override/ru.po — строки модулей ir, res,
party, company, country, currency, которые официальный ru.po оставляет
пустыми, английскими или fuzzy.  Записи override двух видов:

- «тип:имя:модуль.xml_id» — переопределение перевода модуля ядра;
- «тип:имя:» без модуля — собственный перевод copp для строки ядра, чей
  перевод в ядре помечен fuzzy, но уже верен: trytond переопределяет только
  изменившееся значение, и такая строка осталась бы fuzzy, то есть
  английской.  Если после нового экспорта эти записи оказались и в
  locale/ru.po, удалите их оттуда (test_template_matches_ru_po их покажет).
"""
import re
import unittest
from collections import defaultdict
from pathlib import Path

import polib
import pytest
from lxml import etree

from trytond.i18n import gettext, ngettext
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)

LOCALE = Path(__file__).resolve().parent.parent / 'locale'
RU_PO = LOCALE / 'ru.po'
OVERRIDE_PO = LOCALE / 'override' / 'ru.po'
CORE_MODULES = {'ir', 'res', 'party', 'company', 'country', 'currency'}

# %(name)s, %s, ${name} (колонтитулы, нумерации), [1: (разметка писем), {}
PLACEHOLDER = re.compile(r'%\(\w+\)[sdifr]|%[sdr]|\$\{\w+\}|\[\d+:|\{\}')
CYRILLIC = re.compile(r'[А-Яа-яЁё]')
# Термины, которые по-русски пишутся так же.
SAME_IN_RUSSIAN = {'URL', 'UUID', 'Message-ID', 'Cookie', 'XML ID', 'Jabber',
    'REST API'}
PO_FILES = [RU_PO, OVERRIDE_PO]


def entries(path):
    return [e for e in polib.pofile(str(path)) if not e.obsolete]


def msgstrs(entry):
    if entry.msgid_plural:
        return [entry.msgstr_plural[i]
            for i in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


# Файлы .po -----------------------------------------------------------------

@pytest.mark.parametrize('path', PO_FILES, ids=lambda p: p.name)
def test_translated_not_fuzzy(path):
    "Ни одной пустой строки и ни одной fuzzy"
    bad = [(e.msgctxt, e.msgid) for e in entries(path)
        if 'fuzzy' in e.flags or not all(s.strip() for s in msgstrs(e))]
    assert not bad, bad


@pytest.mark.parametrize('path', PO_FILES, ids=lambda p: p.name)
def test_russian_and_placeholders(path):
    "Перевод по-русски и с теми же подстановками, что в оригинале"
    for entry in entries(path):
        sources = [entry.msgid] + (
            [entry.msgid_plural] if entry.msgid_plural else [])
        for value in msgstrs(entry):
            assert (CYRILLIC.search(value)
                or entry.msgid in SAME_IN_RUSSIAN), (entry.msgctxt, value)
            assert placeholders(value) in map(placeholders, sources), (
                entry.msgctxt, entry.msgid, value)
        if entry.msgid_plural:
            # ru: nplurals=3
            assert len(entry.msgstr_plural) == 3, entry.msgctxt


def test_no_duplicates():
    "Строка переведена один раз на оба файла (их загружают вместе)"
    keys = [(e.msgctxt, e.msgid) for p in PO_FILES for e in entries(p)]
    duplicates = {k for k in keys if keys.count(k) > 1}
    assert not duplicates, sorted(duplicates)


def test_override_contexts():
    "override/ru.po касается только модулей ядра"
    for entry in entries(OVERRIDE_PO):
        type_, name, res_id = entry.msgctxt.split(':')
        assert type_ in {'field', 'help', 'model', 'selection', 'view',
            'wizard_button', 'report'}, entry.msgctxt
        if res_id:
            module, _, fs_id = res_id.partition('.')
            assert module in CORE_MODULES, entry.msgctxt
        else:
            # собственный перевод copp строки ядра (см. docstring)
            assert type_ != 'model' or name.endswith(',string'), (
                entry.msgctxt)


# База данных с русским языком по умолчанию ------------------------------------

class TranslationTestCase(unittest.TestCase):
    "Перевод, загруженный в базу: шаблон модуля, меню, поля, сообщения"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        # Язык базы ru: загружаются ru.po всех модулей и override/ru.po copp
        # (сбой любой записи override сорвал бы активацию модуля).
        activate_module('copp', lang='ru')

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        drop_db()

    def template(self):
        """(msgctxt, msgid) свежего экспорта строк модуля copp"""
        pool = Pool()
        Translation = pool.get('ir.translation')
        View = pool.get('ir.ui.view')
        keys = {(e.msgctxt, e.msgid) for e in polib.pofile(
                Translation.translation_export('en', 'copp').decode())}
        # Строки представлений экспорт берёт из мастера «Применить переводы»,
        # который требует английский язык базы: те же атрибуты, что он читает.
        for view in View.search([('module', '=', 'copp')]):
            for element in etree.fromstring(view.arch).iter():
                for attr in ['string', 'confirm', 'help']:
                    if element.get(attr):
                        keys.add(('view:%s:' % view.model, element.get(attr)))
        return keys

    @with_transaction()
    def test_template_matches_ru_po(self):
        "ru.po содержит ровно строки свежего экспорта модуля copp"
        template = self.template()
        self.assertGreater(len(template), 150)
        ru = {(e.msgctxt, e.msgid) for e in entries(RU_PO)}
        self.assertEqual(sorted(template - ru), [],
            "строки copp без перевода: экспортируйте шаблон и переведите")
        self.assertEqual(sorted(ru - template), [],
            "в ru.po строки, которых нет в модуле copp (переводы строк ядра "
            "держите в override/ru.po)")

    @with_transaction(context={'language': 'ru'})
    def test_translations_in_effect(self):
        "Каждая запись обоих файлов действует: база отдаёт её перевод"
        pool = Pool()
        Translation = pool.get('ir.translation')
        ModelData = pool.get('ir.model.data')
        sources, records = {}, defaultdict(dict)
        for path in PO_FILES:
            for entry in entries(path):
                type_, name, res_id = entry.msgctxt.split(':')
                expected = msgstrs(entry)[0]
                # ru.po: «xml_id»; override: «модуль.xml_id» или «модуль.»
                module, _, fs_id = res_id.rpartition('.')
                if type_ == 'model' and fs_id:
                    db_id = ModelData.get_id(module or 'copp', fs_id)
                    records[name][db_id] = (entry.msgctxt, expected)
                else:
                    source = entry.msgid if type_ != 'model' else None
                    sources[(name, type_, 'ru', source)] = (
                        entry.msgctxt, expected)
        self.assertGreater(len(sources) + sum(map(len, records.values())),
            1500)
        wrong = []
        found = Translation.get_sources(list(sources))
        for key, (msgctxt, expected) in sources.items():
            if found[key] != expected:
                wrong.append((msgctxt, key[3], found[key], expected))
        for name, values in records.items():
            model, field = name.split(',')
            for row in pool.get(model).read(list(values), [field]):
                msgctxt, expected = values[row['id']]
                if row[field] != expected:
                    wrong.append((msgctxt, row[field], expected))
        self.assertEqual(wrong, [])

    @with_transaction(context={'language': 'ru'})
    def test_specialty_fields(self):
        "fields_get copp.specialty по-русски"
        Specialty = Pool().get('copp.specialty')
        fields = Specialty.fields_get()
        self.assertEqual(fields['code']['string'], "Код")
        self.assertEqual(fields['company']['string'], "Колледж")
        self.assertEqual(fields['group']['string'], "Укрупнённая группа")
        self.assertEqual(fields['active']['string'], "Активно")
        self.assertEqual(fields['create_uid']['string'], "Создал")
        self.assertEqual(dict(fields['level']['selection']), {
                'profession':
                "Профессия (квалифицированные рабочие, служащие)",
                'specialty': "Специальность (специалисты среднего звена)",
                })
        Duration = Pool().get('copp.specialty.duration')
        fields = Duration.fields_get(['study_form', 'basis'])
        self.assertEqual(dict(fields['study_form']['selection']), {
                'full_time': "Очная",
                'part_time': "Очно-заочная",
                'extramural': "Заочная",
                })
        self.assertEqual(dict(fields['basis']['selection']), {
                '9': "На базе 9 классов",
                '11': "На базе 11 классов",
                })

    @with_transaction(context={'language': 'ru'})
    def test_menus(self):
        "Меню ЦОПП и меню ядра по-русски"
        pool = Pool()
        Menu = pool.get('ir.ui.menu')
        ModelData = pool.get('ir.model.data')
        for xml_id, name in [
                ('copp.menu_copp', "ЦОПП"),
                ('copp.menu_specialty', "Специальности"),
                ('copp.menu_program', "Программы"),
                ('copp.menu_institution_list', "Учреждения"),
                ('copp.menu_academic_year', "Учебные годы"),
                ('copp.menu_dashboard', "Панель управления"),
                ('party.menu_party', "Контрагенты"),
                ('company.menu_company', "Учреждения"),
                ('company.menu_employee_form', "Сотрудники"),
                ('res.menu_user_form', "Пользователи"),
                ('ir.menu_administration', "Администрирование"),
                ]:
            with self.subTest(xml_id=xml_id):
                menu = Menu(ModelData.get_id(*xml_id.split('.')))
                self.assertEqual(menu.name, name)
        english = [m.complete_name for m in Menu.search([])
            if not CYRILLIC.search(m.name)]
        self.assertEqual(english, [])

    @with_transaction(context={'language': 'ru'})
    def test_core_labels_and_messages(self):
        "Контрагент, сотрудник, пользователь и сообщения ядра по-русски"
        pool = Pool()
        Party = pool.get('party.party')
        Employee = pool.get('company.employee')
        User = pool.get('res.user')
        Configuration = pool.get('party.configuration')
        self.assertEqual(Party.fields_get(['contact_mechanisms'])[
                'contact_mechanisms']['string'], "Способы связи")
        self.assertEqual(Employee.fields_get(['company'])['company']['string'],
            "Учреждение")
        self.assertEqual(User.fields_get(['companies'])['companies']['string'],
            "Учреждения")
        types = dict(Configuration.fields_get(['identifier_types'])[
                'identifier_types']['selection'])
        self.assertEqual(
            [types[t] for t in ['ru_vat', 'ru_ogrn', 'ru_kpp', 'ru_snils']],
            ["ИНН", "ОГРН", "КПП", "СНИЛС"])
        for n, text in [(1, "символа"), (3, "символов"), (8, "символов"),
                (21, "символа")]:
            self.assertEqual(
                ngettext('res.msg_password_length', n, length=n),
                f"Пароль должен содержать не менее {n} {text}.")
        self.assertEqual(gettext('copp.msg_term_name', number=1,
                year='2026/2027'), "1 семестр 2026/2027")
        self.assertEqual(gettext('copp.msg_duration_years_months', years=3,
                months=10), "3 г. 10 мес.")
        self.assertTrue(gettext('ir.msg_required_validation', field='f',
                model='m').startswith("Поле «f»"))
