"""The web service EnterpriseDataExchange_1_0_1_1 served by trytond, so that
1C exchanges with ГИС ЦОПП as with another 1C base:

    GET  /<db>/ws/EnterpriseDataExchange_1_0_1_1?wsdl   the WSDL
    POST /<db>/ws/EnterpriseDataExchange_1_0_1_1        SOAP 1.1 / 1.2

(also under the 1C-style name …/EnterpriseDataExchange_1_0_1_1.1cws).
HTTP Basic authentication against copp.exchange_1c.account; the route runs
as root, so every operation is scoped to the account's peer and college.
Input is read within size limits and parsed without DTDs or entities; a
refused request is answered by a SOAP Fault and logged in the journal.
Everything runs in the request's transaction: the texts are the messages
of the module in the language of the database (Russian in ГИС ЦОПП)."""
import base64
import binascii
import datetime as dt
import logging

from trytond.i18n import gettext
from trytond.protocols.wrappers import (
    Response, with_pool, with_transaction)
from trytond.transaction import Transaction
from trytond.wsgi import app

from . import soap
from .safexml import HostileInput, max_file, max_request, size_text

logger = logging.getLogger(__name__)

PATHS = ['/<database_name>/ws/EnterpriseDataExchange_1_0_1_1',
    '/<database_name>/ws/EnterpriseDataExchange_1_0_1_1.1cws']


def _credentials(request):
    header = request.headers.get('Authorization', '')
    scheme, _, value = header.partition(' ')
    if scheme.lower() != 'basic' or not value:
        return None, None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode(
            'utf-8')
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None, None
    login, _, password = decoded.partition(':')
    return login, password


def _unauthorized():
    return Response(
        gettext('copp_exchange_1c.msg_service_login_required'),
        status=401, content_type='text/plain; charset=utf-8',
        headers={'WWW-Authenticate':
            'Basic realm="EnterpriseDataExchange_1_0_1_1", charset="UTF-8"'})


def _soap_response(status, content_type, data):
    return Response(data, status=status, content_type=content_type)


def _read_body(request):
    """The request body, refusing what is larger than the limit (before
    reading it when the length is announced). Cached on the request: the
    transaction may be retried."""
    from werkzeug.exceptions import RequestEntityTooLarge
    limit = max_request()
    length = request.content_length
    if length is not None and length > limit:
        raise HostileInput(gettext('copp_exchange_1c.msg_request_too_large',
                size=size_text(length), limit=size_text(limit)))
    request.max_content_length = limit
    try:
        return request.get_data(cache=True)
    except RequestEntityTooLarge:
        raise HostileInput(gettext(
                'copp_exchange_1c.msg_request_too_large_unknown',
                limit=size_text(limit)))


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
            return {'OperationID': None, 'ErrorMessage': error}
        part_size = PartSize if PartSize is not None else self.peer.part_size
        message = prepare_message(self.peer, transport='served',
            part_size=max(part_size or 0, 0))
        message.remote_address = self.remote_address
        message.save()
        return {'OperationID': message.operation_id, 'ErrorMessage': ''}

    def _message(self, direction, **domain):
        Message = self.pool.get('copp.exchange_1c.message')
        clauses = [('peer', '=', self.peer.id),
            ('direction', '=', direction)]
        clauses += [(k, '=', v) for k, v in domain.items()]
        messages = Message.search(clauses, limit=1)
        return messages[0] if messages else None

    def PrepareDataActionResult(self, OperationID):
        message = self._message('out', operation_id=OperationID or '')
        if not message:
            error = gettext(
                'copp_exchange_1c.msg_service_operation_not_found',
                operation=OperationID)
            return {'return': {'Status': 'Failed', 'ErrorMessage': error},
                'ErrorMessage': error}
        return {'return': {
                'Status': 'Completed', 'ErrorMessage': '',
                'FileID': message.file_id,
                'PartCount': message.part_count,
                }, 'ErrorMessage': ''}

    def GetDataPart(self, FileID, PartNumber):
        from .safexml import split
        message = self._message('out', file_id=FileID or '')
        if not message:
            raise soap.SoapFault(gettext(
                    'copp_exchange_1c.msg_service_file_not_found',
                    file=FileID))
        parts = split(message.archive, message.part_size)
        if not PartNumber or not (1 <= PartNumber <= len(parts)):
            raise soap.SoapFault(gettext(
                    'copp_exchange_1c.msg_service_part_not_found',
                    part=PartNumber, file=FileID, count=len(parts)))
        return {'return': parts[PartNumber - 1]}

    def ConfirmGettingFile(self, FileID, ClearDataPool):
        message = self._message('out', file_id=FileID or '')
        if not message:
            raise soap.SoapFault(gettext(
                    'copp_exchange_1c.msg_service_file_not_found',
                    file=FileID))
        if message.state == 'prepared':
            message.state = 'sent'
            message.sent_at = dt.datetime.now()
            message.save()
        return {}

    def PutFilePart(self, FileID, PartNumber, PartData):
        FilePart = self.pool.get('copp.exchange_1c.file.part')
        if not FileID or not PartNumber or PartNumber < 1:
            raise soap.SoapFault(gettext(
                    'copp_exchange_1c.msg_service_part_required'))
        part = FilePart.__table__()
        cursor = Transaction().connection.cursor()
        from sql.aggregate import Sum
        cursor.execute(*part.select(Sum(part.size),
                where=(part.peer == self.peer.id)
                & (part.file_id == FileID)))
        total = (cursor.fetchone()[0] or 0) + len(PartData or b'')
        if total > max_file():
            FilePart.delete(FilePart.search([
                        ('peer', '=', self.peer.id),
                        ('file_id', '=', FileID)]))
            raise HostileInput(gettext(
                    'copp_exchange_1c.msg_service_file_too_large',
                    file=FileID, limit=size_text(max_file())))
        existing = FilePart.search([
                ('peer', '=', self.peer.id),
                ('file_id', '=', FileID),
                ('part_number', '=', PartNumber),
                ])
        FilePart.delete(existing)
        FilePart.create([{
                    'company': self.company.id,
                    'peer': self.peer.id,
                    'file_id': FileID,
                    'part_number': PartNumber,
                    'data': PartData or b'',
                    'size': len(PartData or b''),
                    }])
        return {}

    def PutData(self, ExchangePlanName, PeerCode, FileID):
        from .incoming import receive_message
        FilePart = self.pool.get('copp.exchange_1c.file.part')
        error = self._check_node(ExchangePlanName, PeerCode)
        if error:
            raise soap.SoapFault(error)
        parts = FilePart.search([
                ('peer', '=', self.peer.id),
                ('file_id', '=', FileID or ''),
                ], order=[('part_number', 'ASC')])
        if not parts:
            raise soap.SoapFault(gettext(
                    'copp_exchange_1c.msg_service_file_not_uploaded',
                    file=FileID))
        numbers = [p.part_number for p in parts]
        if numbers != list(range(1, len(parts) + 1)):
            FilePart.delete(parts)
            raise soap.SoapFault(gettext(
                    'copp_exchange_1c.msg_service_file_incomplete',
                    file=FileID, parts=numbers))
        data = b''.join(p.data or b'' for p in parts)
        FilePart.delete(parts)
        message = receive_message(self.peer, data, transport='served',
            remote_address=self.remote_address, file_id=FileID)
        return {'OperationID': message.operation_id}

    def PutDataActionResult(self, OperationID):
        message = self._message('in', operation_id=OperationID or '')
        if not message:
            return {'return': 'Failed',
                'ErrorMessage': gettext(
                    'copp_exchange_1c.msg_service_operation_not_found',
                    operation=OperationID)}
        if message.state in {'applied', 'duplicate'}:
            return {'return': 'Completed', 'ErrorMessage': ''}
        if message.state == 'received':
            return {'return': 'Active', 'ErrorMessage': ''}
        return {'return': 'Failed', 'ErrorMessage': message.error or ''}


def _log_refusal(pool, account, error, data=None, remote_address=None):
    Message = pool.get('copp.exchange_1c.message')
    Message.create([{
                'company': account.company.id,
                'peer': account.peer.id,
                'direction': 'in',
                'transport': 'served',
                'state': 'failed',
                'error': error,
                'data': bytes(data[:64 * 1024]) if data else None,
                'data_size': len(data) if data else None,
                'remote_address': remote_address,
                }])
    logger.warning("1C service: request of %s refused: %s", account.login,
        error)


@app.route(PATHS[0], methods=['GET', 'POST'])
@app.route(PATHS[1], methods=['GET', 'POST'])
@with_pool
@with_transaction()
def enterprise_data_exchange(request, pool):
    if request.method == 'GET':
        address = request.base_url
        return Response(soap.wsdl(address),
            content_type='text/xml; charset=utf-8')
    Account = pool.get('copp.exchange_1c.account')
    login, password = _credentials(request)
    account = Account.authenticate(login, password)
    if account is None:
        logger.info("1C service: authentication failed for %r", login)
        return _unauthorized()
    remote = request.remote_addr
    now = dt.datetime.now()
    if not account.last_login or now - account.last_login > dt.timedelta(
            minutes=1):
        Account.write([account], {'last_login': now})
    try:
        data = _read_body(request)
    except HostileInput as exc:
        _log_refusal(pool, account, str(exc), remote_address=remote)
        return _soap_response(413, 'text/xml; charset=utf-8',
            soap.fault(str(exc)))
    service = ServedService(pool, account, remote)
    with Transaction().set_context(company=account.company.id,
            companies=[account.company.id]):
        status, content_type, body, error = soap.dispatch(service, data)
        if error:
            _log_refusal(pool, account, error, data, remote)
    return _soap_response(status, content_type, body)


# trytond caps unauthenticated requests at [request] max_size (2 MB);
# the service enforces its own limit ([copp_exchange_1c] max_request_size)
# while reading, so that a part of a large file fits.
enterprise_data_exchange.max_request_size = 2 ** 31
