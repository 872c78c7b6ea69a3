"""The printed contract and the payment receipt (ODT, amounts in words).

The contract names both parties with their requisites: the college
(address, ИНН/КПП/ОГРН, bank or treasury details, licence), the payer —
a person (passport and address: the student's from the student's file, a
legal representative's address) or an organization (ИНН/КПП/ОГРН, address)
— and the student when the payer is someone else. What is not known prints
as a blank line to fill in by hand."""
from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.report import Report

from .amount import amount_in_words, format_amount
from .exceptions import ContractError

BLANK = '____________________'


def _format_date(date):
    return date.strftime('%d.%m.%Y') if date else ''


def _address(party):
    for address in (party.addresses if party else []):
        parts = [address.postal_code, address.city, address.street]
        text = ', '.join(p.strip() for p in parts if p and p.strip())
        if text:
            return text
    return ''


def _contacts(party):
    values = []
    for kind in ['phone', 'email']:
        values.extend(m.value for m in (party.contact_mechanisms
                if party else []) if m.type == kind and m.value)
    return ', '.join(values)


def _initials(party):
    if not party:
        return ''
    if getattr(party, 'last_name', None) and getattr(party, 'first_name',
            None):
        parts = ' '.join(f'{p[0]}.' for p in [party.first_name,
                party.patronymic] if p)
        return f'{parts} {party.last_name}'
    return party.rec_name


def college_lines(company):
    "The requisites of the college (Исполнитель)"
    lines = [company.full_name or company.rec_name]
    lines.append('Адрес: ' + (_address(company.party) or BLANK))
    lines.append(f'ИНН {company.inn or BLANK}, КПП {company.kpp or BLANK}')
    if company.ogrn:
        lines.append(f'ОГРН {company.ogrn}')
    if company.bank_personal_account:
        lines.append(f'Лицевой счёт {company.bank_personal_account}')
    lines.append('Банк: ' + (company.bank_name or BLANK))
    lines.append('БИК ' + (company.bank_bic or BLANK))
    lines.append('Счёт ' + (company.bank_account or BLANK))
    lines.append('Корр. счёт (ЕКС) '
        + (company.bank_correspondent_account or BLANK))
    if company.oktmo:
        lines.append(f'ОКТМО {company.oktmo}')
    contacts = _contacts(company.party)
    if contacts:
        lines.append('Тел., эл. почта: ' + contacts)
    return lines


def _passport(student):
    "The identity document of the student's file, or blanks"
    if student and student.id_document_number:
        text = ' '.join(p for p in [student.id_document_series or '',
                '№ ' + student.id_document_number] if p)
        issued = ', '.join(p for p in [student.id_document_issuer or '',
                _format_date(student.id_document_date),
                ('код подразделения ' + student.id_document_issuer_code)
                if student.id_document_issuer_code else ''] if p)
        return [f'Паспорт: {text}', f'Выдан: {issued or BLANK}']
    return ['Паспорт: серия ______ № __________', f'Выдан: {BLANK}']


def student_lines(student):
    "The student (Обучающийся) with birth date, passport and address"
    party = student.party
    lines = [party.name if party else student.rec_name,
        'Дата рождения: ' + (_format_date(student.birth_date) or BLANK)]
    lines.extend(_passport(student))
    lines.append('Адрес регистрации: '
        + (student.registration_address or BLANK))
    contacts = ', '.join(p for p in [student.phone, student.email] if p)
    if contacts:
        lines.append('Тел., эл. почта: ' + contacts)
    return lines


def payer_lines(contract):
    "The payer (Заказчик): a person or an organization"
    payer = contract.payer
    if contract.payer_kind == 'organization':
        lines = [payer.rec_name if payer else BLANK]
        lines.append(f"ИНН {getattr(payer, 'inn', None) or BLANK}, "
            f"КПП {getattr(payer, 'kpp', None) or BLANK}")
        ogrn = getattr(payer, 'ogrn', None)
        if ogrn:
            lines.append(f'ОГРН {ogrn}')
        lines.append('Адрес: ' + (_address(payer) or BLANK))
        contacts = _contacts(payer)
        if contacts:
            lines.append('Тел., эл. почта: ' + contacts)
        return lines
    if contract.payer_kind == 'student':
        return student_lines(contract.student)
    representative = contract.representative
    lines = [representative.name if representative else (
            payer.rec_name if payer else BLANK)]
    lines.extend(_passport(None))
    lines.append('Адрес: ' + ((representative.address if representative
                else None) or _address(payer) or BLANK))
    contacts = ', '.join(p for p in [
            representative.phone if representative else None,
            representative.email if representative else None] if p)
    if contacts:
        lines.append('Тел., эл. почта: ' + contacts)
    return lines


def parties(contract):
    """The requisites of the parties for the contract's last section and
    the names for its preamble and signatures"""
    company = contract.company
    payer = contract.payer
    self_paying = contract.payer_kind == 'student'
    if contract.payer_kind == 'organization':
        payer_name = payer.rec_name if payer else BLANK
    elif contract.payer_kind == 'representative' and contract.representative:
        payer_name = contract.representative.name
    else:
        payer_name = payer.rec_name if payer else contract.student.rec_name
    return {
        'self_paying': self_paying,
        'college': college_lines(company),
        'payer': payer_lines(contract),
        'student': student_lines(contract.student),
        'payer_name': payer_name,
        'student_name': contract.student.rec_name,
        'head': _initials(company.head),
        'head_position': (company.head_position or 'директор').lower(),
        'head_name': company.head.rec_name if company.head else BLANK,
        'licence': (f'лицензии на осуществление образовательной '
            f'деятельности № {company.licence_number} от '
            f'{_format_date(company.licence_date)}'
            if company.licence_number else ''),
        'payer_sign': _initials(payer) if payer and contract.payer_kind
        != 'organization' else '',
        'student_sign': _initials(contract.student.party),
        }


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

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['parties'] = parties
        return context


class PaymentReceipt(_AmountReport):
    __name__ = 'copp.contract.payment.receipt'

    @classmethod
    def get_context(cls, records, header, data):
        for record in records:
            if record.kind == 'refund':
                # A receipt says the money was received: not for a refund.
                raise ContractError(gettext(
                        'copp_contract.msg_receipt_refund',
                        payment=record.rec_name))
        return super().get_context(records, header, data)
