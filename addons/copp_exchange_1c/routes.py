"""The web service EnterpriseDataExchange_1_0_1_1 served by trytond, in the
shape 1C publishes it (service_description.py), for the systems that call
it as they would call 1C:

    GET  /<db>/ws/EnterpriseDataExchange_1_0_1_1?wsdl   the WSDL
    POST /<db>/ws/EnterpriseDataExchange_1_0_1_1        SOAP 1.1 / 1.2

(also under the 1C-style name …/EnterpriseDataExchange_1_0_1_1.1cws).
HTTP Basic authentication against copp.exchange_1c.account, throttled
(account.py); the route runs as root, so every operation is scoped to the
account's peer and college. The operations answer as 1C's module does
(EnterpriseDataExchange_1_0_1_1.Module.bsl): the return value, then the
out-parameters; a missing file or part is an ErrorMessage; PartNumber 0 of
an upload is part 1; PartSize is a decimal number of KB (0: one part).
Input is read within size limits and parsed without DTDs or entities; a
refused request is answered by a SOAP Fault and logged in the journal."""
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
from .safexml import HostileInput, max_request, size_text
from .served import ServedService
from .service_description import wsdl

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
        return Response(wsdl(request.base_url),
            content_type='text/xml; charset=utf-8')
    Account = pool.get('copp.exchange_1c.account')
    login, password = _credentials(request)
    account, locked = Account.sign_in(login, password)
    if locked:
        logger.warning("1C service: %s locked from %s", login,
            request.remote_addr)
        return Response(soap.fault(locked), status=429,
            content_type='text/xml; charset=utf-8')
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
        return Response(soap.fault(str(exc)), status=413,
            content_type='text/xml; charset=utf-8')
    service = ServedService(pool, account, remote)
    with Transaction().set_context(company=account.company.id,
            companies=[account.company.id]):
        status, content_type, body, error = soap.dispatch(service, data)
        if error:
            _log_refusal(pool, account, error, data, remote)
    return Response(body, status=status, content_type=content_type)


# trytond caps unauthenticated requests at [request] max_size (2 MB);
# the service enforces its own limit ([copp_exchange_1c] max_request_size)
# while reading, so that a part of a large file fits.
enterprise_data_exchange.max_request_size = 2 ** 31
