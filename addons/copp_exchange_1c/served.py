"""The operations of the service we serve (routes.py), for one
authenticated exchange account, answering as 1C's own module
(EnterpriseDataExchange_1_0_1_1.Module.bsl, ОбменДаннымиСлужебный):

- every operation returns `return` and then its out-parameters; an error
  of the operation is its ErrorMessage (a missing file or part), a refused
  request is a SOAP Fault;
- PrepareDataForGetting: PartSize is a decimal number of KB, 0 = one part;
  the message is made at once, PrepareDataActionResult answers Completed
  (or Failed with the error when our message does not fit the format);
- GetDataPart: parts are numbered from 1 as 1C's files `<id>.zip.N`; a
  client that asks for part 0 numbers them from 0;
- PutFilePart: PartNumber 0 or empty is part 1, as in 1C;
- PutData assembles the parts 1..N and reads the message; its status comes
  from PutDataActionResult."""
import datetime as dt

from sql.aggregate import Sum

from trytond.i18n import gettext
from trytond.transaction import Transaction

from . import soap
from .safexml import HostileInput, max_file, size_text, split


class ServedService:
    "The operations of the service for one authenticated account"

    def __init__(self, pool, account, remote_address=None):
        self.pool = pool
        self.account = account
        self.peer = account.peer
        self.company = account.company
        self.remote_address = remote_address

    def Ping(self):
        return {'return': ''}

    def _check_node(self, exchange_plan, peer_code):
        peer = self.peer
        if exchange_plan and exchange_plan != peer.exchange_plan:
            return gettext('copp_exchange_1c.msg_service_exchange_plan',
                plan=exchange_plan, expected=peer.exchange_plan)
        if peer_code != peer.peer_code:
            return gettext('copp_exchange_1c.msg_service_node',
                node=peer_code, login=self.account.login,
                expected=peer.peer_code)
        return None

    def TestConnection(self, ExchangePlanName, PeerCode):
        error = self._check_node(ExchangePlanName, PeerCode)
        return {'return': error is None, 'ErrorMessage': error or ''}

    def PrepareDataForGetting(self, ExchangePlanName, PeerCode, PartSize):
        from .outgoing import prepare_message
        error = self._check_node(ExchangePlanName, PeerCode)
        if error:
            return {'return': '', 'OperationID': None, 'ErrorMessage': error}
        part_size = PartSize if PartSize is not None else self.peer.part_size
        if part_size < 0 or part_size != int(part_size):
            return {'return': '', 'OperationID': None,
                'ErrorMessage': gettext(
                    'copp_exchange_1c.msg_service_part_size',
                    size=PartSize)}
        message = prepare_message(self.peer, transport='served',
            part_size=int(part_size))
        message.remote_address = self.remote_address
        message.save()
        return {'return': '', 'OperationID': message.operation_id,
            'ErrorMessage': ''}

    def _message(self, direction, **domain):
        Message = self.pool.get('copp.exchange_1c.message')
        clauses = [('peer', '=', self.peer.id),
            ('direction', '=', direction)]
        clauses += [(k, '=', v) for k, v in domain.items()]
        messages = Message.search(clauses, limit=1)
        return messages[0] if messages else None

    @staticmethod
    def _not_found(operation_id):
        return gettext('copp_exchange_1c.msg_service_operation_not_found',
            operation=operation_id)

    def PrepareDataActionResult(self, OperationID):
        message = self._message('out', operation_id=OperationID or '')
        if not message:
            # 1C: no such background job is «Canceled».
            return {'return': {'Status': 'Canceled',
                    'ErrorMessage': self._not_found(OperationID)},
                'ErrorMessage': ''}
        if message.state == 'failed':
            return {'return': {'Status': 'Failed',
                    'ErrorMessage': message.error or ''},
                'ErrorMessage': ''}
        return {'return': {
                'Status': 'Completed', 'ErrorMessage': '',
                'FileID': message.file_id,
                'PartCount': message.part_count,
                }, 'ErrorMessage': ''}

    def GetDataPart(self, FileID, PartNumber):
        message = self._message('out', file_id=FileID or '')
        if not message or message.state == 'failed':
            return {'return': None, 'ErrorMessage': gettext(
                    'copp_exchange_1c.msg_service_file_not_found',
                    file=FileID)}
        parts = split(message.archive, message.part_size)
        base = message.part_base if message.part_base is not None else 1
        if PartNumber == 0 and base == 1:
            # The client numbers the parts from 0.
            base = message.part_base = 0
            message.save()
        index = (PartNumber if PartNumber is not None else -1) - base
        if not 0 <= index < len(parts):
            return {'return': None, 'ErrorMessage': gettext(
                    'copp_exchange_1c.msg_service_part_not_found',
                    part=PartNumber, file=FileID, count=len(parts))}
        return {'return': parts[index], 'ErrorMessage': ''}

    def ConfirmGettingFile(self, FileID, ClearDataPool):
        message = self._message('out', file_id=FileID or '')
        if not message:
            return {'return': '', 'ErrorMessage': gettext(
                    'copp_exchange_1c.msg_service_file_not_found',
                    file=FileID)}
        if message.state == 'prepared':
            message.state = 'sent'
            message.sent_at = dt.datetime.now()
            message.save()
        return {'return': '', 'ErrorMessage': ''}

    def PutFilePart(self, FileID, PartNumber, PartData):
        FilePart = self.pool.get('copp.exchange_1c.file.part')
        if not FileID:
            raise soap.SoapFault(gettext(
                    'copp_exchange_1c.msg_service_part_required'))
        if not PartNumber:
            PartNumber = 1  # as 1C: no number or 0 is the first part
        part = FilePart.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*part.select(Sum(part.size),
                where=(part.peer == self.peer.id)
                & (part.file_id == FileID)
                & (part.part_number != PartNumber)))
        total = (cursor.fetchone()[0] or 0) + len(PartData or b'')
        if total > max_file():
            FilePart.delete(FilePart.search([
                        ('peer', '=', self.peer.id),
                        ('file_id', '=', FileID)]))
            raise HostileInput(gettext(
                    'copp_exchange_1c.msg_service_file_too_large',
                    file=FileID, limit=size_text(max_file())))
        FilePart.delete(FilePart.search([
                    ('peer', '=', self.peer.id),
                    ('file_id', '=', FileID),
                    ('part_number', '=', PartNumber),
                    ]))
        FilePart.create([{
                    'company': self.company.id,
                    'peer': self.peer.id,
                    'file_id': FileID,
                    'part_number': PartNumber,
                    'data': PartData or b'',
                    'size': len(PartData or b''),
                    }])
        return {'return': '', 'ErrorMessage': ''}

    def PutData(self, ExchangePlanName, PeerCode, FileID):
        from .incoming import receive_message
        FilePart = self.pool.get('copp.exchange_1c.file.part')
        error = self._check_node(ExchangePlanName, PeerCode)
        if error:
            return {'return': '', 'OperationID': None, 'ErrorMessage': error}
        parts = FilePart.search([
                ('peer', '=', self.peer.id),
                ('file_id', '=', FileID or ''),
                ], order=[('part_number', 'ASC')])
        if not parts:
            return {'return': '', 'OperationID': None,
                'ErrorMessage': gettext(
                    'copp_exchange_1c.msg_service_file_not_uploaded',
                    file=FileID)}
        numbers = [p.part_number for p in parts]
        if numbers != list(range(1, len(parts) + 1)):
            FilePart.delete(parts)
            return {'return': '', 'OperationID': None,
                'ErrorMessage': gettext(
                    'copp_exchange_1c.msg_service_file_incomplete',
                    file=FileID, parts=numbers)}
        data = b''.join(p.data or b'' for p in parts)
        FilePart.delete(parts)
        message = receive_message(self.peer, data, transport='served',
            remote_address=self.remote_address, file_id=FileID)
        return {'return': '', 'OperationID': message.operation_id,
            'ErrorMessage': ''}

    def PutDataActionResult(self, OperationID):
        message = self._message('in', operation_id=OperationID or '')
        if not message:
            return {'return': 'Canceled',
                'ErrorMessage': self._not_found(OperationID)}
        if message.state in {'applied', 'duplicate'}:
            return {'return': 'Completed', 'ErrorMessage': ''}
        if message.state == 'received':
            return {'return': 'Active', 'ErrorMessage': ''}
        return {'return': 'Failed', 'ErrorMessage': message.error or ''}
