"""The printed contract and the payment receipt (ODT, amounts in words)."""
from trytond.pool import Pool
from trytond.report import Report

from .amount import amount_in_words, format_amount


def _format_date(date):
    return date.strftime('%d.%m.%Y') if date else ''


class _AmountReport(Report):

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Date = pool.get('ir.date')
        context = super().get_context(records, header, data)
        context['amount_in_words'] = amount_in_words
        context['format_amount'] = format_amount
        context['format_ru_date'] = _format_date
        context['today'] = Date.today()
        return context


class ContractReport(_AmountReport):
    __name__ = 'copp.contract.report'


class PaymentReceipt(_AmountReport):
    __name__ = 'copp.contract.payment.receipt'
