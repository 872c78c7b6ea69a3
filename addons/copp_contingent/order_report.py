"The printed order (ODT) in the usual Russian layout."
import datetime as dt
from itertools import groupby

from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.report import Report



class OrderReport(Report):
    __name__ = 'copp.contingent.order.report'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['clauses'] = cls.clauses
        context['fmt'] = lambda d: d.strftime('%d.%m.%Y') if d else ''
        context['city'] = cls.city
        context['signer_name'] = cls.signer_name
        context['signer_position'] = cls.signer_position
        return context

    @classmethod
    def city(cls, order):
        party = order.company.party
        for address in party.addresses:
            if address.city:
                return address.city
        return ''

    @classmethod
    def _signer_party(cls, order):
        if order.signer:
            return order.signer.party
        return order.company.head

    @classmethod
    def signer_name(cls, order):
        "«И.И. Иванов»"
        party = cls._signer_party(order)
        if not party:
            return ''
        if party.last_name and party.first_name:
            initials = ''.join(f'{p[0]}.' for p in [party.first_name,
                    party.patronymic] if p)
            return f'{initials} {party.last_name}'
        return party.name

    @classmethod
    def signer_position(cls, order):
        if order.signer and order.signer.position:
            position = order.signer.position
        else:
            position = order.company.head_position or ''
        return position[:1].upper() + position[1:]

    @classmethod
    def clauses(cls, order):
        """The numbered clauses of the order: (text, [(name, detail)])"""
        kind = order.kind

        def fmt(date):
            return date.strftime('%d.%m.%Y') if date else ''

        def key(line):
            date = line.date or order.effective_date or order.date
            group = line.to_group or line.from_group
            if kind in {'enrolment', 'reinstatement'}:
                return (date, group.id if group else 0,
                    line.to_course or 0, line.to_funding or '')
            if kind == 'course_transfer':
                return (date, line.from_group.id if line.from_group else 0)
            if kind == 'academic_leave':
                return (date, line.leave_reason or '',
                    line.leave_end_date or dt.date.min)
            if kind == 'expulsion':
                return (date, line.expulsion_reason or '')
            if kind == 'leave_return':
                return (date, group.id if group else 0)
            return (date,)

        lines = sorted(order.lines, key=lambda l: (key(l), l.rec_name))
        result = []
        for _, group_lines in groupby(lines, key=key):
            group_lines = list(group_lines)
            first = group_lines[0]
            text = cls._clause_text(order, first, fmt)
            students = []
            for line in group_lines:
                students.append((line.student.rec_name,
                        cls._line_detail(order, line, fmt)))
            result.append((text, students))
        return result

    @classmethod
    def _selection(cls, model, field, value):
        Model = Pool().get(model)
        selection = dict(Model.fields_get([field])[field]['selection'])
        text = selection.get(value, value) or ''
        return text[:1].lower() + text[1:]

    @classmethod
    def _clause_text(cls, order, line, fmt):
        kind = order.kind
        date = fmt(line.date or order.effective_date or order.date)
        group = line.to_group or line.from_group
        name = line.to_group_name or (group.name if group else '')
        if kind in {'enrolment', 'reinstatement'}:
            return gettext(f'copp_contingent.msg_clause_{kind}',
                date=date, course=line.to_course or group.course,
                form=gettext(
                    f'copp_contingent.msg_phrase_form_{group.study_form}'),
                specialty=group.specialty.rec_name, group=name,
                funding=gettext('copp_contingent.msg_phrase_funding_'
                    + (line.to_funding or 'budget')))
        if kind == 'course_transfer':
            group = line.from_group
            return gettext('copp_contingent.msg_clause_course_transfer',
                date=date, course=line.to_course or '',
                group=_order_group_name(order, group),
                specialty=group.specialty.rec_name if group else '')
        if kind == 'academic_leave':
            text = gettext('copp_contingent.msg_clause_academic_leave',
                date=date, reason=cls._selection(
                    'copp.contingent.order.line', 'leave_reason',
                    line.leave_reason))
            if line.leave_end_date:
                text = text.rstrip(':') + ' ' + gettext(
                    'copp_contingent.msg_phrase_until',
                    date=fmt(line.leave_end_date)) + ':'
            return text
        if kind == 'leave_return':
            return gettext('copp_contingent.msg_clause_leave_return',
                date=date, group=name)
        if kind == 'expulsion':
            return gettext('copp_contingent.msg_clause_expulsion',
                date=date, reason=cls._selection(
                    'copp.contingent.order.line', 'expulsion_reason',
                    line.expulsion_reason))
        return gettext('copp_contingent.msg_clause_transfer', date=date)

    @classmethod
    def _line_detail(cls, order, line, fmt):
        parts = []
        if order.kind == 'transfer' and (not line.to_group
                or line.to_group == line.from_group) and (
                line.to_funding and line.to_funding != line.from_funding):
            parts.append(gettext('copp_contingent.msg_detail_funding',
                    group=line.from_group.name if line.from_group else '',
                    course=line.from_course or '',
                    source=cls._selection('copp.contingent.order.line',
                        'from_funding', line.from_funding),
                    target=cls._selection('copp.contingent.order.line',
                        'to_funding', line.to_funding)))
        elif order.kind == 'transfer':
            source = line.from_group.name if line.from_group else ''
            target = line.to_group_name or (
                line.to_group.name if line.to_group else source)
            parts.append(gettext('copp_contingent.msg_detail_transfer',
                    source=source, target=target,
                    course=line.to_course or line.from_course or '',
                    funding=cls._selection('copp.contingent.order.line',
                        'to_funding',
                        line.to_funding or line.from_funding)))
        elif order.kind in {'academic_leave', 'expulsion'} and (
                line.from_group):
            parts.append(gettext('copp_contingent.msg_detail_group',
                    group=line.from_group.name,
                    course=line.from_course or ''))
        if line.student.record_book:
            # A non-breaking hyphen keeps «26-0153» on one line.
            parts.append(gettext('copp_contingent.msg_detail_record_book',
                    number=line.student.record_book.replace('-', '\u2011')))
        if line.basis:
            parts.append(line.basis)
        return '; '.join(parts)


def _order_group_name(order, group):
    for order_group in order.groups:
        if order_group.group == group:
            if order_group.to_name and order_group.to_name != (
                    order_group.from_name or group.name):
                return gettext('copp_contingent.msg_phrase_renamed',
                    old=order_group.from_name or group.name,
                    new=order_group.to_name)
            return order_group.from_name or group.name
    return group.name if group else ''
