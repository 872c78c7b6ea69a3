"""The whole exchange with a peer when ГИС ЦОПП starts it: as a client of
the web service 1C publishes (client.py), or through message files in a
shared folder or on FTP (transport_files.py). Failures are journaled and
retried by the queue with back-off (peer.py).

Nothing is lost: a download that fails (an error of 1C, an empty or short
part, a broken archive) is journaled as a failed incoming message and is
not confirmed, so 1C keeps it for the next attempt; our message is marked
sent only once 1C took it."""
import contextlib
import datetime as dt
import hashlib
import logging

from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.transaction import TransactionError

from .client import Client, ExchangeClientError
from .incoming import receive_message
from .outgoing import prepare_message
from .safexml import HostileInput, make_zip
from .transport_files import message_name, transport_of

logger = logging.getLogger(__name__)


def _client(peer):
    return Client(peer.url, peer.login, peer.password,
        timeout=peer.timeout or 60)


def test_connection(peer):
    pool = Pool()
    Peer = pool.get('copp.exchange_1c.peer')
    try:
        if peer.transport == 'client':
            client = _client(peer)
            client.ping()
            client.test_connection(peer.exchange_plan, peer.our_code)
        else:
            transport_of(peer).get(message_name(peer.peer_code,
                    peer.our_code))
    except ExchangeClientError as exc:
        Peer.write([peer], {'last_error': str(exc)})
        return False
    Peer.write([peer], {'last_error': None})
    return True


def exchange_with_peer(peer):
    """The whole flow with the peer; errors are journaled and retried with
    back-off; returns True when everything went through."""
    pool = Pool()
    Peer = pool.get('copp.exchange_1c.peer')
    # Lock the peer before talking to 1C: trytond restarts a transaction
    # to take a lock, and nothing must have been asked of 1C by then.
    Peer.lock([peer])
    errors = []
    try:
        if peer.transport == 'client':
            _exchange_client(peer, errors)
        else:
            _exchange_files(peer, errors)
    except ExchangeClientError as exc:
        errors.append(str(exc))
        if not getattr(exc, 'journaled', False):
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


def _refused(incoming, errors):
    if incoming.state == 'failed':
        errors.append(gettext('copp_exchange_1c.msg_peer_message_refused',
                number=incoming.message_no or '—', error=incoming.error))


def _prepared(peer, transport):
    "Our next message; one that does not fit the format is not sent"
    sent = prepare_message(peer, transport=transport)
    if sent.state == 'failed':
        error = ExchangeClientError(sent.error)
        error.journaled = True
        raise error
    return sent


@contextlib.contextmanager
def _failing(sent):
    "Our message is failed, with the error, when 1C does not take it"
    try:
        yield
    except ExchangeClientError as exc:
        sent.state = 'failed'
        sent.error = str(exc)
        sent.save()
        exc.journaled = True
        raise


def _exchange_client(peer, errors):
    """Ping, TestConnection, receive (PrepareDataForGetting …
    ConfirmGettingFile), send (PutFilePart … PutDataActionResult)"""
    client = _client(peer)
    client.ping()
    client.test_connection(peer.exchange_plan, peer.our_code)
    try:
        file_id, data = client.receive(peer.exchange_plan, peer.our_code,
            peer.part_size)
    except ExchangeClientError as exc:
        # The download failed: journaled, not confirmed, retried.
        record_failure(peer, str(exc), direction='in')
        exc.journaled = True
        raise
    # A broken archive is a failed download (journaled by
    # receive_message): not confirmed, 1C keeps the file for the retry.
    try:
        incoming = receive_message(peer, data, transport='client',
            file_id=file_id, raise_broken=True)
    except HostileInput as exc:
        error = ExchangeClientError(str(exc))
        error.journaled = True
        raise error
    _refused(incoming, errors)
    client.confirm(file_id)
    sent = _prepared(peer, 'client')
    with _failing(sent):
        client.send(peer.exchange_plan, peer.our_code, sent.archive,
            sent.file_id, peer.part_size)
    sent.state = 'sent'
    sent.sent_at = dt.datetime.now()
    sent.save()
    return sent


def _exchange_files(peer, errors):
    """Read Message_<1C>_<ours> if it is a file we have not read, then
    write Message_<ours>_<1C>.zip with our next message"""
    pool = Pool()
    Message = pool.get('copp.exchange_1c.message')
    transport = transport_of(peer)
    found = transport.get(message_name(peer.peer_code, peer.our_code))
    if found:
        name, data = found
        digest = hashlib.sha1(data).hexdigest()
        # A file already read is not read again; one that was refused is,
        # until 1C replaces it, so that the error stays in sight.
        read = Message.search([
                ('peer', '=', peer.id),
                ('direction', '=', 'in'),
                ('file_digest', '=', digest),
                ('state', 'in', ['applied', 'duplicate']),
                ], limit=1)
        if not read:
            incoming = receive_message(peer, data,
                transport=peer.transport,
                zipped=name.lower().endswith('.zip'), file_name=name,
                file_digest=digest)
            _refused(incoming, errors)
    sent = _prepared(peer, peer.transport)
    base = message_name(peer.our_code, peer.peer_code)
    with _failing(sent):
        transport.put(base + '.zip', make_zip(sent.data, name=base + '.xml'))
    sent.state = 'sent'
    sent.sent_at = dt.datetime.now()
    sent.file_name = base + '.zip'
    sent.save()
    return sent


def record_failure(peer, error, direction='out', transport=None):
    "A journal line for a failure that has no message of its own"
    pool = Pool()
    Message = pool.get('copp.exchange_1c.message')
    message, = Message.create([{
                'company': peer.company.id,
                'peer': peer.id,
                'direction': direction,
                'transport': transport or (peer.transport
                    if peer.transport != 'served' else 'client'),
                'state': 'failed',
                'error': error,
                }])
    return message
