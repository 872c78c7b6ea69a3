"""Registration of a whole school class by the staff (back office wizard):
the pupils are pasted one per line; the tickets go to the accompanying
teacher in one e-mail."""
import datetime as dt
import re

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from copp_portal.user import valid_email

from .exceptions import RegistrationValidationError

class RegisterClassStart(ModelView):
    "Register a School Class"
    __name__ = 'copp.event.register_class.start'
    __string__ = "Register a School Class"

    event = fields.Many2One('copp.event', "Event", required=True,
        domain=[('state', '=', 'published')])
    school = fields.Char("School", required=True,
        help="E.g. «МБОУ «Школа № 5» г. Рязани».")
    grade = fields.Char("Class", required=True, help="E.g. «9 «А»».")
    teacher_name = fields.Char("Accompanying Teacher", required=True)
    teacher_phone = fields.Char("Teacher's Phone", required=True)
    teacher_email = fields.Char("Teacher's E-mail", required=True,
        help="The tickets of the class are sent to this address.")
    pupils = fields.Text("Pupils", required=True,
        help="One pupil per line: «Фамилия Имя Отчество; ДД.ММ.ГГГГ; "
        "законный представитель; телефон представителя» (columns may also "
        "be separated by tabs, as copied from a spreadsheet).")
    paper_consent = fields.Boolean("Written Consents Received",
        help="The written consents of the legal representatives to the "
        "processing of personal data are kept by the organizer.")


class RegisterClassResult(ModelView):
    "Register a School Class"
    __name__ = 'copp.event.register_class.result'
    __string__ = "Class Registration Result"

    confirmed = fields.Integer("Registered", readonly=True)
    waiting = fields.Integer("In the Waiting List", readonly=True)


class RegisterClass(Wizard):
    "Register a School Class"
    __name__ = 'copp.event.register_class'

    start = StateView('copp.event.register_class.start',
        'copp_event.register_class_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Register", 'register', 'tryton-ok', default=True),
            ])
    register = StateTransition()
    result = StateView('copp.event.register_class.result',
        'copp_event.register_class_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def default_start(self, fields):
        context = Transaction().context
        if context.get('active_model') == 'copp.event' and context.get(
                'active_id'):
            return {'event': context['active_id']}
        return {}

    def transition_register(self):
        pool = Pool()
        Registration = pool.get('copp.event.registration')
        start = self.start
        if not start.paper_consent:
            raise RegistrationValidationError(gettext(
                    'copp_event.msg_class_consent'))
        if not valid_email(start.teacher_email or ''):
            raise RegistrationValidationError(gettext(
                    'copp_event.msg_registration_email',
                    participant=start.teacher_name,
                    email=start.teacher_email))
        pupils = parse_pupils(start.pupils)
        group = f'{start.school}, {start.grade}'
        contact = f'{start.teacher_name}, {start.teacher_phone}, ' \
            f'{start.teacher_email}'
        values = [dict(pupil, category='schoolchild', source='class',
                organization=start.school, grade=start.grade,
                group_name=group, group_contact=contact,
                consent=True, consent_by='paper',
                consent_date=dt.datetime.now(),
                representative_email=None)
            for pupil in pupils]
        registrations = Registration.register(start.event, values,
            send=False)
        from .mailing import send_class_mail
        send_class_mail(start.event, registrations, start.teacher_email,
            start.teacher_name, group)
        self.result.confirmed = len(
            [r for r in registrations if r.state == 'confirmed'])
        self.result.waiting = len(
            [r for r in registrations if r.state == 'waiting'])
        return 'result'

    def default_result(self, fields):
        return {'confirmed': self.result.confirmed,
            'waiting': self.result.waiting}


def parse_pupils(text):
    """The pupils of a pasted list: [{last_name, first_name, patronymic,
    birth_date, representative_name, representative_phone}]; errors name
    the line"""
    pupils = []
    for number, line in enumerate((text or '').splitlines(), 1):
        if not line.strip():
            continue
        parts = [p.strip() for p in re.split(r'[;\t]', line)]
        names = parts[0].split()
        if len(names) < 2:
            raise RegistrationValidationError(gettext(
                    'copp_event.msg_class_line_name', line=number,
                    text=line[:80]))
        birth_date = None
        if len(parts) > 1 and parts[1]:
            for fmt in ['%d.%m.%Y', '%Y-%m-%d']:
                try:
                    birth_date = dt.datetime.strptime(parts[1], fmt).date()
                    break
                except ValueError:
                    continue
            else:
                raise RegistrationValidationError(gettext(
                        'copp_event.msg_class_line_date', line=number,
                        text=parts[1][:40]))
        pupils.append({
                'last_name': names[0],
                'first_name': names[1],
                'patronymic': ' '.join(names[2:]) or None,
                'birth_date': birth_date,
                'representative_name': (parts[2] if len(parts) > 2
                    else None) or None,
                'representative_phone': (parts[3] if len(parts) > 3
                    else None) or None,
                })
    if not pupils:
        raise RegistrationValidationError(gettext(
                'copp_event.msg_class_empty'))
    if len(pupils) > 60:
        raise RegistrationValidationError(gettext(
                'copp_event.msg_class_too_many', count=len(pupils)))
    return pupils
