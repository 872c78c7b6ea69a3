"""Справки об обучении (с места учёбы): the paper a college office issues
most. Each one issued is registered (copp.student.certificate) with its
number of the college's register of the year (copp.contingent.numbering,
an ir.sequence.strict per college and year), the date and the purpose.

From the student's card, «Печать → Справка об обучении» opens the wizard:
purpose and date, then the certificate is numbered and printed (ODT, or
PDF where LibreOffice is installed)."""
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import (
    Button, StateAction, StateTransition, StateView, Wizard)

from .exceptions import ContingentValidationError

DEFAULT_PURPOSE = "для предъявления по месту требования"
ISSUED_STATES = {'studying', 'academic_leave'}


class StudyCertificate(ModelSQL, ModelView):
    "Study Certificate"
    __name__ = 'copp.student.certificate'
    __string__ = "Study Certificate"

    company = fields.Many2One('company.company', "College", required=True,
        readonly=True, ondelete='RESTRICT')
    student = fields.Many2One('copp.student', "Student", required=True,
        readonly=True, ondelete='RESTRICT')
    number = fields.Char("Number", required=True, readonly=True)
    date = fields.Date("Date", required=True, readonly=True)
    purpose = fields.Char("Purpose", required=True, readonly=True,
        help="Where the certificate is to be presented.")
    issued_by = fields.Many2One('res.user', "Issued By", readonly=True,
        ondelete='SET NULL')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._sql_constraints += [
            ('number_unique', Unique(t, t.company, t.date, t.number),
                'copp_contingent.msg_certificate_number_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.student, Index.Range())),
                Index(t, (t.company, Index.Range()), (t.date, Index.Range())),
                })

    def get_rec_name(self, name):
        return gettext('copp_contingent.msg_certificate_rec_name',
            number=self.number,
            date=self.date.strftime('%d.%m.%Y') if self.date else '',
            student=self.student.rec_name if self.student else '')

    @classmethod
    def issue(cls, students, date, purpose):
        """Number and register a certificate for each student (studying or
        on academic leave) on `date`; return them"""
        pool = Pool()
        Numbering = pool.get('copp.contingent.numbering')
        values = []
        for student in students:
            if student.state not in ISSUED_STATES:
                raise ContingentValidationError(gettext(
                        'copp_contingent.msg_certificate_not_studying',
                        student=student.rec_name))
            number, = Numbering.next_certificate_numbers(
                student.company, date, 1)
            values.append({
                    'company': student.company.id,
                    'student': student.id,
                    'number': number,
                    'date': date,
                    'purpose': purpose,
                    'issued_by': Transaction().user or None,
                    })
        return cls.create(values)


class IssueCertificateStart(ModelView):
    "Issue a Study Certificate"
    __name__ = 'copp.student.certificate.issue.start'
    __string__ = "Issue a Study Certificate"

    date = fields.Date("Date", required=True)
    purpose = fields.Char("Purpose", required=True)
    students = fields.Many2Many('copp.student', None, None, "Students",
        readonly=True)
    certificates = fields.Many2Many('copp.student.certificate', None, None,
        "Certificates", readonly=True)

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_purpose(cls):
        return DEFAULT_PURPOSE


class IssueCertificate(Wizard):
    "Issue a Study Certificate"
    __name__ = 'copp.student.certificate.issue'

    start = StateView('copp.student.certificate.issue.start',
        'copp_contingent.certificate_issue_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Print (ODT)", 'issue_odt', 'tryton-print'),
            Button("Print (PDF)", 'issue_pdf', 'tryton-print',
                default=True),
            ])
    issue_odt = StateTransition()
    issue_pdf = StateTransition()
    print_odt = StateAction('copp_contingent.report_certificate')
    print_pdf = StateAction('copp_contingent.report_certificate_pdf')

    def default_start(self, fields):
        return {'students': [r.id for r in self.records]}

    def _issue(self):
        pool = Pool()
        Certificate = pool.get('copp.student.certificate')
        certificates = Certificate.issue(self.records, self.start.date,
            self.start.purpose)
        self.start.certificates = [c.id for c in certificates]

    def transition_issue_odt(self):
        self._issue()
        return 'print_odt'

    def transition_issue_pdf(self):
        self._issue()
        return 'print_pdf'

    def _report_data(self, action):
        ids = [c.id for c in self.start.certificates]
        return {'model': 'copp.student.certificate', 'id': ids[0],
            'ids': ids, 'action_id': action['id']}

    def do_print_odt(self, action):
        return action, self._report_data(action)

    def do_print_pdf(self, action):
        return action, self._report_data(action)
