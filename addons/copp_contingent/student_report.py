"""Printed documents of the student's card: the study certificate
(справка об обучении, certificate.fodt) and the student's personal card
(личная карточка студента, T-2-like, student_card.fodt).

The templates only place what the context gives: everything is computed
here (phrases of the college office, dates as ДД.ММ.ГГГГ, initials). The
printing of a student's data is registered in copp.personal_data.log by
copp's report mixin (action «print»)."""
from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.report import Report
from trytond.transaction import Transaction

from copp.party import GENDERS

from .student import EDUCATION_DOCUMENT_KINDS, ID_DOCUMENT_KINDS

BLANK = '________________'


def fmt_date(value):
    return value.strftime('%d.%m.%Y') if value else ''


def initials(party):
    "«И. И. Иванов» of a person, or its name"
    if not party:
        return ''
    if getattr(party, 'last_name', None) and getattr(party, 'first_name',
            None):
        parts = ' '.join(f'{p[0]}.' for p in [party.first_name,
                party.patronymic] if p)
        return f'{parts} {party.last_name}'
    return party.rec_name


def selection(Model, field, value):
    "The label of a selection value in the language of the report"
    if not value:
        return ''
    labels = dict(Model.fields_get([field])[field]['selection'])
    return labels.get(value, value) or ''


def address(party):
    "«390000, Рязань, ул. Ленина, 1» of the first address of a party"
    for addr in (party.addresses if party else []):
        parts = [addr.postal_code, addr.city, addr.street]
        text = ', '.join(p.strip() for p in parts if p and p.strip())
        if text:
            return text
    return ''


def contacts(party, kind):
    return ', '.join(m.value for m in (party.contact_mechanisms
            if party else []) if m.type == kind and m.value)


def college(company):
    """The heading of a college's document: name, address and
    requisites, licence and accreditation"""
    party = company.party
    lines = []
    place = address(party)
    phone, email = contacts(party, 'phone'), contacts(party, 'email')
    if place:
        lines.append(place)
    reach = '; '.join(p for p in [
            gettext('copp_contingent.msg_doc_phone', phone=phone)
            if phone else '',
            gettext('copp_contingent.msg_doc_email', email=email)
            if email else ''] if p)
    if reach:
        lines.append(reach)
    ids = ', '.join(p for p in [
            f'ИНН {company.inn}' if company.inn else '',
            f'КПП {company.kpp}' if company.kpp else '',
            f'ОГРН {company.ogrn}' if company.ogrn else ''] if p)
    if ids:
        lines.append(ids)
    if company.licence_number:
        lines.append(gettext('copp_contingent.msg_doc_licence',
                number=company.licence_number,
                date=fmt_date(company.licence_date)))
    return {
        'name': company.full_name or company.rec_name,
        'short_name': company.short_name or '',
        'lines': lines,
        'city': party.addresses[0].city if party and party.addresses
        and party.addresses[0].city else '',
        'head': initials(company.head),
        'head_position': (company.head_position or gettext(
                'copp_contingent.msg_doc_director')).capitalize(),
        }


def graduation_year(group):
    """The planned year of graduation of a group: set on the group, or its
    year of admission plus the normative duration of its specialty"""
    if not group:
        return ''
    if group.graduation_year:
        return str(group.graduation_year)
    for duration in group.specialty.durations:
        if (duration.study_form == group.study_form
                and duration.basis == group.basis):
            years, months = divmod(duration.months, 12)
            return str(group.admission_year + years + (1 if months else 0))
    return ''


def enrolment(student):
    "The movement of the student's (latest) enrolment"
    enrolments = [m for m in student.movements
        if m.kind in {'enrolment', 'reinstatement'}]
    return max(enrolments, key=lambda m: (m.date, m.id), default=None)


def clerk(user):
    "(position, «И. И. Иванова») of the user who prints"
    employee = user.employee if user else None
    if employee:
        return ((employee.position or gettext(
                    'copp_contingent.msg_doc_secretary')).capitalize(),
            initials(employee.party))
    return (gettext('copp_contingent.msg_doc_secretary').capitalize(),
        user.name if user else '')


class StudyCertificateReport(Report):
    "Справка об обучении"
    __name__ = 'copp.student.certificate.report'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['doc'] = cls.document
        return context

    @classmethod
    def document(cls, certificate):
        pool = Pool()
        Student = pool.get('copp.student')
        student = certificate.student
        group = student.group
        male = student.gender != 'female'
        entry = enrolment(student)
        form = student.study_form or (group.study_form if group else None)
        position, clerk_name = clerk(certificate.issued_by)
        specialty = student.specialty or (group.specialty if group else None)
        return {
            'college': college(certificate.company),
            'number': certificate.number,
            'date': fmt_date(certificate.date),
            'name': student.party.name if student.party else student.rec_name,
            'birth_date': fmt_date(student.birth_date),
            'verb': gettext('copp_contingent.msg_doc_studies_male' if male
                else 'copp_contingent.msg_doc_studies_female'),
            'enrolled': gettext('copp_contingent.msg_doc_enrolled_male'
                if male else 'copp_contingent.msg_doc_enrolled_female'),
            'course': student.course or (group.course if group else ''),
            'form': gettext(f'copp_contingent.msg_phrase_form_{form}')
            if form else '',
            'group': group.name if group else '',
            'specialty': (f'{specialty.code} «{specialty.name}»'
                if specialty else ''),
            'basis': gettext(
                f'copp_contingent.msg_doc_basis_{student.funding}')
            if student.funding else '',
            'on_leave': student.state == 'academic_leave',
            'order': entry.document_number if entry else BLANK,
            'order_date': fmt_date(entry.document_date or entry.date)
            if entry else BLANK,
            'enrolment_date': fmt_date(entry.date) if entry else BLANK,
            'graduation': graduation_year(group) or BLANK,
            'record_book': student.record_book or '',
            'purpose': certificate.purpose,
            'clerk_position': position,
            'clerk': clerk_name,
            'state': selection(Student, 'state', student.state),
            }


class StudentCardReport(Report):
    "Личная карточка студента"
    __name__ = 'copp.student.card'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['card'] = cls.card
        return context

    @classmethod
    def card(cls, student):
        pool = Pool()
        Student = pool.get('copp.student')
        Movement = pool.get('copp.contingent.movement')
        Representative = pool.get('copp.student.representative')
        Date = pool.get('ir.date')
        User = pool.get('res.user')
        party = student.party
        group = student.group
        document = ' '.join(p for p in [
                dict(ID_DOCUMENT_KINDS).get(student.id_document_kind)
                and selection(Student, 'id_document_kind',
                    student.id_document_kind),
                student.id_document_series or '',
                ('№ ' + student.id_document_number)
                if student.id_document_number else ''] if p)
        issued = ', '.join(p for p in [student.id_document_issuer or '',
                fmt_date(student.id_document_date),
                (gettext('copp_contingent.msg_doc_issuer_code',
                        code=student.id_document_issuer_code)
                    if student.id_document_issuer_code else '')] if p)
        education = ', '.join(p for p in [
                dict(EDUCATION_DOCUMENT_KINDS).get(
                    student.previous_document_kind)
                and selection(Student, 'previous_document_kind',
                    student.previous_document_kind),
                ('№ ' + student.previous_document_number)
                if student.previous_document_number else ''] if p)
        movements = []
        for movement in sorted(student.movements,
                key=lambda m: (m.date, m.id)):
            movements.append({
                    'date': fmt_date(movement.date),
                    'kind': selection(Movement, 'kind', movement.kind),
                    'order': ' '.join(p for p in [
                            ('№ ' + movement.document_number)
                            if movement.document_number else '',
                            ('от ' + fmt_date(movement.document_date))
                            if movement.document_date else ''] if p),
                    'group': movement.group_name or (movement.group.name
                        if movement.group else ''),
                    'course': str(movement.course or ''),
                    'reason': selection(Movement, 'reason', movement.reason),
                    })
        representatives = [{
                'name': r.name,
                'relation': selection(Representative, 'relation',
                    r.relation),
                'contacts': ', '.join(p for p in [r.phone, r.email] if p),
                'address': r.address or '',
                } for r in student.representatives]
        user = Transaction().user
        position, clerk_name = clerk(User(user) if user else None)
        return {
            'college': college(student.company),
            'today': fmt_date(Date.today()),
            'record_book': student.record_book or BLANK,
            'last_name': (party.last_name or '') if party else '',
            'first_name': (party.first_name or '') if party else '',
            'patronymic': (party.patronymic or '') if party else '',
            'birth_date': fmt_date(student.birth_date),
            'gender': dict(GENDERS).get(student.gender) and selection(
                Student, 'gender', student.gender),
            'citizenship': ('Российская Федерация'
                if student.citizenship == '643'
                else student.citizenship or ''),
            'snils': student.snils or '',
            'document': document,
            'issued': issued,
            'registration_address': student.registration_address or '',
            'actual_address': student.actual_address or '',
            'phone': student.phone or '',
            'email': student.email or '',
            'previous_school': student.previous_school or '',
            'education': education,
            'graduation_year': str(student.previous_graduation_year or ''),
            'average_mark': (str(student.average_mark).replace('.', ',')
                if student.average_mark is not None else ''),
            'specialty': (f'{student.specialty.code} '
                f'«{student.specialty.name}»' if student.specialty else ''),
            'form': selection(Student, 'study_form', student.study_form),
            'funding': selection(Student, 'funding', student.funding),
            'group': group.name if group else '',
            'course': str(student.course or ''),
            'state': selection(Student, 'state', student.state),
            'enrolment_date': fmt_date(student.enrolment_date),
            'movements': movements,
            'representatives': representatives,
            'clerk_position': position,
            'clerk': clerk_name,
            }
