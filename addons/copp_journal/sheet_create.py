"""Drawing the grade sheets of a term from the teaching load."""
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import (
    Button, StateAction, StateTransition, StateView, Wizard)


class SheetCreateStart(ModelView):
    "Create Grade Sheets"
    __name__ = 'copp.journal.sheet.create.start'
    __string__ = "Create Grade Sheets"

    company = fields.Many2One('company.company', "College", required=True)
    term = fields.Many2One('copp.academic.term', "Term", required=True)
    groups = fields.Many2Many('copp.study.group', None, None, "Groups",
        domain=[('company', '=', Eval('company', -1))],
        help="Empty for every group with a teaching load in the term.")
    date = fields.Date("Date", required=True)

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_term(cls):
        return Pool().get('copp.journal.workload').default_term()

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()


class SheetCreate(Wizard):
    "Create Grade Sheets"
    __name__ = 'copp.journal.sheet.create'

    start = StateView('copp.journal.sheet.create.start',
        'copp_journal.sheet_create_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Create", 'create_', 'tryton-ok', default=True),
            ])
    create_ = StateTransition()
    open_ = StateAction('copp_journal.act_sheet')

    def default_start(self, fields):
        context = Transaction().context
        values = {}
        if context.get('active_model') == 'copp.journal.workload' and (
                self.records):
            values['term'] = self.records[0].term.id
            values['company'] = self.records[0].company.id
            values['groups'] = list({w.group.id for w in self.records})
        return values

    def transition_create_(self):
        pool = Pool()
        Workload = pool.get('copp.journal.workload')
        context = Transaction().context
        if context.get('active_model') == 'copp.journal.workload' and (
                self.records):
            workloads = list(self.records)
        else:
            domain = [('company', '=', self.start.company.id),
                ('term', '=', self.start.term.id)]
            if self.start.groups:
                domain.append(('group', 'in',
                        [g.id for g in self.start.groups]))
            workloads = Workload.search(domain)
        self.sheets = create_sheets(workloads, self.start.date)
        return 'open_'

    def do_open_(self, action):
        action['pyson_domain'] = '[["id", "in", %s]]' % (
            [s.id for s in getattr(self, 'sheets', [])],)
        return action, {}


def create_sheets(workloads, date):
    """A regular sheet with its lines for each teaching load whose discipline
    has a final assessment (one per group, discipline and term: subgroups
    share it); the existing sheets are kept"""
    pool = Pool()
    Sheet = pool.get('copp.journal.sheet')
    existing = {(s.group.id, s.line.id, s.term.id) for s in Sheet.search([
                ('kind', '=', 'regular'),
                ('group', 'in', list({w.group.id for w in workloads})),
                ])}
    values, seen = [], set()
    for workload in workloads:
        key = (workload.group.id, workload.line.id, workload.term.id)
        if not workload.line.assessment or key in existing or key in seen:
            continue
        seen.add(key)
        whole = [w for w in workloads if (w.group.id, w.line.id, w.term.id)
            == key]
        students = set()
        for w in whole:
            students.update(w.audience())
        values.append({
                'company': workload.company.id,
                'kind': 'regular',
                'group': workload.group.id,
                'line': workload.line.id,
                'term': workload.term.id,
                'workload': workload.id if len(whole) == 1 else None,
                'teacher': workload.teacher.id if workload.teacher else None,
                'assessment': workload.line.assessment,
                'date': date,
                'lines': [('create', [{'student': s}
                            for s in sorted(students)])],
                })
    return Sheet.create(values)
