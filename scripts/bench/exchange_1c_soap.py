"""A SOAP round trip with 1C moving 1 000 contracts (copp_exchange_1c).

Setup (rolled back): a college with 1 000 signed contracts (one charge each)
and a test 1C base served on loopback (werkzeug, the 1C side of the WSDL of
EnterpriseDataExchange_1_0_1_1).
Measured: exchange_with_peer — our zeep client does Ping, TestConnection,
PrepareDataForGetting, PrepareDataActionResult (polled), GetDataPart,
ConfirmGettingFile (1C sends 1 000 payments, applied), then prepares our
message (1 000 counterparties, 1 000 contracts, 1 000 charges) and sends it:
PutFilePart × parts, PutData, PutDataActionResult. The GUID table of the
peer is cleared first so that every run moves all 1 000 contracts.
Baseline: the same two zip files posted and fetched over plain HTTP.
"""
import requests

DESCRIPTION = ("SOAP-обмен с 1С (zeep ↔ тестовая 1С на loopback): "
    "1 000 договоров туда, 1 000 оплат обратно, против голого HTTP")
GOAL_SECONDS = 2.0
CONTRACTS = 1000
RUNS = 10  # warm-up and repeats of copp bench (1 + 7), and spare


def setup(ctx):
    from copp.tests.tools import create_college
    from copp_exchange_1c.tests.peer_1c import Peer1C
    from copp_exchange_1c.tests.tools import make_contracts, payments_for
    pool = ctx.pool
    Peer = pool.get('copp.exchange_1c.peer')
    college = create_college("Бенчмарк-колледж", "БК")
    contracts, _ = make_contracts(college, CONTRACTS, schedule_kind='single')
    peer, = Peer.create([{'company': college.id, 'name': "1С:БГУ",
                'peer_code': 'БГУ', 'transport': 'client',
                'url': 'http://localhost/', 'login': 'exchange',
                'password': 'secret-1c', 'part_size': 1024,
                'auto_exchange': False}])
    peer_1c = Peer1C(organization_uuid=peer.organization_uuid).start()
    Peer.write([peer], {'url': peer_1c.url})
    # What 1C holds for us on each run, built beforehand: 1C's own work
    # of building its objects is not ours to time.
    payments = payments_for(contracts)
    pending = []
    for _ in range(RUNS):
        peer_1c.queue_payments(payments)
        pending.append(peer_1c.pending)
        peer_1c.pending = []
    return {'peer': peer.id, 'peer_1c': peer_1c, 'pending': pending}


def measured(ctx, state):
    from copp_exchange_1c.exchange import exchange_with_peer
    pool = ctx.pool
    Peer = pool.get('copp.exchange_1c.peer')
    Object = pool.get('copp.exchange_1c.object')
    Message = pool.get('copp.exchange_1c.message')
    table = Object.__table__()
    ctx.cursor.execute(*table.delete(where=table.peer == state['peer']))
    peer_1c = state['peer_1c']
    peer_1c.pending = state['pending'].pop()
    before = len(peer_1c.received)
    assert exchange_with_peer(Peer(state['peer'])), Peer(
        state['peer']).last_error
    header, body = peer_1c.received[before]
    assert len(body) == 3 * CONTRACTS, len(body)
    incoming, = Message.search([('direction', '=', 'in')],
        order=[('id', 'DESC')], limit=1)
    assert incoming.object_count == CONTRACTS


def baseline(ctx, state):
    from copp_exchange_1c.safexml import make_zip
    peer_1c = state['peer_1c']
    base = peer_1c.url.rsplit('/', 1)[0]
    import os
    data = make_zip(os.urandom(300_000))
    auth = (peer_1c.login, peer_1c.password)
    requests.post(base + '/raw', data=data, auth=auth, timeout=30)
    requests.get(base + '/raw', auth=auth, timeout=30)
