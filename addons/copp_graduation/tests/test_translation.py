"""Русский перевод модуля copp_graduation (locale/ru.po).

Шаблон: экспорт строк модуля (ir.translation) и атрибутов string, confirm,
help его представлений, как в copp/tests/test_translation.py."""
import datetime as dt
import re
import unittest
from pathlib import Path

import polib
from lxml import etree

from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)

from copp.tests import test_translation as base

MODULE = 'copp_graduation'
RU_PO = Path(__file__).resolve().parent.parent / 'locale' / 'ru.po'


def entries():
    return base.entries(RU_PO)


class PoFileTestCase(unittest.TestCase):
    "Файл ru.po"

    def test_translated_not_fuzzy(self):
        "Ни одной пустой строки и ни одной fuzzy"
        bad = [(e.msgctxt, e.msgid) for e in entries()
            if 'fuzzy' in e.flags
            or not all(s.strip() for s in base.msgstrs(e))]
        self.assertEqual(bad, [])

    def test_russian_and_placeholders(self):
        "Перевод по-русски и с теми же подстановками, что в оригинале"
        for entry in entries():
            with self.subTest(msgctxt=entry.msgctxt, msgid=entry.msgid):
                # a format of placeholders only stays as it is
                if re.search('[A-Za-z]',
                        base.PLACEHOLDER.sub('', entry.msgid)):
                    self.assertRegex(entry.msgstr, base.CYRILLIC)
                self.assertEqual(base.placeholders(entry.msgstr),
                    base.placeholders(entry.msgid))

    def test_no_duplicates(self):
        keys = [(e.msgctxt, e.msgid) for e in entries()]
        self.assertEqual(len(keys), len(set(keys)))


class TranslationTestCase(unittest.TestCase):
    "Перевод, загруженный в базу с русским языком"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module(MODULE, lang='ru')

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        drop_db()

    @with_transaction()
    def test_template_matches_ru_po(self):
        "ru.po содержит ровно строки свежего экспорта модуля"
        pool = Pool()
        Translation = pool.get('ir.translation')
        View = pool.get('ir.ui.view')
        template = {(e.msgctxt, e.msgid) for e in polib.pofile(
                Translation.translation_export('en', MODULE).decode())}
        for view in View.search([('module', '=', MODULE)]):
            for element in etree.fromstring(view.arch).iter():
                for attr in ['string', 'confirm', 'help']:
                    if element.get(attr):
                        template.add(
                            ('view:%s:' % view.model, element.get(attr)))
        self.assertGreater(len(template), 300)
        ru = {(e.msgctxt, e.msgid) for e in entries()}
        self.assertEqual(sorted(template - ru), [],
            "строки без перевода: экспортируйте шаблон и переведите")
        self.assertEqual(sorted(ru - template), [])

    @with_transaction(context={'language': 'ru'})
    def test_labels_and_selections(self):
        pool = Pool()
        Document = pool.get('copp.graduation.document')
        Blank = pool.get('copp.graduation.blank')
        Employment = pool.get('copp.graduation.employment')
        fields = Document.fields_get(['registration_number', 'kind',
                'status', 'blank'])
        self.assertEqual(fields['registration_number']['string'],
            "Регистрационный номер")
        self.assertEqual(fields['blank']['string'], "Бланк")
        self.assertEqual(dict(fields['kind']['selection']), {
                'diploma': "Диплом о среднем профессиональном образовании",
                'certificate': "Справка об обучении"})
        self.assertEqual(dict(fields['status']['selection']), {
                'original': "Оригинал", 'duplicate': "Дубликат"})
        states = dict(Blank.fields_get(['state'])['state']['selection'])
        self.assertEqual([states[s] for s in
                ['available', 'issued', 'spoiled', 'lost']],
            ["В наличии", "Выдан", "Испорчен", "Утерян"])
        self.assertEqual(Blank.selection_label('kind', 'diploma_honours'),
            "Диплом с отличием")
        self.assertEqual(Employment.__names__()['model'],
            "Трудоустройство выпускников")

    @with_transaction(context={'language': 'ru'})
    def test_menus(self):
        "Меню «Выпуск» целиком по-русски"
        pool = Pool()
        Menu = pool.get('ir.ui.menu')
        ModelData = pool.get('ir.model.data')
        graduation = Menu(ModelData.get_id('copp', 'menu_graduation'))
        self.assertEqual(graduation.name, "Выпуск")
        names = [m.name for m in Menu.search(
                [('parent', 'child_of', [graduation.id])])]
        self.assertIn("Документы об образовании", names)
        self.assertIn("Выгрузка в ФИС ФРДО", names)
        self.assertIn("Трудоустройство выпускников", names)
        self.assertEqual([n for n in names
                if not base.CYRILLIC.search(n)], [])

    @with_transaction(context={'language': 'ru'})
    def test_messages(self):
        self.assertEqual(gettext('copp_graduation.msg_order_basis',
                attestation="ГИА ИСП-41 2026"),
            "Протокол государственной экзаменационной комиссии, "
            "ГИА ИСП-41 2026")
        self.assertEqual(gettext('copp_graduation.msg_batch_range_order',
                batch="АБ 0001–0002"),
            "Бланки «АБ 0001–0002»: последний номер меньше первого.")

    @with_transaction(context={'language': 'ru'})
    def test_document_rec_name(self):
        "Имя документа: вид по-русски, номер бланка, получатель"
        Document = Pool().get('copp.graduation.document')
        document = Document(kind='diploma', series='11', number='0001',
            last_name="Иванов", first_name="Иван", patronymic="Иванович",
            issue_date=dt.date(2026, 6, 30))
        self.assertEqual(document.get_rec_name('rec_name'),
            "Диплом о среднем профессиональном образовании 11 0001, "
            "Иванов Иван Иванович")
