"""The incoming message of a peer: recorded in the journal, checked against
the published packages (validator.py: the first step of reading), its
header checked, then applied (matching.py), or refused with the errors.

Numbering (integrations.md §1): our messages carry MessageNo = the peer's
last_message_no + 1 and ReceivedNo = the MessageNo of the last message of
the peer we applied. An incoming MessageNo at or below our ReceivedNo is a
redelivery: recorded, not applied. An incoming ReceivedNo confirms our
messages up to it and the objects they carried: confirmed objects are not
sent again unless they change; unconfirmed ones are sent again.

A message that does not fit the format, or whose header is not ours, is
refused whole (1C sends it again once corrected). A payment that cannot be
matched is not a reason to refuse: it goes to the queue «Неразнесённые
платежи» and the rest is applied. A message of settings only (the format
without a version, as 1C sends before the synchronization is set up) is
recorded and changes nothing."""
import datetime as dt
import logging
import uuid

from sql import Literal

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.transaction import Transaction

from .exceptions import ExchangeError
from .mapping import parse_header
from .mapping_format import MappingError
from .matching import Inbound
from .safexml import HostileInput, parse_xml, read_zip
from .tools import counts_text, savepoint
from .validator import validate_message

logger = logging.getLogger(__name__)


def receive_message(peer, data, transport='served', zipped=True,
        remote_address=None, file_id=None, operation_id=None,
        file_name=None, file_digest=None, raise_broken=False):
    """Record and apply an incoming message of the peer. Never raises for
    bad input: the message is recorded as failed with the error — but for
    an archive that cannot be read (an empty or cut download) when
    raise_broken, once journaled, so that the caller does not confirm it."""
    pool = Pool()
    Message = pool.get('copp.exchange_1c.message')
    message, = Message.create([{
                'company': peer.company.id,
                'peer': peer.id,
                'direction': 'in',
                'transport': transport,
                'state': 'received',
                'file_id': file_id,
                'file_name': file_name,
                'file_digest': file_digest,
                'operation_id': operation_id or str(uuid.uuid4()),
                'remote_address': remote_address,
                'data_size': len(data or b''),
                }])
    values = {}
    broken = None
    try:
        try:
            xml = read_zip(data) if zipped else data
        except HostileInput as exc:
            broken = exc
            raise
        values['data'] = xml
        values['data_size'] = len(xml)
        root = parse_xml(xml, gettext('copp_exchange_1c.msg_message_xml'))
        header, mapping, body = parse_header(root)
        values['format_version'] = header.version or '—'
        values['message_no'] = header.message_no
        values['received_no'] = header.received_no
        _check_header(peer, header)
        _validate(root, header)
        if header.settings_only:
            values['state'] = 'applied'
            values['warning'] = gettext(
                'copp_exchange_1c.msg_message_settings_only',
                versions=', '.join(v for v in header.available if v)
                or '—')
            return message
        Peer = pool.get('copp.exchange_1c.peer')
        Peer.lock([peer])
        peer = Peer(peer.id)
        received = peer.received_no or 0
        if header.message_no is not None and header.message_no <= received:
            apply_confirmation(peer, header.received_no)
            values['state'] = 'duplicate'
            values['warning'] = gettext(
                'copp_exchange_1c.msg_message_duplicate',
                number=header.message_no, received=received)
            values['object_count'] = _count_objects(body)
            return message
        inbound = Inbound(peer, mapping, message)
        inbound.validate(body, extensions={header.extension}
            if header.extension else ())
        values['object_count'] = sum(inbound.counts.values())
        values['counts'] = counts_text(inbound.counts)
        if inbound.errors:
            raise ExchangeError('\n'.join(inbound.errors))
        warnings = list(inbound.warnings)
        if header.message_no is not None and header.message_no > received + 1:
            missing = str(received + 1)
            if header.message_no - 1 > received + 1:
                missing += f"–{header.message_no - 1}"
            gap = gettext('copp_exchange_1c.msg_message_gap',
                received=received, number=header.message_no,
                missing=missing)
            warnings.insert(0, gap)
            logger.warning("1C exchange %s: %s", peer.rec_name, gap)
        try:
            with savepoint():
                inbound.apply()
                apply_confirmation(peer, header.received_no)
                if header.message_no is not None:
                    Peer.write([peer], {'received_no': header.message_no})
        except UserError as exc:
            raise ExchangeError(gettext(
                    'copp_exchange_1c.msg_message_not_applied',
                    error=exc.message))
        if inbound.queued:
            warnings.insert(0, gettext(
                    'copp_exchange_1c.msg_message_queued',
                    count=inbound.queued))
        values['applied_count'] = inbound.applied
        values['queued_count'] = inbound.queued
        values['warning'] = '\n'.join(warnings) or None
        values['state'] = 'applied'
    except (HostileInput, MappingError, ExchangeError) as exc:
        values['state'] = 'failed'
        values['error'] = str(exc)
        if isinstance(exc, HostileInput) and 'data' not in values:
            values['data'] = bytes(data[:64 * 1024]) if data else None
        logger.warning("1C message refused from %s: %s", peer.rec_name, exc)
    finally:
        Message.write([message], values)
    if broken is not None and raise_broken:
        raise broken
    return message


def _validate(root, header):
    "The first step of reading: the message against the packages"
    validator = validate_message(root, extensions={header.extension}
        if header.extension else ())
    if validator.issues:
        errors = [str(i) for i in validator.issues]
        if validator.count > len(errors):
            errors.append(gettext('copp_exchange_1c.msg_xdto_more',
                    count=validator.count - len(errors)))
        raise ExchangeError(gettext('copp_exchange_1c.msg_xdto_refused',
                count=validator.count, errors='\n'.join(errors)))


def _count_objects(body):
    if body is None:
        return 0
    return sum(1 for e in body if isinstance(e.tag, str))


def _check_header(peer, header):
    if header.exchange_plan and header.exchange_plan != peer.exchange_plan:
        raise ExchangeError(gettext(
                'copp_exchange_1c.msg_header_exchange_plan',
                plan=header.exchange_plan, expected=peer.exchange_plan))
    if header.sender and header.sender != peer.peer_code:
        raise ExchangeError(gettext(
                'copp_exchange_1c.msg_header_sender',
                sender=header.sender, expected=peer.peer_code))
    if header.recipient and header.recipient != peer.our_code:
        raise ExchangeError(gettext(
                'copp_exchange_1c.msg_header_recipient',
                recipient=header.recipient, expected=peer.our_code))


def apply_confirmation(peer, received_no):
    """The peer received our messages up to received_no: they and the
    objects they carried are confirmed"""
    pool = Pool()
    Peer = pool.get('copp.exchange_1c.peer')
    Message = pool.get('copp.exchange_1c.message')
    Object = pool.get('copp.exchange_1c.object')
    if received_no is None:
        return
    received_no = min(received_no, peer.last_message_no or 0)
    if received_no <= (peer.peer_received_no or 0):
        return
    table = Object.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*table.update([table.confirmed], [True],
            where=(table.peer == peer.id)
            & (table.sent_message_no <= received_no)
            & (table.confirmed == Literal(False))))
    messages = Message.search([
            ('peer', '=', peer.id),
            ('direction', '=', 'out'),
            ('message_no', '<=', received_no),
            ('state', 'in', ['prepared', 'sent']),
            ])
    if messages:
        Message.write(messages, {'state': 'confirmed',
                'confirmed_at': dt.datetime.now()})
    Peer.write([peer], {'peer_received_no': received_no})
