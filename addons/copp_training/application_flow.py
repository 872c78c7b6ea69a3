"""The stages of an application: every move is a button of the back
office, checked (the access to the button and the record, the documents
the stage needs), written in the stage log and e-mailed to the applicant.

- check_documents: новая → документы проверены (data, scans, consent, the
  federal category, the education a further professional programme needs,
  no other application of the person to the programme in progress; the
  person is linked);
- agree: документы проверены → договор / направление (a cohort with a free
  seat, the federal quotas of the cohort and of the programme's year; the
  learner's file; a draft contract for a paid seat, sent to 1C with the
  contract);
- add_to_order: puts it in the draft enrolment order of the cohort; the
  order, once signed, moves it to «зачислен» (order.py);
- reject (reason), withdraw; reset brings a checked, rejected or
  withdrawn application back to «новая»."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import ModelView, Workflow
from trytond.pool import Pool
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction, without_check_access

from .exceptions import ApplicationError, QuotaError

REQUIRED_SCANS = ['passport', 'snils']


class ApplicationFlowMixin:
    __slots__ = ()

    @classmethod
    def _setup_flow(cls):
        cls._transitions |= {
            ('new', 'checked'),
            ('checked', 'agreement'),
            ('agreement', 'enrolled'),
            ('new', 'rejected'),
            ('checked', 'rejected'),
            ('agreement', 'rejected'),
            ('new', 'withdrawn'),
            ('checked', 'withdrawn'),
            ('agreement', 'withdrawn'),
            ('checked', 'new'),
            ('rejected', 'new'),
            ('withdrawn', 'new'),
            }
        cls._buttons.update({
                'check_documents': {
                    'invisible': Eval('state') != 'new',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'agree': {
                    'invisible': Eval('state') != 'checked',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'add_to_order': {
                    'invisible': ((Eval('state') != 'agreement')
                        | Bool(Eval('order'))),
                    'icon': 'tryton-add',
                    'depends': ['state', 'order'],
                    },
                'reject': {
                    'invisible': ~Eval('state').in_(
                        ['new', 'checked', 'agreement']),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'withdraw': {
                    'invisible': ~Eval('state').in_(
                        ['new', 'checked', 'agreement']),
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'reset': {
                    'invisible': ~Eval('state').in_(
                        ['checked', 'rejected', 'withdrawn']),
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                })

    # The stage log and the e-mail ------------------------------------------

    @classmethod
    def _log_stage(cls, applications, to_state, comment=None,
            applicant=False):
        "Record the move (who, when) and tell the applicant by e-mail"
        pool = Pool()
        Log = pool.get('copp.training.application.log')
        user = Transaction().user or None
        now = dt.datetime.now()
        with without_check_access():
            Log.create([{
                        'application': a.id,
                        'from_state': a.state,
                        'to_state': to_state,
                        'date': now,
                        'user': None if applicant else user,
                        'applicant': applicant,
                        'comment': (comment or '')[:250] or None,
                        } for a in applications])
        for application in applications:
            application.notify(to_state)

    def notify(self, to_state):
        "E-mail the applicant about the new stage"
        from copp_portal import mail
        pool = Pool()
        Application = pool.get('copp.training.application')
        if not self.email:
            return
        stage = dict(Application.fields_get(['state'])['state'][
                'selection'])[to_state]
        mail.send(self.email, gettext(
                'copp_training.msg_email_stage_subject',
                number=self.number, stage=stage),
            'training_application', name=self.full_name, application=self,
            stage=stage, to_state=to_state, origin=self)

    # Checks ---------------------------------------------------------------

    def scan_kinds(self):
        return {s.copp_scan_kind for s in self.scans if s.copp_scan_kind}

    def check_ready(self):
        """Refuse «документы проверены» with the first thing missing,
        named in Russian with the application"""
        name = self.rec_name

        def refuse(message, **kwargs):
            raise ApplicationError(gettext(
                    'copp_training.' + message, application=name, **kwargs))
        for field in ['snils', 'email', 'id_document_number',
                'education_level']:
            if not getattr(self, field):
                label = self.fields_get([field])[field]['string']
                refuse('msg_application_field_required', field=label)
        if not self.consent:
            refuse('msg_application_consent')
        kinds = self.scan_kinds()
        for kind in self.needed_scans():
            if kind not in kinds:
                refuse('msg_application_scan_missing',
                    scan=scan_label(kind))
        if self.program.kind in {'advanced', 'retraining'} and (
                self.education_level not in DPO_LEVELS()):
            refuse('msg_application_dpo_education')
        if self.funding == 'federal':
            if not self.program.federal_project:
                refuse('msg_application_no_federal')
            if not self.eligibility or not self.eligibility_confirmed:
                refuse('msg_application_eligibility')
        for other in self.program_duplicates():
            refuse('msg_application_duplicate', other=other.rec_name)

    def needed_scans(self):
        """The kinds of scans the application needs: the identity document
        and СНИЛС, the diploma but for the basic levels, the certificate of
        the change of name when the diploma has another surname"""
        needed = list(REQUIRED_SCANS)
        if self.education_level not in {None, 'none', 'basic'}:
            needed.append('diploma')
        if (self.education_document_surname and self.last_name
                and self.education_document_surname.strip().lower()
                != self.last_name.strip().lower()):
            needed.append('name_change')
        return needed

    def program_duplicates(self):
        """The applications in progress of the same person (СНИЛС, person,
        or name and birth date) to the same programme (of a saved
        application)"""
        return [o for o in self.duplicates if o.program == self.program]

    def check_seat(self):
        "A cohort that takes the applicant, a seat, the federal quotas"
        pool = Pool()
        Cohort = pool.get('copp.training.cohort')
        name = self.rec_name
        cohort = self.cohort
        if not cohort:
            raise ApplicationError(gettext(
                    'copp_training.msg_application_cohort_required',
                    application=name))
        if cohort.state not in {'open', 'running'}:
            raise ApplicationError(gettext(
                    'copp_training.msg_application_cohort_closed',
                    application=name, cohort=cohort.rec_name))
        if cohort.employer and self.employer != cohort.employer:
            raise ApplicationError(gettext(
                    'copp_training.msg_application_corporate',
                    application=name, cohort=cohort.rec_name,
                    employer=cohort.employer.rec_name))
        taken = Cohort.seats_taken([cohort.id])[cohort.id]
        if taken >= cohort.seats:
            raise QuotaError(gettext(
                    'copp_training.msg_application_no_seat',
                    application=name, cohort=cohort.rec_name,
                    seats=cohort.seats))
        if self.funding == 'federal':
            self.check_federal_quota()

    def check_federal_quota(self):
        """The federal seats of the cohort, and the programme's quota of
        the calendar year of the cohort's start"""
        pool = Pool()
        Cohort = pool.get('copp.training.cohort')
        Application = pool.get('copp.training.application')
        cohort, program = self.cohort, self.program
        taken = Cohort.seats_taken([cohort.id], federal=True)[cohort.id]
        if taken >= (cohort.federal_seats or 0):
            raise QuotaError(gettext(
                    'copp_training.msg_application_federal_cohort',
                    application=self.rec_name, cohort=cohort.rec_name,
                    seats=cohort.federal_seats or 0))
        if program.federal_quota is not None:
            year = cohort.start_date.year
            used = Application.search([
                    ('program', '=', program.id),
                    ('funding', '=', 'federal'),
                    ('state', 'in', ['agreement', 'enrolled']),
                    ('cohort.start_date', '>=', dt.date(year, 1, 1)),
                    ('cohort.start_date', '<=', dt.date(year, 12, 31)),
                    ], count=True)
            if used >= program.federal_quota:
                raise QuotaError(gettext(
                        'copp_training.msg_application_federal_program',
                        application=self.rec_name, program=program.rec_name,
                        year=year, quota=program.federal_quota))

    # The person, the file, the contract -----------------------------------

    def find_person(self):
        """The person of the application: by СНИЛС (the name and birth date
        must agree), else by name and birth date, else a new one"""
        pool = Pool()
        Party = pool.get('party.party')
        with without_check_access():
            if self.snils:
                found = Party.search([('snils', '=', self.snils)], limit=1)
                if found:
                    party, = found
                    if not _same_person(party, self):
                        raise ApplicationError(gettext(
                                'copp_training.msg_application_snils_other',
                                application=self.rec_name,
                                snils=self.snils))
                    self._complete_person(party)
                    return party
            found = [p for p in Party.search([
                        ('last_name', '=', self.last_name),
                        ('first_name', '=', self.first_name),
                        ('birth_date', '=', self.birth_date),
                        ]) if (p.patronymic or '') == (self.patronymic or '')
                and not (p.snils and self.snils and p.snils != self.snils)]
            if len(found) == 1:
                party, = found
                self._complete_person(party)
                return party
            party, = Party.create([{
                        'name': self.full_name,
                        'last_name': self.last_name,
                        'first_name': self.first_name,
                        'patronymic': self.patronymic,
                        'birth_date': self.birth_date,
                        'gender': self.gender,
                        'snils': self.snils,
                        }])
            return party

    def _complete_person(self, party):
        """Give the person found what the application states and the person
        lacks (a person made by a sign-up has no СНИЛС nor gender): the
        documents on qualification and ФИС ФРДО need them"""
        values = {name: getattr(self, name) for name in ['snils', 'gender']
            if getattr(self, name) and not getattr(party, name)}
        if values:
            party.__class__.write([party], values)

    def make_student(self):
        "The learner's file (copp.student) of the cohort, as applicant"
        pool = Pool()
        Student = pool.get('copp.student')
        from .cohort_journal import FORMAT_STUDY_FORMS
        program = self.program
        with without_check_access():
            student, = Student.create([{
                        'company': self.company.id,
                        'party': self.party.id,
                        'cohort': self.cohort.id,
                        'funding': ('contract' if self.funding in
                            PAID_FUNDINGS() else 'budget'),
                        'study_form': FORMAT_STUDY_FORMS.get(
                            program.format, 'full_time'),
                        'specialty': (program.specialty.id
                            if program.specialty else None),
                        'citizenship': self.citizenship,
                        'id_document_kind': self.id_document_kind,
                        'id_document_series': self.id_document_series,
                        'id_document_number': self.id_document_number,
                        'id_document_issuer': self.id_document_issuer,
                        'id_document_date': self.id_document_date,
                        'registration_address': self.address,
                        'phone': self.phone,
                        'email': self.email,
                        'previous_document_number': ' '.join(filter(None, [
                                    self.education_document_series,
                                    self.education_document_number]))
                        or None,
                        'previous_graduation_year':
                        self.education_document_year,
                        }])
        return student

    def make_contract(self):
        "The draft contract of a paid seat (signed by the accountant)"
        pool = Pool()
        Contract = pool.get('copp.contract')
        Date = pool.get('ir.date')
        cohort = self.cohort
        values = {
            'company': self.company.id,
            'date': Date.today(),
            'student': self.student.id,
            'subject': 'program',
            'program': self.program.id,
            'start_date': cohort.start_date,
            'end_date': cohort.end_date,
            'total_amount': cohort.price or self.program.price,
            'schedule_kind': 'single',
            }
        if self.funding == 'employer':
            values['payer_kind'] = 'organization'
            values['payer'] = self.employer.party.id
        else:
            values['payer_kind'] = 'student'
        with without_check_access():
            contract, = Contract.create([values])
            Contract.compute_schedule([contract])
        return contract

    # Buttons --------------------------------------------------------------

    @classmethod
    @ModelView.button
    @Workflow.transition('checked')
    def check_documents(cls, applications):
        for application in applications:
            application.check_ready()
        to_write = []
        for application in applications:
            party = application.find_person()
            to_write.extend([[application], {'party': party.id}])
        if to_write:
            cls.write(*to_write)
        cls._log_stage(applications, 'checked')

    @classmethod
    @ModelView.button
    @Workflow.transition('agreement')
    def agree(cls, applications):
        for application in applications:
            # One by one: the seats taken count those moved before.
            application.check_seat()
            values = {}
            if not application.student:
                values['student'] = application.make_student().id
                cls.write([application], values)
            if application.funding in PAID_FUNDINGS() and (
                    not application.contract):
                cls.write([application], {
                        'contract': application.make_contract().id})
            cls._log_stage([application], 'agreement')
            # Written now: the next application sees this seat taken.
            cls.write([application], {'state': 'agreement'})

    @classmethod
    @ModelView.button
    def add_to_order(cls, applications):
        "Put the applications in their cohort's draft enrolment order"
        pool = Pool()
        Order = pool.get('copp.training.cohort.order')
        for application in applications:
            if application.state != 'agreement':
                raise ApplicationError(gettext(
                        'copp_training.msg_application_order_stage',
                        application=application.rec_name))
        Order.enrol_applications(applications)

    @classmethod
    @ModelView.button
    @Workflow.transition('rejected')
    def reject(cls, applications):
        for application in applications:
            if not (application.reject_reason or '').strip():
                raise ApplicationError(gettext(
                        'copp_training.msg_application_reject_reason',
                        application=application.rec_name))
        for application in applications:
            application.release()
            cls._log_stage([application], 'rejected',
                comment=application.reject_reason)

    @classmethod
    @ModelView.button
    @Workflow.transition('withdrawn')
    def withdraw(cls, applications, applicant=False):
        for application in applications:
            application.release()
            cls._log_stage([application], 'withdrawn',
                comment=application.withdraw_reason, applicant=applicant)

    @classmethod
    @ModelView.button
    @Workflow.transition('new')
    def reset(cls, applications):
        cls._log_stage(applications, 'new')

    def release(self):
        """Give the seat back: the draft contract goes, the application
        leaves the draft enrolment order"""
        pool = Pool()
        Contract = pool.get('copp.contract')
        OrderLine = pool.get('copp.training.cohort.order.line')
        with without_check_access():
            if self.contract and self.contract.state == 'draft':
                contract = self.contract
                self.__class__.write([self], {'contract': None})
                Contract.delete([contract])
            lines = OrderLine.search([
                    ('application', '=', self.id),
                    ('order.state', '=', 'draft'),
                    ])
            if lines:
                OrderLine.delete(lines)
                self.__class__.write([self], {'order': None})

    def enrol(self, order, learner):
        "Called by the enrolment order when it is signed"
        self._log_stage([self], 'enrolled', comment=order.number)
        self.__class__.write([self], {
                'state': 'enrolled', 'order': order.id,
                'learner': learner.id})


def DPO_LEVELS():
    from .application import DPO_LEVELS as levels
    return levels


def PAID_FUNDINGS():
    from .application import PAID_FUNDINGS as fundings
    return fundings


def scan_label(kind):
    from .scan import SCAN_KINDS
    return gettext('copp_training.msg_scan_' + kind) if kind in dict(
        SCAN_KINDS) else kind


def _same_person(party, application):
    def norm(value):
        return (value or '').strip().lower().replace('ё', 'е')
    return (norm(party.last_name) == norm(application.last_name)
        and norm(party.first_name) == norm(application.first_name)
        and (not party.birth_date
            or party.birth_date == application.birth_date))
