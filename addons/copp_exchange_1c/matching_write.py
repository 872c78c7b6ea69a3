"""What an incoming message changes, written set-based (matching.py reads
and matches; this writes): the payments and refunds of the 1C documents
(copp.contract.payment, kind «payment» or «refund»), the unmatched ones of
the queue, the GUIDs learned.

A line of a 1C document is identified by (company, GUID, line):
- it has a payment already (recorded before by the exchange, or matched by
  the accountant from the queue): the payment is updated when 1C changed the
  date, the number or the amount, its contract stays;
- it is matched now: a payment is recorded; a pending entry of the queue
  for it is closed as matched;
- it is not matched: a pending entry of the queue is updated, a closed one
  (matched or returned by the accountant) is left alone, else one is added;
- a line the document no longer has loses its payment and its pending
  entry."""
import datetime as dt
from decimal import Decimal

from trytond.pool import Pool
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .tools import IN_CHUNK, insert_rows, to_date

PAYMENT_FIELDS = ['company', 'contract', 'kind', 'date', 'number', 'amount',
    'payer_name', 'origin', 'uuid', 'line', 'note']


class InboundWriter:
    "apply() of matching.Inbound"

    def _existing(self, Model, columns):
        "{(uuid, line): row} of Model for the documents of the message"
        table = Model.__table__()
        cursor = Transaction().connection.cursor()
        result = {}
        for sub in grouped_slice(sorted(self.documents), IN_CHUNK):
            cursor.execute(*table.select(table.uuid, table.line,
                    *[getattr(table, c) for c in columns],
                    where=(table.company == self.company.id)
                    & table.uuid.in_(list(sub))))
            for row in cursor:
                result[(row[0], row[1])] = row[2:]
        return result

    def apply(self):
        pool = Pool()
        Payment = pool.get('copp.contract.payment')
        Unmatched = pool.get('copp.exchange_1c.unmatched_payment')
        Object = pool.get('copp.exchange_1c.object')
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        payment = Payment.__table__()
        queue = Unmatched.__table__()
        now = dt.datetime.now()
        user = transaction.user
        paid = self._existing(Payment, ['id', 'date', 'number', 'amount'])
        queued = self._existing(Unmatched, ['id', 'state'])
        keys = {(v['uuid'], v['line'])
            for v in self.payments + self.unmatched}

        # Lines the documents no longer have.
        gone = [row[0] for key, row in paid.items() if key not in keys]
        for sub in grouped_slice(gone, IN_CHUNK):
            cursor.execute(*payment.delete(where=payment.id.in_(list(sub))))
        gone = [row[0] for key, row in queued.items()
            if key not in keys and row[1] == 'pending']
        for sub in grouped_slice(gone, IN_CHUNK):
            cursor.execute(*queue.delete(where=queue.id.in_(list(sub))))

        def changed(row, values):
            _, date, number, amount = row
            return (to_date(date) != values['date']
                or (number or None) != (values['number'] or None)
                or Decimal(str(amount)) != values['amount'])

        updates, inserts, closed = [], [], []
        for values in self.payments:
            key = (values['uuid'], values['line'])
            row = paid.get(key)
            if row is not None:
                if changed(row, values):
                    updates.append((row[0], values))
                continue
            inserts.append(values)
            if queued.get(key, (None, None))[1] == 'pending':
                closed.append((queued[key][0], values['contract']))
        new_queue, queue_updates = [], []
        for values in self.unmatched:
            key = (values['uuid'], values['line'])
            row = paid.get(key)
            if row is not None:
                if changed(row, values):
                    updates.append((row[0], values))
                continue
            entry = queued.get(key)
            if entry is None:
                new_queue.append(values)
            elif entry[1] == 'pending':
                queue_updates.append((entry[0], values))

        for id_, values in updates:
            cursor.execute(*payment.update(
                    [payment.date, payment.number, payment.amount,
                        payment.write_uid, payment.write_date],
                    [values['date'], values['number'], values['amount'],
                        user, now],
                    where=payment.id == id_))
        if inserts:
            insert_rows(Payment, PAYMENT_FIELDS + ['create_uid',
                    'create_date'],
                [[dict(v, origin='1c').get(n) for n in PAYMENT_FIELDS]
                    + [user, now] for v in inserts])
        if closed:
            self._close_matched(closed)
        message_id = self.message.id if self.message else None
        for id_, values in queue_updates:
            Unmatched.write([Unmatched(id_)], self._queue_values(values,
                    message_id))
        if new_queue:
            Unmatched.create([dict(self._queue_values(v, message_id),
                        company=self.company.id, peer=self.peer.id,
                        uuid=v['uuid'], line=v['line'])
                    for v in new_queue])
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
        self.applied = len(updates) + len(inserts) + len(self.new_objects)
        self.queued = len(new_queue) + len(queue_updates)

    @staticmethod
    def _queue_values(values, message_id):
        return {
            'message': message_id,
            'kind': values['kind'],
            'date': values['date'],
            'number': values['number'],
            'amount': values['amount'],
            'payer_name': values['payer_name'],
            'payer_inn': values['payer_inn'],
            'contract_uuid': values['contract_uuid'],
            'contract_number': values['contract_number'],
            'purpose': values['purpose'],
            'reason': values['reason'],
            }

    def _close_matched(self, closed):
        """Pending entries whose line now found its contract: matched, to
        the payment just recorded"""
        pool = Pool()
        Payment = pool.get('copp.contract.payment')
        Unmatched = pool.get('copp.exchange_1c.unmatched_payment')
        entries = Unmatched.browse([id_ for id_, _ in closed])
        payments = {(p.uuid, p.line): p for p in Payment.search([
                    ('company', '=', self.company.id),
                    ('uuid', 'in', list({e.uuid for e in entries})),
                    ])}
        for entry, (_, contract) in zip(entries, closed):
            entry.state = 'matched'
            entry.contract = contract
            entry.payment = payments.get((entry.uuid, entry.line))
            entry.resolved_at = dt.datetime.now()
        Unmatched.save(entries)
