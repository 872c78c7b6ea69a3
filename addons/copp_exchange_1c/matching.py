"""The objects of an incoming message matched to the records of the
peer's college: every object validated first (nothing written), then the
payments and the GUIDs learned written set-based.

Counterparties are matched by the GUIDs we know, else by ИНН; contracts by
GUID, else by number and counterparty; payments to the signed contracts of
the college."""
import datetime as dt
from collections import Counter, defaultdict

from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .mapping_format import CONTRACT, COUNTERPARTY, PAYMENT, MappingError
from .outgoing import EXPORTED_STATES
from .tools import IN_CHUNK, insert_rows

MAX_ERRORS = 50


class Inbound:
    """Validation of an incoming Body, then its application, for one peer.
    The errors and warnings are texts for the journal."""

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
                if object_type == COUNTERPARTY:
                    parsed.append((object_type,
                            mapping.parse_counterparty(element)))
                elif object_type == CONTRACT:
                    parsed.append((object_type,
                            mapping.parse_contract(element)))
                elif object_type == PAYMENT:
                    parsed.append((object_type,
                            mapping.parse_payment(element)))
                elif object_type in mapping.IGNORED:
                    continue
                else:
                    guid = mapping.guid_of(element)
                    if guid:
                        self.error(gettext(
                                'copp_exchange_1c.msg_unknown_object',
                                type=object_type, guid=guid))
                    else:
                        self.error(gettext(
                                'copp_exchange_1c.msg_unknown_object_no_guid',
                                type=object_type))
            except MappingError as exc:
                self.error(str(exc))
        if self.errors:
            return

        known_parties = self._party_by_guid()
        contracts_by_guid = self._contract_by_guid()
        inns = set()
        numbers = set()
        for object_type, values in parsed:
            if object_type == COUNTERPARTY and values.get('inn'):
                inns.add(values['inn'])
            if object_type == CONTRACT and values.get('number'):
                numbers.add(values['number'])
            if object_type == PAYMENT:
                for line in values['lines']:
                    if line['payer'] and line['payer'].get('inn'):
                        inns.add(line['payer']['inn'])
                    if line['contract'] and line['contract'].get('number'):
                        numbers.add(line['contract']['number'])
        parties_by_inn = self._parties_by_inn(inns)
        contracts_by_number = self._contracts_by_number(numbers)

        # Counterparties: learn the GUIDs of 1C.
        for object_type, values in parsed:
            if object_type != COUNTERPARTY:
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
                self.warnings.append(gettext(
                        'copp_exchange_1c.msg_counterparty_not_found',
                        guid=guid, name=values['name'],
                        inn=values.get('inn') or '—'))

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
            if object_type != CONTRACT:
                continue
            guid = values['uuid']
            payer = values['payer']
            payer_guid = payer.get('uuid')
            if guid in contracts_by_guid:
                continue
            if not (payer_guid in known_parties
                    or payer_guid in self.message_parties):
                self.error(gettext(
                        'copp_exchange_1c.msg_contract_counterparty_unknown',
                        guid=guid, number=values.get('number') or '—',
                        counterparty=payer_guid or '—'))
                continue
            parties = party_of(payer)
            matches = [c for c in contracts_by_number.get(
                    values.get('number'), []) if c[1] in parties]
            if len(matches) == 1:
                contracts_by_guid[guid] = matches[0][0]
                self.new_objects.append(('copp.contract', matches[0][0],
                        guid, object_type))
            else:
                self.warnings.append(gettext(
                        'copp_exchange_1c.msg_contract_not_found',
                        guid=guid, number=values.get('number') or '—'))

        # Payments: matched to our contracts.
        for object_type, values in parsed:
            if object_type != PAYMENT:
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
                    self.error(gettext(
                            'copp_exchange_1c.msg_payment_contract_draft',
                            guid=guid, number=values.get('number') or '—',
                            line=index,
                            contract=keys.get('number') or keys.get('uuid')))
                    continue
                if contract_id is None:
                    payer = line['payer'] or {}
                    self.error(gettext(
                            'copp_exchange_1c.msg_payment_contract_not_found',
                            guid=guid, number=values.get('number') or '—',
                            line=index, contract=keys.get('uuid') or '—',
                            contract_number=keys.get('number') or '—',
                            counterparty=(payer.get('uuid')
                                or payer.get('inn') or '—')))
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
