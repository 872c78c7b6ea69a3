"""The outgoing message of a peer: the objects of its college (set-based
reads), their GUIDs and the versions last sent, MessageNo and ReceivedNo,
the message recorded in the journal.

Confirmed objects (see incoming.py) are not sent again unless they change;
unconfirmed ones are sent again.

The names of the contracts and the content of the charges are data for the
accountants of 1C, in Russian whoever sends the message: they are part of
the objects' versions (a digest of their XML), which must not change with
the language of the user who clicks «Обменяться сейчас»."""
import datetime as dt
import uuid
from collections import Counter, defaultdict

from sql import Null

from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from . import mapping_format
from .mapping import VERSIONS, get_mapping
from .mapping_format import CHARGE, CONTRACT, COUNTERPARTY, Header
from .safexml import make_zip
from .tools import IN_CHUNK, counts_text, insert_rows, to_amount, to_date
from .validator import validate_message

# The states of the contracts sent to 1C.
EXPORTED_STATES = ('signed', 'terminated', 'completed')


def _organization(peer):
    company = peer.company
    party = company.party
    return {
        'uuid': peer.organization_uuid,
        'name': party.name,
        'short_name': company.short_name or party.name,
        'inn': company.inn,
        'kpp': company.kpp,
        }


def _identifiers(party_ids):
    "{party id: {'inn':…, 'kpp':…, 'ogrn':…}} in one query per 1000"
    pool = Pool()
    Identifier = pool.get('party.identifier')
    identifier = Identifier.__table__()
    cursor = Transaction().connection.cursor()
    result = defaultdict(dict)
    names = {'ru_vat': 'inn', 'ru_kpp': 'kpp', 'ru_ogrn': 'ogrn'}
    for sub_ids in grouped_slice(sorted(party_ids), IN_CHUNK):
        cursor.execute(*identifier.select(identifier.party, identifier.type,
                identifier.code,
                where=identifier.party.in_(list(sub_ids))
                & identifier.type.in_(list(names)),
                order_by=[identifier.id.asc]))
        for party, type_, code in cursor:
            result[party][names[type_]] = (code or '').replace(' ', '')
    return result


def _object_rows(peer, models=None):
    "{(model, record): row dict} of the objects we sent to the peer"
    pool = Pool()
    Object = pool.get('copp.exchange_1c.object')
    table = Object.__table__()
    cursor = Transaction().connection.cursor()
    where = (table.peer == peer.id) & (table.origin == 'ours')
    if models:
        where &= table.model.in_(list(models))
    cursor.execute(*table.select(table.id, table.model, table.record,
            table.uuid, table.digest, table.sent_message_no, table.confirmed,
            where=where))
    return {(m, r): {'id': i, 'uuid': u, 'digest': d, 'sent': s,
            'confirmed': bool(c)}
        for i, m, r, u, d, s, c in cursor}


def collect_outbound(peer):
    """The objects of the peer's college to send, in order: counterparties,
    contracts, charges: [(model, record id, guid, object type, element)]"""
    pool = Pool()
    Contract = pool.get('copp.contract')
    Charge = pool.get('copp.contract.charge')
    Party = pool.get('party.party')
    mapping = get_mapping(peer.format_version)
    contract = Contract.__table__()
    charge = Charge.__table__()
    party = Party.__table__()
    cursor = Transaction().connection.cursor()
    organization = _organization(peer)

    cursor.execute(*contract.join(party,
            condition=party.id == contract.payer
            ).select(contract.id, contract.uuid, contract.number,
            contract.date, contract.start_date, contract.end_date,
            contract.total_amount, contract.payer, contract.payer_kind,
            party.name,
            where=(contract.company == peer.company.id)
            & contract.state.in_(EXPORTED_STATES)
            & (contract.payer != Null),
            order_by=[contract.id.asc]))
    contracts = cursor.fetchall()
    payers = {}
    for (_, _, _, _, _, _, _, payer_id, payer_kind, name) in contracts:
        entry = payers.setdefault(payer_id, {'name': name, 'legal': False})
        if payer_kind == 'organization':
            entry['legal'] = True
    identifiers = _identifiers(payers)
    rows = _object_rows(peer)
    party_guids = {}
    for payer_id, entry in payers.items():
        ids = identifiers.get(payer_id, {})
        entry['inn'] = ids.get('inn')
        entry['kpp'] = ids.get('kpp')
        if ids.get('ogrn') or (entry['inn'] and len(entry['inn']) == 10):
            entry['legal'] = True
        row = rows.get(('party.party', payer_id))
        entry['uuid'] = row['uuid'] if row else str(uuid.uuid4())
        party_guids[payer_id] = entry['uuid']

    objects = []
    for payer_id, entry in sorted(payers.items()):
        objects.append(('party.party', payer_id, entry['uuid'],
                COUNTERPARTY, mapping.counterparty_element(entry)))
    contract_keys = {}
    for (id_, guid, number, date, start, end, amount, payer_id, _,
            _) in contracts:
        date = to_date(date)
        values = {
            'uuid': guid,
            'number': number,
            'date': date,
            'name': f"Договор № {number} от {date.strftime('%d.%m.%Y')}",
            'organization': organization,
            'payer': payers[payer_id],
            'start_date': to_date(start),
            'end_date': to_date(end),
            'amount': to_amount(amount),
            }
        contract_keys[id_] = values
        objects.append(('copp.contract', id_, guid, CONTRACT,
                mapping.contract_element(values)))

    if contract_keys:
        cursor.execute(*charge.join(contract,
                condition=contract.id == charge.contract
                ).select(charge.id, charge.uuid, charge.contract,
                charge.date, charge.name, charge.amount,
                where=(charge.company == peer.company.id)
                & contract.state.in_(EXPORTED_STATES),
                order_by=[charge.date.asc, charge.id.asc]))
        for id_, guid, contract_id, date, name, amount in cursor:
            keys = contract_keys.get(contract_id)
            if not keys:
                continue
            values = {
                'uuid': guid,
                'number': f"{id_:08d}",
                'date': to_date(date),
                'organization': organization,
                'payer': keys['payer'],
                'contract': keys,
                'amount': to_amount(amount),
                'content': (f"Обучение по договору № {keys['number']} от "
                    f"{keys['date'].strftime('%d.%m.%Y')}: {name}"),
                }
            objects.append(('copp.contract.charge', id_, guid,
                    CHARGE, mapping.charge_element(values)))
    return mapping, objects, rows


def prepare_message(peer, transport='served', part_size=None):
    """Make, record and return the next outgoing message of the peer: the
    objects new, changed or not yet confirmed, and our ReceivedNo."""
    pool = Pool()
    Message = pool.get('copp.exchange_1c.message')
    Peer = pool.get('copp.exchange_1c.peer')
    Object = pool.get('copp.exchange_1c.object')
    Peer.lock([peer])
    peer = Peer(peer.id)
    mapping, objects, rows = collect_outbound(peer)
    message_no = (peer.last_message_no or 0) + 1
    header = Header(mapping.version, message_no=message_no,
        received_no=peer.received_no or 0, sender=peer.our_code,
        recipient=peer.peer_code, exchange_plan=peer.exchange_plan,
        available=sorted(VERSIONS))
    root, body = mapping.new_message(header)
    to_insert, to_delete, to_touch = [], [], []
    company_id, peer_id = peer.company.id, peer.id
    counts = Counter()
    for model, record, guid, object_type, element in objects:
        digest = mapping_format.digest(element)
        row = rows.get((model, record))
        if row and row['digest'] == digest:
            if row['confirmed']:
                continue  # confirmed by the peer and unchanged
            to_touch.append(row['id'])  # sent again, not yet confirmed
        elif row:
            to_delete.append(row['id'])
            to_insert.append([company_id, peer_id, model, record, guid,
                    object_type, digest, message_no, False, 'ours'])
        else:
            to_insert.append([company_id, peer_id, model, record, guid,
                    object_type, digest, message_no, False, 'ours'])
        body.append(element)
        counts[object_type] += 1
    xml = mapping.serialize(root)
    part_size = peer.part_size if part_size is None else part_size
    issues = _issues(root)
    if issues:
        # Not sent: the journal shows what does not fit the format.
        message, = Message.create([{
                    'company': peer.company.id,
                    'peer': peer.id,
                    'direction': 'out',
                    'transport': transport,
                    'format_version': mapping.version,
                    'state': 'failed',
                    'error': issues,
                    'object_count': sum(counts.values()),
                    'counts': counts_text(counts),
                    'data': xml,
                    'data_size': len(xml),
                    'operation_id': str(uuid.uuid4()),
                    'part_size': part_size,
                    }])
        return message
    table = Object.__table__()
    cursor = Transaction().connection.cursor()
    for sub_ids in grouped_slice(to_touch, IN_CHUNK):
        cursor.execute(*table.update([table.sent_message_no], [message_no],
                where=table.id.in_(list(sub_ids))))
    for sub_ids in grouped_slice(to_delete, IN_CHUNK):
        cursor.execute(*table.delete(where=table.id.in_(list(sub_ids))))
    user = Transaction().user
    now = dt.datetime.now()
    insert_rows(Object, ['company', 'peer', 'model', 'record', 'uuid',
            'object_type', 'digest', 'sent_message_no', 'confirmed',
            'origin', 'create_uid', 'create_date'],
        [v + [user, now] for v in to_insert])
    archive = make_zip(xml)
    message, = Message.create([{
                'company': peer.company.id,
                'peer': peer.id,
                'direction': 'out',
                'transport': transport,
                'message_no': message_no,
                'received_no': peer.received_no or 0,
                'format_version': mapping.version,
                'state': 'prepared',
                'object_count': sum(counts.values()),
                'counts': counts_text(counts),
                'data': xml,
                'data_size': len(xml),
                'archive': archive,
                'file_id': str(uuid.uuid4()),
                'operation_id': str(uuid.uuid4()),
                'part_size': part_size,
                'part_count': _part_count(len(archive), part_size),
                }])
    Peer.write([peer], {'last_message_no': message_no})
    return message


def _issues(root):
    "The problems of our message against the package, as a text, or None"
    validator = validate_message(root, strict=True)
    if not validator.issues:
        return None
    errors = [str(i) for i in validator.issues]
    if validator.count > len(errors):
        errors.append(gettext('copp_exchange_1c.msg_xdto_more',
                count=validator.count - len(errors)))
    return gettext('copp_exchange_1c.msg_xdto_not_sent',
        count=validator.count, errors='\n'.join(errors))


def _part_count(size, part_size_kb):
    if not part_size_kb or part_size_kb <= 0:
        return 1
    chunk = int(part_size_kb * 1024)
    return max(1, -(-size // chunk))
