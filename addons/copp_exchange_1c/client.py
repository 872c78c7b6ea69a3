"""The client of a web service EnterpriseDataExchange_1_0_1_1 published by
1C, through zeep, with the WSDL made from the published description
(service_description.py): only the address comes from the peer, nothing
its WSDL could declare is ever parsed.

Every answer is checked the way 1C's own module answers
(EnterpriseDataExchange_1_0_1_1.Module.bsl): an ErrorMessage, a status
other than Completed, a missing OperationID, an empty or short part are
errors (ExchangeClientError, in Russian) — never an empty download taken
for a message."""
import io
import time
from decimal import Decimal

from .i18n import gettext_safe
from .safexml import split
from .service_description import wsdl

SERVICE = 'EnterpriseDataExchange_1_0_1_1'


class ExchangeClientError(Exception):
    "A failure talking to the peer (translated message)"


def _client_error(msg, /, **variables):
    "An ExchangeClientError of the message copp_exchange_1c.<msg>"
    return ExchangeClientError(
        gettext_safe(f'copp_exchange_1c.{msg}', **variables))


def _refuse_non_soap(response, *args, **kwargs):
    """An HTTP error that is not a SOAP Fault (a login page, a proxy's
    HTML) is raised before zeep tries to read it as SOAP"""
    import requests
    content_type = response.headers.get('Content-Type', '')
    if response.status_code >= 400 and 'xml' not in content_type:
        raise requests.exceptions.HTTPError(
            f"HTTP {response.status_code}", response=response)


def field(result, name):
    "An output of a zeep answer (an object or, for one output, the value)"
    if result is None:
        return None
    try:
        return result[name]
    except (KeyError, TypeError, IndexError, AttributeError):
        return getattr(result, name, None)


class Client:
    "A client of a published EnterpriseDataExchange_1_0_1_1 service"

    def __init__(self, address, login=None, password=None, timeout=60):
        import requests
        import zeep
        from zeep.transports import Transport
        address = address.split('?', 1)[0]
        self.address = address
        session = requests.Session()
        if login:
            # 1C logins and passwords may be Cyrillic: UTF-8, as 1C sends them.
            session.auth = requests.auth.HTTPBasicAuth(
                login.encode('utf-8'), (password or '').encode('utf-8'))
        session.hooks['response'].append(_refuse_non_soap)
        transport = Transport(session=session, timeout=timeout,
            operation_timeout=timeout)
        # Parts are up to the configured size: their base64 is a text node
        # over lxml's 10 MB default; DTDs and entities stay forbidden.
        settings = zeep.Settings(strict=False, xml_huge_tree=True,
            forbid_dtd=True, forbid_entities=True, forbid_external=True)
        client = zeep.Client(io.BytesIO(wsdl('http://localhost/')),
            transport=transport, settings=settings)
        self.client = client
        self.service = client.create_service(self._binding(client),
            address)

    @staticmethod
    def _binding(client):
        for binding in client.wsdl.bindings:
            if binding.endswith(f'}}{SERVICE}SoapBinding'):
                return binding
        raise KeyError(SERVICE)

    def call(self, operation, *args):
        import requests
        import zeep.exceptions
        try:
            return getattr(self.service, operation)(*args)
        except zeep.exceptions.Fault as exc:
            raise _client_error('msg_client_fault', operation=operation,
                error=exc.message)
        except requests.exceptions.HTTPError as exc:
            status = (exc.response.status_code
                if exc.response is not None else '')
            if status in (401, 403):
                raise _client_error('msg_client_access_denied',
                    operation=operation, status=status)
            raise _client_error('msg_client_http_error',
                operation=operation, status=status, address=self.address)
        except requests.exceptions.RequestException as exc:
            raise _client_error('msg_client_no_connection',
                operation=operation, address=self.address, error=exc)
        except zeep.exceptions.TransportError as exc:
            status = getattr(exc, 'status_code', '')
            if status == 401:
                raise _client_error('msg_client_access_denied',
                    operation=operation, status=status)
            raise _client_error('msg_client_http_error',
                operation=operation, status=status, address=self.address)
        except zeep.exceptions.Error as exc:
            raise _client_error('msg_client_bad_answer',
                operation=operation, error=exc)

    def _checked(self, operation, *args):
        "Call an operation; its ErrorMessage is an error"
        result = self.call(operation, *args)
        error = field(result, 'ErrorMessage')
        if error:
            raise _client_error('msg_client_fault', operation=operation,
                error=error)
        return result

    def ping(self):
        return self.call('Ping')

    def test_connection(self, exchange_plan, peer_code):
        result = self.call('TestConnection', exchange_plan, peer_code)
        if not field(result, 'return'):
            raise _client_error('msg_client_test_failed',
                error=field(result, 'ErrorMessage') or gettext_safe(
                    'copp_exchange_1c.msg_client_no_explanation'))
        return True

    def _wait(self, fetch, what, timeout, interval=0.05):
        "Poll while Active, with a growing pause"
        deadline = time.monotonic() + timeout
        while True:
            status, result = fetch()
            if status != 'Active':
                return status, result
            if time.monotonic() > deadline:
                raise _client_error('msg_client_timeout', operation=what,
                    timeout=timeout)
            time.sleep(interval)
            interval = min(interval * 2, 2)

    def receive(self, exchange_plan, peer_code, part_size_kb=1024,
            timeout=300):
        """PrepareDataForGetting → PrepareDataActionResult (polled) →
        GetDataPart 1..PartCount: (file id, zip bytes). The parts are
        checked: none empty, each but the last of the part size."""
        result = self._checked('PrepareDataForGetting', exchange_plan,
            peer_code, Decimal(part_size_kb or 0))
        operation_id = field(result, 'OperationID')
        if not operation_id:
            raise _client_error('msg_client_no_operation_id',
                operation='PrepareDataForGetting')

        def fetch():
            answer = self.call('PrepareDataActionResult', operation_id)
            info = field(answer, 'return')
            return field(info, 'Status'), (answer, info)
        status, (answer, info) = self._wait(
            fetch, 'PrepareDataActionResult', timeout)
        error = (field(info, 'ErrorMessage')
            or field(answer, 'ErrorMessage'))
        if status != 'Completed' or error:
            raise _client_error('msg_client_prepare_failed',
                status=status or '—', error=error or '—')
        file_id = field(info, 'FileID')
        try:
            count = int(field(info, 'PartCount') or 0)
        except (TypeError, ValueError):
            count = 0
        if not file_id or count < 1:
            raise _client_error('msg_client_no_parts', file=file_id or '—',
                count=field(info, 'PartCount') or 0)
        size = int((part_size_kb or 0) * 1024)
        parts = []
        for number in range(1, count + 1):
            part = field(self._checked('GetDataPart', file_id, number),
                'return')
            if not part:
                raise _client_error('msg_client_part_empty', part=number,
                    count=count, file=file_id)
            if size and number < count and len(part) != size:
                raise _client_error('msg_client_part_short', part=number,
                    count=count, file=file_id, size=len(part),
                    expected=size)
            parts.append(part)
        return file_id, b''.join(parts)

    def confirm(self, file_id):
        self._checked('ConfirmGettingFile', file_id, True)

    def send(self, exchange_plan, peer_code, data, file_id,
            part_size_kb=1024, timeout=300):
        """PutFilePart 1..N → PutData → PutDataActionResult (polled)"""
        for number, part in enumerate(split(data, part_size_kb), 1):
            self._checked('PutFilePart', file_id, number, part)
        result = self._checked('PutData', exchange_plan, peer_code, file_id)
        operation_id = field(result, 'OperationID')
        if not operation_id:
            raise _client_error('msg_client_no_operation_id',
                operation='PutData')

        def fetch():
            answer = self.call('PutDataActionResult', operation_id)
            return field(answer, 'return'), answer
        status, answer = self._wait(fetch, 'PutDataActionResult', timeout)
        if status != 'Completed':
            raise _client_error('msg_client_put_failed',
                status=status or '—',
                error=field(answer, 'ErrorMessage') or '—')
        return operation_id
