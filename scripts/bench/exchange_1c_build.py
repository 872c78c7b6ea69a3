"""Building an EnterpriseData message of 10 000 objects (copp_exchange_1c).

Setup (in the benchmark's transaction, rolled back): a college with 2 500
contract students, their contracts (by term: two charges each) and a 1C peer:
2 500 counterparties + 2 500 contracts + 5 000 charges = 10 000 objects.
Measured: prepare_message — the data read set-based, the objects mapped to
XML, versions compared with what was sent, the whole message checked against
the published XDTO package (validator.py, strict), the message and the GUID
table written (unconfirmed objects are sent again, so every run has 10 000).
Baseline: the same number of bare lxml elements serialized, without the
database and the mapping.
"""
import datetime as dt

from lxml import etree

DESCRIPTION = ("сборка сообщения EnterpriseData из 10 000 объектов "
    "(контрагенты, договоры, начисления) против голого lxml")
GOAL_SECONDS = 5.0
STUDENTS = 2500


def setup(ctx):
    from copp.tests.tools import create_college
    from copp_exchange_1c.tests.tools import make_contracts
    pool = ctx.pool
    Peer = pool.get('copp.exchange_1c.peer')
    college = create_college("Бенчмарк-колледж", "БК")
    make_contracts(college, STUDENTS)
    peer, = Peer.create([{'company': college.id, 'name': "1С:БГУ",
                'peer_code': 'БГУ-бенч'}])
    return {'peer': peer.id}


def measured(ctx, state):
    from copp_exchange_1c.outgoing import prepare_message
    Peer = ctx.pool.get('copp.exchange_1c.peer')
    message = prepare_message(Peer(state['peer']))
    assert message.state == 'prepared', message.error
    assert message.object_count == 10000, message.object_count


def baseline(ctx, state):
    ns = 'http://v8.1c.ru/edi/edi_stnd/EnterpriseData/1.11'
    root = etree.Element('Message')
    body = etree.SubElement(root, f'{{{ns}}}Body', nsmap={None: ns})
    for i in range(10000):
        element = etree.SubElement(body, f'{{{ns}}}Справочник.Договоры')
        keys = etree.SubElement(element, f'{{{ns}}}КлючевыеСвойства')
        etree.SubElement(keys, f'{{{ns}}}Ссылка').text = str(i)
        etree.SubElement(keys, f'{{{ns}}}Номер').text = str(i)
        etree.SubElement(keys, f'{{{ns}}}Дата').text = str(dt.date.today())
    etree.tostring(root, encoding='UTF-8')
