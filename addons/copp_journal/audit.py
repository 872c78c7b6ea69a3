"""Registration of reads of personal data (152-ФЗ, ФСТЭК order 21, РСБ):
who, when, what, which object, the result and the address, as one line of
the logger «copp.audit» (the deployment routes it to its append-only
security log; the timestamp is the log record's)."""
import logging

from trytond.transaction import Transaction

logger = logging.getLogger('copp.audit')


def log_personal_data(request, what, obj, result):
    "Log a read of personal data by the transaction's user"
    transaction = Transaction()
    address = request.remote_addr if request is not None else None
    logger.info("personal-data read: user=%s database=%s what=%s object=%s "
        "result=%s address=%s", transaction.user,
        transaction.database.name if transaction.database else None,
        what, obj, result, address or '-')
