"""The objects of an incoming message matched to the records of the
peer's college: every object read first (nothing written), then the
payments, the unmatched payments and the GUIDs learned written set-based.

Counterparties are matched by the GUIDs we know, else by ИНН; contracts by
GUID, else by number and counterparty. A payment of a payer
(`Документ.ПБДСРасчетыСКонтрагентами`, ВидРасчетов «СПокупателем») of the
peer's organization goes to the signed contract it names; a line that
cannot go anywhere (no such contract, a draft, another organization) goes
to the queue «Неразнесённые платежи» (unmatched_payment.py) and the rest of
the message is applied. Other kinds of the document (a supplier returning
money, loans, other receipts) are not payments under our contracts: they
are skipped with a warning.

A refund to a payer (`Документ.СБДСРасчетыСКонтрагентами`, ВидРасчетов
«СПокупателем»: the college pays money back) is matched the same way and
recorded as a payment line of kind «refund» (its effect on the balance is
negative), or queued with the reason prefixed «Возврат плательщику»; paying
a supplier, loans and the rest are skipped with a warning.

Each line of a 1C document is applied once: by (GUID, line) a payment
already recorded — by the exchange or by the accountant from the queue —
is updated if 1C changed it, never recorded twice."""
from collections import Counter, defaultdict

from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .mapping_format import (
    CONTRACT, COUNTERPARTY, PAYMENT, PAYMENT_FROM_CUSTOMER, REFUND,
    MappingError)
from .matching_write import InboundWriter
from .outgoing import EXPORTED_STATES
from .tools import IN_CHUNK

MAX_ERRORS = 50
# ВидОперации of the older shapes that are a payment of a buyer.
CUSTOMER_OPERATIONS = {'ОплатаПокупателя', 'ПоступлениеОплатыОтКлиента',
    'ОплатаОтПокупателя'}
# ВидОперации of the older shapes of a refund to a buyer.
REFUND_OPERATIONS = {'ВозвратПокупателю', 'ВозвратОплатыКлиенту',
    'ВозвратДенежныхСредствПокупателю'}
PAYMENTS = {PAYMENT, REFUND}


class Inbound(InboundWriter):
    """Reading of an incoming Body, then its application, for one peer.
    The errors (the message is refused) and warnings are texts for the
    journal."""

    def __init__(self, peer, mapping, message=None):
        self.peer = peer
        self.mapping = mapping
        self.message = message
        self.company = peer.company
        self.errors = []
        self.warnings = []
        self.counts = Counter()
        self.payments = []       # values of copp.contract.payment
        self.unmatched = []      # values of the unmatched payments
        self.documents = set()   # 1C payment documents read
        self.new_objects = []    # (model, record, guid, object type)
        self.message_parties = {}  # guid -> party id or None
        self.drafts = set()      # contracts not signed: no payments
        self.applied = 0
        self.queued = 0

    def error(self, text):
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(text)

    # Reads ------------------------------------------------------------------

    def _party_by_guid(self):
        Object = Pool().get('copp.exchange_1c.object')
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
        Contract = Pool().get('copp.contract')
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
        Identifier = Pool().get('party.identifier')
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

    # Reading the objects --------------------------------------------------------

    def _parse(self, body, extensions=()):
        "[(object type, values)] of the objects we read; the others counted"
        mapping = self.mapping
        parsed = []
        for element in (body if body is not None else []):
            if not isinstance(element.tag, str):
                continue
            namespace = element.tag[1:].partition('}')[0]
            if namespace in extensions:
                self.counts[element.tag.rpartition('}')[2]] += 1
                continue
            try:
                object_type = mapping.object_type(element)
                self.counts[object_type] += 1
                if object_type == COUNTERPARTY:
                    parsed.append((object_type,
                            mapping.parse_counterparty(element)))
                elif object_type == CONTRACT:
                    parsed.append((object_type,
                            mapping.parse_contract(element)))
                elif object_type in PAYMENTS:
                    parsed.append((object_type,
                            mapping.parse_payment(element,
                                refund=object_type == REFUND)))
                # Any other object of the format is valid and not ours.
            except MappingError as exc:
                self.error(str(exc))
        return parsed

    def validate(self, body, extensions=()):
        "Read and match every object; nothing is written"
        parsed = self._parse(body, extensions)
        if self.errors:
            return
        self.known_parties = self._party_by_guid()
        self.contracts_by_guid = self._contract_by_guid()
        inns, numbers = set(), set()
        for object_type, values in parsed:
            if object_type == COUNTERPARTY and values.get('inn'):
                inns.add(values['inn'])
            if object_type == CONTRACT and values.get('number'):
                numbers.add(values['number'])
            if object_type in PAYMENTS:
                for line in values['lines']:
                    contract = line['contract'] or {}
                    if contract.get('uuid') in self.contracts_by_guid:
                        continue  # found by its GUID
                    if contract.get('number'):
                        numbers.add(contract['number'])
                    for payer in (values['payer'], contract.get('payer')):
                        if (payer or {}).get('inn'):
                            inns.add(payer['inn'])
        self.parties_by_inn = self._parties_by_inn(inns)
        self.contracts_by_number = self._contracts_by_number(numbers)
        for object_type, values in parsed:
            if object_type == COUNTERPARTY:
                self._counterparty(values)
        for object_type, values in parsed:
            if object_type == CONTRACT:
                self._contract(values)
        for object_type, values in parsed:
            if object_type in PAYMENTS:
                self._payment(values)

    def party_of(self, keys):
        "The party ids a counterparty reference may mean"
        if not keys:
            return set()
        guid = keys.get('uuid')
        if guid and guid in self.known_parties:
            return {self.known_parties[guid]}
        if guid and self.message_parties.get(guid):
            return {self.message_parties[guid]}
        return set(self.parties_by_inn.get(keys.get('inn') or '', set()))

    def _counterparty(self, values):
        "Learn the GUID of 1C of one of our payers"
        guid = values['uuid']
        if guid in self.known_parties:
            self.message_parties[guid] = self.known_parties[guid]
            return
        candidates = self.parties_by_inn.get(values.get('inn') or '', set())
        if len(candidates) == 1:
            party_id, = candidates
            self.message_parties[guid] = party_id
            self.new_objects.append(('party.party', party_id, guid,
                    COUNTERPARTY))
        else:
            self.message_parties[guid] = None
            self.warnings.append(gettext(
                    'copp_exchange_1c.msg_counterparty_not_found',
                    guid=guid, name=values.get('name') or '—',
                    inn=values.get('inn') or '—'))

    def _contract(self, values):
        "Ours come back; 1C's are matched by number and payer"
        guid = values['uuid']
        if guid in self.contracts_by_guid:
            return
        parties = self.party_of(values.get('payer'))
        matches = [c for c in self.contracts_by_number.get(
                values.get('number'), []) if c[1] in parties]
        if len(matches) == 1:
            self.contracts_by_guid[guid] = matches[0][0]
            self.new_objects.append(('copp.contract', matches[0][0], guid,
                    CONTRACT))
        else:
            self.warnings.append(gettext(
                    'copp_exchange_1c.msg_contract_not_found',
                    guid=guid, number=values.get('number') or '—'))

    def _our_organization(self, organization):
        "Whether a payment names the college of the peer"
        if not organization:
            return False
        if organization.get('uuid'):
            return organization['uuid'] == self.peer.organization_uuid
        inn = (self.company.inn or '').replace(' ', '')
        return bool(inn) and organization.get('inn') == inn

    def _payment(self, values):
        guid = values['uuid']
        kind = values.get('kind')
        operation = values.get('operation')
        refund = values.get('refund', False)
        operations = REFUND_OPERATIONS if refund else CUSTOMER_OPERATIONS
        self.documents.add(guid)
        if kind != PAYMENT_FROM_CUSTOMER or (
                operation and operation not in operations):
            self.warnings.append(gettext(
                    'copp_exchange_1c.msg_refund_not_customer' if refund
                    else 'copp_exchange_1c.msg_payment_not_customer',
                    guid=guid, number=values.get('number') or '—',
                    kind=operation or kind or '—'))
            return
        foreign = not self._our_organization(values.get('organization'))
        for index, line in enumerate(values['lines'], 1):
            keys = line['contract'] or {}
            payer = values.get('payer') or keys.get('payer') or {}
            contract_id, reason = None, None
            if foreign:
                organization = values.get('organization') or {}
                reason = gettext(
                    'copp_exchange_1c.msg_payment_other_organization',
                    organization=(organization.get('name')
                        or organization.get('inn') or '—'),
                    guid=organization.get('uuid') or '—')
            else:
                contract_id = self.contracts_by_guid.get(
                    keys.get('uuid') or '')
                if contract_id is None and keys.get('number'):
                    parties = (self.party_of(values.get('payer'))
                        | self.party_of(keys.get('payer')))
                    matches = [c for c in self.contracts_by_number.get(
                            keys['number'], []) if c[1] in parties]
                    if len(matches) == 1:
                        contract_id = matches[0][0]
                if contract_id in self.drafts:
                    reason = gettext(
                        'copp_exchange_1c.msg_payment_contract_draft',
                        contract=keys.get('number') or keys.get('uuid'))
                    contract_id = None
                elif contract_id is None:
                    reason = gettext(
                        'copp_exchange_1c.msg_payment_contract_not_found',
                        contract=keys.get('uuid') or '—',
                        contract_number=keys.get('number') or '—',
                        counterparty=(payer.get('name') or payer.get('inn')
                            or payer.get('uuid') or '—'))
            if reason and refund:
                reason = gettext('copp_exchange_1c.msg_refund_unmatched',
                    reason=reason)
            common = {
                'kind': 'refund' if refund else 'payment',
                'company': self.company.id,
                'date': values['date'],
                'number': values.get('number'),
                'amount': line['amount'],
                'payer_name': payer.get('name'),
                'uuid': guid,
                'line': index,
                }
            if contract_id is not None:
                self.payments.append(dict(common, contract=contract_id,
                        note=values.get('purpose')))
            else:
                self.unmatched.append(dict(common,
                        payer_inn=payer.get('inn'),
                        contract_uuid=keys.get('uuid'),
                        contract_number=keys.get('number'),
                        purpose=values.get('purpose'),
                        reason=reason))
