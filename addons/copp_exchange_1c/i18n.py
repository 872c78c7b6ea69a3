"""The messages of the module (message.xml, translated in locale/ru.po)
where there may be no transaction of a database.

The format (mapping*.py), safe reading (safexml.py) and SOAP (soap.py) also
run outside trytond: the test peer that plays 1C, XML checked before any
database is opened, benchmarks. `gettext_safe` is trytond's gettext inside
a transaction of a database where the module is activated (the text in the
user's language); outside one it is the Russian text of locale/ru.po, the
language of ГИС ЦОПП."""
import functools
import os

import polib

from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.transaction import Transaction

MODULE = 'copp_exchange_1c'
RU_PO = os.path.join(os.path.dirname(__file__), 'locale', 'ru.po')
CONTEXT = 'model:ir.message,text:'


@functools.cache
def russian():
    "{message id: Russian text} of the messages in locale/ru.po"
    return {entry.msgctxt[len(CONTEXT):]: entry.msgstr
        for entry in polib.pofile(RU_PO)
        if (entry.msgctxt or '').startswith(CONTEXT) and not entry.obsolete}


def _in_database():
    "Whether ir.message of the module can be read"
    if not Transaction().database:
        return False
    try:
        Pool().get('copp.exchange_1c.message')
    except KeyError:
        return False
    return True


def gettext_safe(message_id, /, **variables):
    """gettext('copp_exchange_1c.msg_…', **variables) in a transaction,
    the Russian text of the message outside one"""
    if _in_database():
        return gettext(message_id, **variables)
    module, name = message_id.split('.', 1)
    assert module == MODULE, message_id
    text = russian()[name]
    return text % variables if variables else text
