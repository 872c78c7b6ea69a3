"""The whole exchange with a peer as a client of 1C: Ping,
TestConnection, receive (incoming.py), send (outgoing.py); failures are
journaled and retried by the queue with back-off (peer.py)."""
import datetime as dt
import logging

from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.transaction import TransactionError

from .incoming import receive_message
from .outgoing import prepare_message
from .soap import Client, ExchangeClientError

logger = logging.getLogger(__name__)


def _client(peer):
    return Client(peer.url, peer.login, peer.password,
        timeout=peer.timeout or 60)


def test_connection(peer):
    pool = Pool()
    Peer = pool.get('copp.exchange_1c.peer')
    try:
        client = _client(peer)
        client.ping()
        client.test_connection(peer.exchange_plan, peer.our_code)
    except ExchangeClientError as exc:
        Peer.write([peer], {'last_error': str(exc)})
        return False
    Peer.write([peer], {'last_error': None})
    return True


def exchange_with_peer(peer):
    """The whole flow with a published 1C service: Ping, TestConnection,
    receive (PrepareDataForGetting … ConfirmGettingFile), send (PutFilePart
    … PutDataActionResult). Errors are journaled and retried with back-off;
    returns True when everything went through."""
    pool = Pool()
    Peer = pool.get('copp.exchange_1c.peer')
    # Lock the peer before talking to 1C: trytond restarts a transaction
    # to take a lock, and nothing must have been asked of 1C by then.
    Peer.lock([peer])
    errors = []
    sent = None
    try:
        client = _client(peer)
        client.ping()
        client.test_connection(peer.exchange_plan, peer.our_code)
        file_id, data = client.receive(peer.exchange_plan, peer.our_code,
            peer.part_size)
        if data:
            incoming = receive_message(peer, data, transport='client',
                file_id=file_id)
            if incoming.state == 'failed':
                errors.append(gettext(
                        'copp_exchange_1c.msg_peer_message_refused',
                        number=incoming.message_no or '—',
                        error=incoming.error))
        client.confirm(file_id)
        sent = prepare_message(peer, transport='client')
        client.send(peer.exchange_plan, peer.our_code, sent.archive,
            sent.file_id, peer.part_size)
        sent.state = 'sent'
        sent.sent_at = dt.datetime.now()
        sent.save()
    except ExchangeClientError as exc:
        errors.append(str(exc))
        if sent is not None:
            sent.state = 'failed'
            sent.error = str(exc)
            sent.save()
        else:
            record_failure(peer, str(exc))
    except TransactionError:
        raise  # trytond restarts the transaction (locks, retries)
    except Exception as exc:
        logger.exception("1C exchange with %s", peer.rec_name)
        errors.append(gettext('copp_exchange_1c.msg_exchange_internal_error',
                error=exc))
        record_failure(peer, errors[-1])
    if errors:
        peer.record_failure('\n'.join(errors))
        return False
    peer.record_success()
    return True


def record_failure(peer, error, direction='out', transport='client'):
    "A journal line for a failure that has no message of its own"
    pool = Pool()
    Message = pool.get('copp.exchange_1c.message')
    message, = Message.create([{
                'company': peer.company.id,
                'peer': peer.id,
                'direction': direction,
                'transport': transport,
                'state': 'failed',
                'error': error,
                }])
    return message
