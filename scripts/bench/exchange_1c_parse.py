"""Parsing and applying an EnterpriseData message of 10 000 objects
(copp_exchange_1c).

Setup (rolled back): a college with 2 500 signed contracts and a 1C peer;
messages from "1C" with 10 000 payments each (Документ.ПБДСРасчетыС
Контрагентами in the published shape, four per contract, matched by the
contract GUID), zipped.
Measured: receive_message — unzip within limits, safe parse, the whole
message checked against the published XDTO package (validator.py), header
and numbering, every object read and matched, then applied in one savepoint
(each 1C payment is applied once: 10 000 created on the first run, found
unchanged on the next ones).
Baseline: the same zip unpacked and parsed by bare lxml.
"""
import io
import zipfile

from lxml import etree

DESCRIPTION = ("разбор и применение сообщения EnterpriseData из 10 000 "
    "поступлений против распаковки и разбора lxml")
GOAL_SECONDS = 5.0
CONTRACTS = 2500
OBJECTS = 10000
RUNS = 10


def setup(ctx):
    from copp.tests.tools import create_college
    from copp_exchange_1c.tests.peer_1c import Peer1C
    from copp_exchange_1c.tests.tools import make_contracts, payments_for
    from copp_exchange_1c.safexml import make_zip
    pool = ctx.pool
    Peer = pool.get('copp.exchange_1c.peer')
    college = create_college("Бенчмарк-колледж", "БК")
    contracts, _ = make_contracts(college, CONTRACTS, schedule_kind='single')
    peer, = Peer.create([{'company': college.id, 'name': "1С:БГУ",
                'peer_code': 'БГУ'}])
    peer_1c = Peer1C(organization_uuid=peer.organization_uuid)
    payments = payments_for(contracts, per_contract=4)
    messages = []
    for _ in range(RUNS):
        peer_1c.queue_payments(payments)
        messages.append(make_zip(peer_1c.build_message()))
    return {'peer': peer.id, 'messages': messages}


def measured(ctx, state):
    from copp_exchange_1c.incoming import receive_message
    Peer = ctx.pool.get('copp.exchange_1c.peer')
    message = receive_message(Peer(state['peer']), state['messages'].pop(0))
    assert message.state == 'applied', message.error
    assert message.object_count == OBJECTS


def baseline(ctx, state):
    data = state['messages'][0]
    xml = zipfile.ZipFile(io.BytesIO(data)).read('data.xml')
    root = etree.fromstring(xml)
    assert len(root[1]) == OBJECTS
