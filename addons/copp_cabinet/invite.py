"""«Пригласить в личный кабинет»: the clerk invites the students of a group
(or selected students) and their legal representatives at once; sending
again to those invited whose link was not used. The result lists, per
person, what happened — and what the clerk has to fix (no e-mail on the
file, an e-mail used by another person's account)."""
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .account import invite_student
from .student import describe

STATES = ['applicant', 'studying', 'academic_leave']


class InviteStart(ModelView):
    "Invite to the Personal Cabinet"
    __name__ = 'copp.cabinet.invite.start'
    __string__ = "Invite to the Personal Cabinet"

    students = fields.Many2Many('copp.student', None, None, "Students",
        required=True, domain=[('state', 'in', STATES)])
    representatives = fields.Boolean("Legal Representatives Too",
        help="Invite the representatives who have an e-mail on the file; "
        "a parent of several children gets one account.")
    resend = fields.Boolean("Send Again to the Invited",
        help="Send a new link to those invited who have not set a password "
        "yet (the previous link stops working).")


class InviteResult(ModelView):
    "Invitations Sent"
    __name__ = 'copp.cabinet.invite.result'
    __string__ = "Invitations Sent"

    summary = fields.Char("Summary", readonly=True)
    details = fields.Text("Details", readonly=True)


class Invite(Wizard):
    "Invite to the Personal Cabinet"
    __name__ = 'copp.cabinet.invite'

    start = StateView('copp.cabinet.invite.start',
        'copp_cabinet.invite_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Invite", 'invite', 'tryton-ok', default=True),
            ])
    invite = StateTransition()
    result = StateView('copp.cabinet.invite.result',
        'copp_cabinet.invite_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def default_start(self, fields):
        pool = Pool()
        Student = pool.get('copp.student')
        context = Transaction().context
        ids = context.get('active_ids') or []
        model = context.get('active_model')
        if model == 'copp.study.group':
            students = Student.search([('group', 'in', ids),
                    ('state', 'in', STATES)])
        elif model == 'copp.student':
            students = Student.search([('id', 'in', ids),
                    ('state', 'in', STATES)])
        else:
            students = []
        return {
            'students': [s.id for s in students],
            'representatives': True,
            'resend': True,
            }

    def transition_invite(self):
        outcomes = []
        for student in self.start.students:
            outcomes += invite_student(student,
                representatives=self.start.representatives,
                resend=self.start.resend)
        counts = {}
        for outcome in outcomes:
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
        self.result.summary = gettext('copp_cabinet.msg_invite_summary',
            sent=counts.get('invited', 0) + counts.get('resent', 0),
            linked=counts.get('linked', 0), active=counts.get('active', 0),
            problems=counts.get('no_email', 0)
            + counts.get('email_taken', 0))
        problems = [o for o in outcomes
            if o.status in {'no_email', 'email_taken'}]
        rest = [o for o in outcomes if o not in problems]
        self.result.details = describe(problems + rest)
        return 'result'

    def default_result(self, fields):
        return {
            'summary': self.result.summary,
            'details': self.result.details,
            }
