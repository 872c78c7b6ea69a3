"""The exchange itself: making the outgoing message of a peer, applying an
incoming one, and the whole flow as a client of 1C.

Numbering (integrations.md §1): our messages carry MessageNo = the peer's
last_message_no + 1 and ReceivedNo = the MessageNo of the last message of
the peer we applied. An incoming MessageNo at or below our ReceivedNo is a
redelivery: recorded, not applied. An incoming ReceivedNo confirms our
messages up to it and the objects they carried: confirmed objects are not
sent again unless they change; unconfirmed ones are sent again."""
import contextlib
import datetime as dt
import logging
import uuid
from collections import Counter, defaultdict
from decimal import Decimal

from sql import Literal, Null

from trytond import backend
from trytond.exceptions import UserError
from trytond.pool import Pool
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, TransactionError

from . import mapping as mapping_
from .mapping import MappingError
from .safexml import HostileInput, make_zip, parse_xml, read_zip

logger = logging.getLogger(__name__)

EXPORTED_STATES = ('signed', 'terminated', 'completed')
IN_CHUNK = 1000
MAX_ERRORS = 50


class ExchangeError(Exception):
    "An error of the exchange, in Russian"


# Outgoing -----------------------------------------------------------------

def _date(value):
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


def _decimal(value):
    return Decimal(str(value or 0)).quantize(Decimal('0.01'))


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
    mapping = mapping_.get_mapping(peer.format_version)
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
                mapping_.COUNTERPARTY, mapping.counterparty_element(entry)))
    contract_keys = {}
    for (id_, guid, number, date, start, end, amount, payer_id, _,
            _) in contracts:
        date = _date(date)
        values = {
            'uuid': guid,
            'number': number,
            'date': date,
            'name': f"Договор № {number} от {date.strftime('%d.%m.%Y')}",
            'organization': organization,
            'payer': payers[payer_id],
            'start_date': _date(start),
            'end_date': _date(end),
            'amount': _decimal(amount),
            }
        contract_keys[id_] = values
        objects.append(('copp.contract', id_, guid, mapping_.CONTRACT,
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
                'date': _date(date),
                'organization': organization,
                'payer': keys['payer'],
                'contract': keys,
                'amount': _decimal(amount),
                'content': (f"Обучение по договору № {keys['number']} от "
                    f"{keys['date'].strftime('%d.%m.%Y')}: {name}"),
                }
            objects.append(('copp.contract.charge', id_, guid,
                    mapping.CHARGE_OBJECT, mapping.charge_element(values)))
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
    header = mapping_.Header(mapping.version, message_no=message_no,
        received_no=peer.received_no or 0, sender=peer.our_code,
        recipient=peer.peer_code, exchange_plan=peer.exchange_plan,
        available=sorted(mapping_.VERSIONS))
    root, body = mapping.new_message(header)
    to_insert, to_delete, to_touch = [], [], []
    company_id, peer_id = peer.company.id, peer.id
    counts = Counter()
    for model, record, guid, object_type, element in objects:
        digest = mapping_.digest(element)
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
    part_size = peer.part_size if part_size is None else part_size
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
                'counts': _counts_text(counts),
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


def insert_rows(Model, names, rows):
    """Insert many rows of Model's table: on PostgreSQL one INSERT … SELECT
    FROM unnest() of one array per column (the fastest way through psycopg),
    elsewhere one prepared statement executed for every row."""
    if not rows:
        return
    table = Model.__table__()
    columns = [getattr(table, n) for n in names]
    cursor = Transaction().connection.cursor()
    if backend.name == 'postgresql':
        types = [Model._fields[n].sql_type().base for n in names]
        arrays = [list(c) for c in zip(*rows)]
        quote = '"'
        sql = (f'INSERT INTO {quote}{Model._table}{quote} ('
            + ', '.join(f'{quote}{n}{quote}' for n in names)
            + ') SELECT * FROM unnest('
            + ', '.join(f'%s::{t}[]' for t in types) + ')')
        cursor.execute(sql, arrays)
    else:
        sql, _ = tuple(table.insert(columns, [rows[0]]))
        cursor.executemany(sql, rows)


def _part_count(size, part_size_kb):
    if not part_size_kb or part_size_kb <= 0:
        return 1
    chunk = part_size_kb * 1024
    return max(1, -(-size // chunk))


def _counts_text(counts):
    return ', '.join(f"{k}: {v}" for k, v in sorted(counts.items()))


# Incoming -----------------------------------------------------------------

@contextlib.contextmanager
def savepoint(name='copp_exchange_1c_apply'):
    """All or nothing inside a transaction that already wrote something"""
    transaction = Transaction()
    cursor = transaction.connection.cursor()
    cursor.execute(f'SAVEPOINT {name}')
    try:
        yield
    except BaseException:
        cursor.execute(f'ROLLBACK TO SAVEPOINT {name}')
        for cache in transaction.cache.values():
            cache.clear()
        raise
    else:
        cursor.execute(f'RELEASE SAVEPOINT {name}')


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


class _Inbound:
    "Validation of an incoming Body, then its application, for one peer"

    def __init__(self, peer, mapping):
        self.peer = peer
        self.mapping = mapping
        self.company = peer.company
        self.errors = []
        self.warnings = []
        self.counts = Counter()
        self.payments = []       # values of copp.contract.payment
        self.replace_uuids = set()  # 1C documents whose payments we replace
        self.new_objects = []    # (model, record, guid, object type)
        self.message_parties = {}  # guid -> party id or None
        self.drafts = set()      # contracts not signed: no payments
        self.applied = 0

    def error(self, text):
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(text)

    def _party_by_guid(self):
        pool = Pool()
        Object = pool.get('copp.exchange_1c.object')
        table = Object.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(table.uuid, table.record,
                where=(table.peer == self.peer.id)
                & (table.model == 'party.party')))
        return {u: r for u, r in cursor}

    def _contract_by_guid(self):
        pool = Pool()
        Contract = pool.get('copp.contract')
        Object = pool.get('copp.exchange_1c.object')
        contract = Contract.__table__()
        table = Object.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*contract.select(contract.uuid, contract.id,
                contract.state,
                where=contract.company == self.company.id))
        result = {}
        for guid, id_, state in cursor:
            result[guid] = id_
            if state not in EXPORTED_STATES:
                self.drafts.add(id_)
        cursor.execute(*table.select(table.uuid, table.record,
                where=(table.peer == self.peer.id)
                & (table.model == 'copp.contract')))
        result.update({u: r for u, r in cursor})
        return result

    def _contracts_by_number(self, numbers):
        pool = Pool()
        Contract = pool.get('copp.contract')
        contract = Contract.__table__()
        cursor = Transaction().connection.cursor()
        result = defaultdict(list)
        for sub in grouped_slice(sorted(numbers), IN_CHUNK):
            cursor.execute(*contract.select(contract.number, contract.id,
                    contract.payer, contract.state,
                    where=(contract.company == self.company.id)
                    & contract.number.in_(list(sub))))
            for number, id_, payer, state in cursor:
                result[number].append((id_, payer, state))
        return result

    def _parties_by_inn(self, inns):
        pool = Pool()
        Identifier = pool.get('party.identifier')
        identifier = Identifier.__table__()
        cursor = Transaction().connection.cursor()
        result = defaultdict(set)
        for sub in grouped_slice(sorted(inns), IN_CHUNK):
            cursor.execute(*identifier.select(identifier.code,
                    identifier.party,
                    where=(identifier.type == 'ru_vat')
                    & identifier.code.in_(list(sub))))
            for code, party in cursor:
                result[code].add(party)
        return result

    def validate(self, body):
        "Parse and check every object; nothing is written"
        mapping = self.mapping
        elements = [e for e in (body if body is not None else [])
            if isinstance(e.tag, str)]
        parsed = []
        for element in elements:
            try:
                object_type = mapping.object_type(element)
            except MappingError as exc:
                self.error(str(exc))
                continue
            self.counts[object_type] += 1
            try:
                if object_type == mapping_.COUNTERPARTY:
                    parsed.append((object_type,
                            mapping.parse_counterparty(element)))
                elif object_type == mapping_.CONTRACT:
                    parsed.append((object_type,
                            mapping.parse_contract(element)))
                elif object_type == mapping_.PAYMENT:
                    parsed.append((object_type,
                            mapping.parse_payment(element)))
                elif object_type in mapping.IGNORED:
                    continue
                else:
                    guid = mapping.guid_of(element)
                    self.error(f"Неизвестный тип объекта «{object_type}» "
                        f"(Ссылка {guid or 'не указана'}).")
            except MappingError as exc:
                self.error(str(exc))
        if self.errors:
            return

        known_parties = self._party_by_guid()
        contracts_by_guid = self._contract_by_guid()
        inns = set()
        numbers = set()
        for object_type, values in parsed:
            if object_type == mapping_.COUNTERPARTY and values.get('inn'):
                inns.add(values['inn'])
            if object_type == mapping_.CONTRACT and values.get('number'):
                numbers.add(values['number'])
            if object_type == mapping_.PAYMENT:
                for line in values['lines']:
                    if line['payer'] and line['payer'].get('inn'):
                        inns.add(line['payer']['inn'])
                    if line['contract'] and line['contract'].get('number'):
                        numbers.add(line['contract']['number'])
        parties_by_inn = self._parties_by_inn(inns)
        contracts_by_number = self._contracts_by_number(numbers)

        # Counterparties: learn the GUIDs of 1C.
        for object_type, values in parsed:
            if object_type != mapping_.COUNTERPARTY:
                continue
            guid = values['uuid']
            if guid in known_parties:
                self.message_parties[guid] = known_parties[guid]
                continue
            candidates = parties_by_inn.get(values.get('inn') or '', set())
            if len(candidates) == 1:
                party_id, = candidates
                self.message_parties[guid] = party_id
                self.new_objects.append(('party.party', party_id, guid,
                        object_type))
            else:
                self.message_parties[guid] = None
                self.warnings.append(
                    f"Контрагент {guid} «{values['name']}» (ИНН "
                    f"{values.get('inn') or '—'}) не найден в ГИС ЦОПП: "
                    "не сопоставлен.")

        def party_of(keys):
            "The party ids a counterparty reference may mean"
            if not keys:
                return set()
            guid = keys.get('uuid')
            if guid and guid in known_parties:
                return {known_parties[guid]}
            if guid and self.message_parties.get(guid):
                return {self.message_parties[guid]}
            return set(parties_by_inn.get(keys.get('inn') or '', set()))

        # Contracts: ours come back, 1C's are matched by number and payer.
        for object_type, values in parsed:
            if object_type != mapping_.CONTRACT:
                continue
            guid = values['uuid']
            payer = values['payer']
            payer_guid = payer.get('uuid')
            if guid in contracts_by_guid:
                continue
            if not (payer_guid in known_parties
                    or payer_guid in self.message_parties):
                self.error(f"Договор {guid} (№ {values.get('number') or '—'})"
                    f": контрагент {payer_guid or '—'} неизвестен — его нет "
                    "ни в этом сообщении, ни в полученных ранее.")
                continue
            parties = party_of(payer)
            matches = [c for c in contracts_by_number.get(
                    values.get('number'), []) if c[1] in parties]
            if len(matches) == 1:
                contracts_by_guid[guid] = matches[0][0]
                self.new_objects.append(('copp.contract', matches[0][0],
                        guid, object_type))
            else:
                self.warnings.append(
                    f"Договор {guid} (№ {values.get('number') or '—'}) не "
                    "найден в ГИС ЦОПП: пропущен.")

        # Payments: matched to our contracts.
        for object_type, values in parsed:
            if object_type != mapping_.PAYMENT:
                continue
            guid = values['uuid']
            for index, line in enumerate(values['lines'], 1):
                keys = line['contract'] or {}
                contract_id = contracts_by_guid.get(keys.get('uuid') or '')
                if contract_id is None and keys.get('number'):
                    parties = party_of(line['payer'])
                    matches = [c for c in contracts_by_number.get(
                            keys['number'], []) if c[1] in parties]
                    if len(matches) == 1:
                        contract_id = matches[0][0]
                if contract_id in self.drafts:
                    self.error(
                        f"Поступление {guid} (№ {values.get('number') or '—'}"
                        f", строка {index}): договор {keys.get('number') or keys.get('uuid')} "
                        "не подписан — оплата по нему не принимается.")
                    continue
                if contract_id is None:
                    payer = line['payer'] or {}
                    self.error(
                        f"Поступление {guid} (№ {values.get('number') or '—'}"
                        f", строка {index}): договор не найден — ни по "
                        f"ссылке {keys.get('uuid') or '—'}, ни по номеру "
                        f"«{keys.get('number') or '—'}» и контрагенту "
                        f"{payer.get('uuid') or payer.get('inn') or '—'}.")
                    continue
                self.replace_uuids.add(guid)
                self.payments.append({
                        'company': self.company.id,
                        'contract': contract_id,
                        'date': values['date'],
                        'number': values.get('number'),
                        'amount': line['amount'],
                        'payer_name': (line['payer'] or {}).get('name'),
                        'origin': '1c',
                        'uuid': guid,
                        'line': index,
                        'note': values.get('purpose'),
                        })

    def apply(self):
        """Write what validate() prepared: the payments of the 1C documents
        replaced set-based (they were checked: contract of the college,
        signed, positive amounts), the GUIDs learned"""
        pool = Pool()
        Payment = pool.get('copp.contract.payment')
        Object = pool.get('copp.exchange_1c.object')
        payment = Payment.__table__()
        cursor = Transaction().connection.cursor()
        for sub in grouped_slice(sorted(self.replace_uuids), IN_CHUNK):
            cursor.execute(*payment.delete(
                    where=(payment.company == self.company.id)
                    & payment.uuid.in_(list(sub))))
        if self.payments:
            names = ['company', 'contract', 'date', 'number', 'amount',
                'payer_name', 'origin', 'uuid', 'line', 'note']
            extra = [Transaction().user, dt.datetime.now()]
            insert_rows(Payment, names + ['create_uid', 'create_date'],
                [[v[n] for n in names] + extra for v in self.payments])
        if self.new_objects:
            Object.create([{
                        'company': self.company.id,
                        'peer': self.peer.id,
                        'model': model,
                        'record': record,
                        'uuid': guid,
                        'object_type': object_type,
                        'confirmed': True,
                        'origin': 'peer',
                        } for model, record, guid, object_type
                    in self.new_objects])
        self.applied = len(self.payments) + len(self.new_objects)


def receive_message(peer, data, transport='served', zipped=True,
        remote_address=None, file_id=None, operation_id=None):
    """Record and apply an incoming message of the peer. Never raises for
    bad input: the message is recorded as failed with the error."""
    pool = Pool()
    Message = pool.get('copp.exchange_1c.message')
    Peer = pool.get('copp.exchange_1c.peer')
    message, = Message.create([{
                'company': peer.company.id,
                'peer': peer.id,
                'direction': 'in',
                'transport': transport,
                'state': 'received',
                'file_id': file_id,
                'operation_id': operation_id or str(uuid.uuid4()),
                'remote_address': remote_address,
                'data_size': len(data or b''),
                }])
    values = {}
    try:
        xml = read_zip(data) if zipped else data
        values['data'] = xml
        values['data_size'] = len(xml)
        root = parse_xml(xml, "Сообщение обмена")
        header, mapping, body = mapping_.parse_header(root)
        values['format_version'] = header.version
        values['message_no'] = header.message_no
        values['received_no'] = header.received_no
        _check_header(peer, header)
        Peer.lock([peer])
        peer = Peer(peer.id)
        received = peer.received_no or 0
        if header.message_no is not None and header.message_no <= received:
            apply_confirmation(peer, header.received_no)
            values['state'] = 'duplicate'
            values['warning'] = (
                f"Сообщение № {header.message_no} уже получено (последнее "
                f"принятое — № {received}): повторно не применяется.")
            values['object_count'] = _count_objects(body)
            return message
        inbound = _Inbound(peer, mapping)
        inbound.validate(body)
        values['object_count'] = sum(inbound.counts.values())
        values['counts'] = _counts_text(inbound.counts)
        if inbound.errors:
            raise ExchangeError('\n'.join(inbound.errors))
        warnings = list(inbound.warnings)
        if header.message_no is not None and header.message_no > received + 1:
            gap = (f"Пропуск в нумерации: после № {received} получено "
                f"№ {header.message_no} (нет № {received + 1}"
                + (f"–{header.message_no - 1}"
                    if header.message_no - 1 > received + 1 else '') + ").")
            warnings.insert(0, gap)
            logger.warning("1C exchange %s: %s", peer.rec_name, gap)
        try:
            with savepoint():
                inbound.apply()
                apply_confirmation(peer, header.received_no)
                if header.message_no is not None:
                    Peer.write([peer], {'received_no': header.message_no})
        except UserError as exc:
            raise ExchangeError(f"Сообщение не применено: {exc.message}")
        values['applied_count'] = inbound.applied
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
    return message


def _count_objects(body):
    if body is None:
        return 0
    return sum(1 for e in body if isinstance(e.tag, str))


def _check_header(peer, header):
    if header.exchange_plan and header.exchange_plan != peer.exchange_plan:
        raise ExchangeError(
            f"План обмена «{header.exchange_plan}» не совпадает с "
            f"настроенным «{peer.exchange_plan}».")
    if header.sender and header.sender != peer.peer_code:
        raise ExchangeError(
            f"Сообщение от узла «{header.sender}», а ожидался узел "
            f"«{peer.peer_code}».")
    if header.recipient and header.recipient != peer.our_code:
        raise ExchangeError(
            f"Сообщение адресовано узлу «{header.recipient}», а наш код — "
            f"«{peer.our_code}».")


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


# As a client of 1C ---------------------------------------------------------

def _client(peer):
    from .soap import Client
    return Client(peer.url, peer.login, peer.password,
        timeout=peer.timeout or 60)


def test_connection(peer):
    pool = Pool()
    Peer = pool.get('copp.exchange_1c.peer')
    from .soap import ExchangeClientError
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
    from .soap import ExchangeClientError
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
                errors.append(
                    f"Сообщение 1С № {incoming.message_no or '—'} не "
                    f"принято: {incoming.error}")
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
        errors.append(f"Внутренняя ошибка обмена: {exc}")
        record_failure(peer, errors[-1])
    if errors:
        peer.record_failure('\n'.join(errors))
        return False
    peer.record_success()
    return True
