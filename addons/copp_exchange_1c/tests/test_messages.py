"""The texts of the exchange are messages of the module: each one used in
the code is declared in message.xml and translated in locale/ru.po with the
same placeholders; inside a transaction they follow the language, outside
one (the test peer, XML read before any database) they are Russian."""
import re
import unittest
from pathlib import Path

import polib
from lxml import etree

from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from copp_exchange_1c.i18n import gettext_safe, russian
from copp_exchange_1c.mapping import get_mapping
from copp_exchange_1c.mapping_format import MappingError, error
from copp_exchange_1c.safexml import HostileInput, read_zip, refuse, size_text
from copp_exchange_1c.client import _client_error
from copp_exchange_1c.soap import _fault, dispatch

MODULE = Path(__file__).resolve().parent.parent
CONTEXT = 'model:ir.message,text:'
PLACEHOLDER = re.compile(r'%\((\w+)\)s')
# copp_exchange_1c.msg_…, and the names given to the helpers that raise
# (mapping_format.error, safexml.refuse, soap._fault, client._client_error,
# transport_files._error)
USED = [
    re.compile(r'copp_exchange_1c\.(msg_\w+)'),
    re.compile(r"(?:error|refuse|_fault|_client_error)\(\s*'(msg_\w+)'"),
    ]


def declared():
    "{id: English text} of message.xml"
    root = etree.parse(str(MODULE / 'message.xml'))
    return {r.get('id'): r.findtext('field[@name="text"]')
        for r in root.iter('record') if r.get('model') == 'ir.message'}


def used():
    names = set()
    for path in list(MODULE.glob('*.py')) + list(MODULE.glob('*.xml')):
        text = path.read_text(encoding='utf-8')
        for pattern in USED:
            names.update(pattern.findall(text))
    return names


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


class MessagesTestCase(unittest.TestCase):
    "Messages of copp_exchange_1c"

    @classmethod
    def setUpClass(cls):
        activate_module('copp_exchange_1c', lang='ru')

    def test_declared_used_translated(self):
        messages = declared()
        self.assertEqual(used() - set(messages), set(), "not declared")
        self.assertEqual(set(messages) - used(), set(), "never used")
        translations = {e.msgctxt[len(CONTEXT):]: e
            for e in polib.pofile(str(MODULE / 'locale' / 'ru.po'))
            if (e.msgctxt or '').startswith(CONTEXT)}
        self.assertEqual(set(translations), set(messages))
        for name, text in messages.items():
            with self.subTest(message=name):
                entry = translations[name]
                self.assertEqual(entry.msgid, text)
                self.assertTrue(entry.msgstr)
                self.assertNotIn('fuzzy', entry.flags)
                self.assertEqual(placeholders(entry.msgstr),
                    placeholders(text))

    def test_russian_outside_transaction(self):
        "No database: the Russian of locale/ru.po"
        self.assertIsNone(Transaction().database)
        self.assertEqual(size_text(64 * 1024 * 1024), "64 МБ")
        self.assertEqual(size_text(100), "1 КБ")
        with self.assertRaises(HostileInput) as cm:
            read_zip(b'not a zip')
        self.assertTrue(str(cm.exception).startswith(
                "Архив повреждён или обрезан: "), str(cm.exception))
        with self.assertRaises(MappingError) as cm:
            get_mapping('0.9')
        self.assertEqual(str(cm.exception), "Версия формата EnterpriseData "
            "«0.9» не поддерживается (поддерживаются: 1.11).")
        # The test peer (1C) answers a Fault without any database.
        status, _, body, error = dispatch(object(), b'<x/>')
        self.assertEqual((status, error),
            (500, "Запрос не является конвертом SOAP 1.1/1.2."))

    def test_helpers_take_any_placeholder(self):
        "The helpers that raise accept every message and its placeholders"
        for message, text in russian().items():
            variables = {p: p for p in placeholders(text) if p != 'guid'}
            expected = text % dict(variables, guid='g')
            name = f'copp_exchange_1c.{message}'
            with self.subTest(message=message):
                self.assertEqual(str(error(message, 'g', **variables)),
                    expected)
                variables['guid'] = 'g'
                self.assertEqual(str(refuse(message, **variables)),
                    expected)
                fault = _fault(message, 'Server', **variables)
                self.assertEqual((str(fault), fault.code),
                    (expected, 'Server'))
                self.assertEqual(str(_client_error(message, **variables)),
                    expected)
                self.assertEqual(gettext_safe(name, **variables), expected)

    @with_transaction()
    def test_language_of_transaction(self):
        "In a transaction: the language of the context (Russian by default)"
        name = 'copp_exchange_1c.msg_zip_damaged'
        self.assertEqual(gettext_safe(name, error='x'),
            "Архив повреждён: x")
        with Transaction().set_context(language='en'):
            self.assertEqual(gettext_safe(name, error='x'),
                "The archive is damaged: x")
            self.assertEqual(size_text(2 * 1024), "2 KB")
        for message, text in russian().items():
            with self.subTest(message=message):
                variables = {p: p for p in placeholders(text)}
                self.assertEqual(gettext_safe(
                        f'copp_exchange_1c.{message}', **variables),
                    text % variables if variables else text)
