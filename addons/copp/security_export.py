"""Every export of records by a user («Экспорт» of sao, export_data and
export_data_domain through RPC) is an event of the security log: who, which
model, how many records, which fields (ФСТЭК 21: РСБ.3). The personal data
it carries are registered in the personal data log as well
(personal_data_export.py)."""
from trytond.pool import Pool
from trytond.transaction import Transaction


class ExportLogMixin:
    "Logs export_data of users in copp.security.event"
    __slots__ = ()

    @classmethod
    def export_data(cls, records, fields_names, header=False):
        result = super().export_data(records, fields_names, header=header)
        transaction = Transaction()
        if transaction.user and transaction.check_access:
            Event = Pool().get('copp.security.event')
            Event.log('export', user=transaction.user, details=(
                    f"{cls.__name__}: {len(records)}; "
                    + ', '.join(fields_names)))
        return result
