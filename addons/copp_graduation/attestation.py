"""The final state attestation (ГИА) of a graduating group: its form,
commission, dates and the results per student. Admission is computed from
the academic debts (copp_journal): a student with a debt is not admitted.
From the results the attestation drafts the graduation order (through the
contingent's orders: expulsion for «окончание обучения») and the diplomas.
"""
from collections import defaultdict

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval, PYSONEncoder
from trytond.transaction import Transaction

from copp_journal.debt import debts_query

from .exceptions import AttestationError

GIA_FORMS = [
    ('demo_exam', "Demonstration Exam"),
    ('thesis', "Defence of the Graduation Thesis"),
    ('both', "Demonstration Exam and Thesis Defence"),
    ]
GIA_GRADES = [
    (None, ""),
    ('5', "5 (Excellent)"),
    ('4', "4 (Good)"),
    ('3', "3 (Satisfactory)"),
    ('2', "2 (Unsatisfactory)"),
    ('absent', "No-show"),
    ]
DEMO_LEVELS = [
    (None, ""),
    ('basic', "Basic"),
    ('profile', "Profile"),
    ]
TEST_NAMES = {
    'demo': "демонстрационный экзамен",
    'thesis': "защита выпускной квалификационной работы",
    }


class Attestation(Workflow, ModelSQL, ModelView):
    "Final State Attestation"
    __name__ = 'copp.graduation.attestation'
    __string__ = "Final State Attestation"

    _draft = {'readonly': Eval('state') != 'draft'}
    company = fields.Many2One('company.company', "College", required=True,
        ondelete='RESTRICT', states=_draft)
    group = fields.Many2One('copp.study.group', "Group", required=True,
        ondelete='RESTRICT', states=_draft,
        domain=[('company', '=', Eval('company', -1))])
    form = fields.Selection(GIA_FORMS, "Form", required=True, states=_draft)
    date_from = fields.Date("From", required=True, states=_draft)
    date_to = fields.Date("To", required=True, states=_draft,
        domain=[('date_to', '>=', Eval('date_from', None))])
    chairman = fields.Char("Chairman of the Commission", states=_draft)
    commission = fields.Text("Members of the Commission", states=_draft)
    lines = fields.One2Many('copp.graduation.attestation.line',
        'attestation', "Results", states=_draft)
    order = fields.Many2One('copp.contingent.order', "Graduation Order",
        readonly=True, ondelete='SET NULL')
    admitted_count = fields.Function(fields.Integer("Admitted"),
        'get_counts')
    passed_count = fields.Function(fields.Integer("Passed"), 'get_counts')
    state = fields.Selection([
            ('draft', "Draft"),
            ('done', "Done"),
            ], "State", required=True, readonly=True, sort=False)
    del _draft

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('date_from', 'DESC'), ('id', 'DESC')]
        cls._sql_indexes.add(Index(t, (t.company, Index.Range()),
                (t.group, Index.Range())))
        cls._transitions |= {('draft', 'done'), ('done', 'draft')}
        cls._buttons.update({
                'fill': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-refresh',
                    'depends': ['state'],
                    },
                'done': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': (Eval('state') != 'done')
                    | Eval('order', None),
                    'icon': 'tryton-undo',
                    'depends': ['state', 'order'],
                    },
                'create_order': {
                    'invisible': (Eval('state') != 'done')
                    | Eval('order', None),
                    'icon': 'tryton-forward',
                    'depends': ['state', 'order'],
                    },
                'create_documents': {
                    'invisible': Eval('state') != 'done',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_form(cls):
        return 'demo_exam'

    def get_rec_name(self, name):
        return gettext('copp_graduation.msg_attestation_rec_name',
            group=self.group.rec_name, year=self.date_from.year)

    @classmethod
    def get_counts(cls, attestations, names):
        result = {n: {} for n in names}
        for attestation in attestations:
            lines = attestation.lines
            if 'admitted_count' in names:
                result['admitted_count'][attestation.id] = sum(
                    1 for l in lines if l.admitted)
            if 'passed_count' in names:
                result['passed_count'][attestation.id] = sum(
                    1 for l in lines if l.passed)
        return result

    @classmethod
    @ModelView.button
    def fill(cls, attestations):
        """Add a line for every studying student of the group and compute
        the admission of every line from the academic debts"""
        pool = Pool()
        Line = pool.get('copp.graduation.attestation.line')
        Student = pool.get('copp.student')
        new = []
        for attestation in attestations:
            if attestation.state != 'draft':
                continue
            have = {l.student.id for l in attestation.lines}
            for student in Student.search([
                        ('group', '=', attestation.group.id),
                        ('state', '=', 'studying'),
                        ], order=[('party', 'ASC')]):
                if student.id not in have:
                    new.append({'attestation': attestation.id,
                            'student': student.id})
        Line.create(new)
        Line.update_admission([l for a in cls.browse(attestations)
                if a.state == 'draft' for l in a.lines])

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def done(cls, attestations):
        for attestation in attestations:
            if not attestation.lines:
                raise AttestationError(gettext(
                        'copp_graduation.msg_attestation_empty',
                        attestation=attestation.rec_name))
            for line in attestation.lines:
                line.check_result()

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, attestations):
        pass

    @classmethod
    @ModelView.button
    def create_order(cls, attestations):
        """Draft the graduation order of the students who passed: the
        contingent's order «отчисление» for «окончание обучения», signed
        as any order"""
        pool = Pool()
        Order = pool.get('copp.contingent.order')
        for attestation in attestations:
            if attestation.order and attestation.order.state != 'cancelled':
                continue
            passed = [l.student for l in attestation.lines if l.passed]
            if not passed:
                raise AttestationError(gettext(
                        'copp_graduation.msg_attestation_nobody_passed',
                        attestation=attestation.rec_name))
            order, = Order.create([{
                        'company': attestation.company.id,
                        'kind': 'expulsion',
                        'date': attestation.date_to,
                        'effective_date': attestation.date_to,
                        'basis': gettext(
                            'copp_graduation.msg_order_basis',
                            attestation=attestation.rec_name),
                        'lines': [('create', [{
                                        'student': s.id,
                                        'expulsion_reason': 'graduation',
                                        } for s in passed])],
                        }])
            attestation.order = order
            attestation.save()

    @classmethod
    @ModelView.button_action('copp_graduation.act_document')
    def create_documents(cls, attestations):
        """Draft the diplomas (draft_documents) and open the diplomas of
        the students who passed"""
        pool = Pool()
        Document = pool.get('copp.graduation.document')
        cls.draft_documents(attestations)
        # a button returns JSON: the action, not the records
        documents = Document.search(cls._diplomas_domain(attestations))
        return {'pyson_domain': PYSONEncoder().encode(
                [('id', 'in', [d.id for d in documents])])}

    @classmethod
    def _diplomas_domain(cls, attestations):
        "The original diplomas, not cancelled, of the students who passed"
        return [
            ('student', 'in', [l.student.id for a in attestations
                    for l in a.lines if l.passed]),
            ('kind', '=', 'diploma'),
            ('status', '=', 'original'),
            ('state', '!=', 'cancelled'),
            ]

    @classmethod
    def draft_documents(cls, attestations):
        """Draft a diploma for every student who passed and has none, with
        the supplement and honours computed; returns the new documents"""
        pool = Pool()
        Document = pool.get('copp.graduation.document')
        new = []
        for attestation in attestations:
            passed = [l.student for l in attestation.lines if l.passed]
            have = {d.student.id for d in Document.search(
                    cls._diplomas_domain([attestation]))}
            for student in passed:
                if student.id in have:
                    continue
                values = Document.values_from_student(
                    student, attestation.group)
                values.update({
                        'company': attestation.company.id,
                        'student': student.id,
                        'kind': 'diploma', 'status': 'original',
                        'graduation_year': attestation.date_to.year,
                        })
                new.append(values)
        documents = Document.create(new)
        Document.compute(documents)
        return documents


class AttestationLine(ModelSQL, ModelView):
    "Final State Attestation Result"
    __name__ = 'copp.graduation.attestation.line'
    __string__ = "Final State Attestation Result"

    attestation = fields.Many2One('copp.graduation.attestation',
        "Attestation", required=True, ondelete='CASCADE')
    form = fields.Function(fields.Selection(GIA_FORMS, "Form"),
        'on_change_with_form')
    student = fields.Many2One('copp.student', "Student", required=True,
        ondelete='RESTRICT')
    debts = fields.Integer("Academic Debts", readonly=True)
    admitted = fields.Boolean("Admitted", readonly=True,
        help="Computed from the academic debts: a student with debts is "
        "not admitted.")
    demo_grade = fields.Selection(GIA_GRADES, "Demonstration Exam Grade",
        states={'invisible': Eval('form') == 'thesis',
            'readonly': ~Eval('admitted')})
    demo_score = fields.Numeric("Demonstration Exam Score", digits=(5, 2),
        domain=['OR', ('demo_score', '=', None),
            [('demo_score', '>=', 0), ('demo_score', '<=', 100)]],
        states={'invisible': Eval('form') == 'thesis',
            'readonly': ~Eval('admitted')})
    demo_level = fields.Selection(DEMO_LEVELS, "Demonstration Exam Level",
        states={'invisible': Eval('form') == 'thesis',
            'readonly': ~Eval('admitted')})
    thesis_topic = fields.Char("Thesis Topic",
        states={'invisible': Eval('form') == 'demo_exam'})
    thesis_grade = fields.Selection(GIA_GRADES, "Thesis Grade",
        states={'invisible': Eval('form') == 'demo_exam',
            'readonly': ~Eval('admitted')})
    passed = fields.Function(fields.Boolean("Passed"), 'get_passed')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('attestation')
        # the class list: by name, as in the protocol of the commission
        cls._order.insert(0, ('student.party', 'ASC'))

    @fields.depends('attestation', '_parent_attestation.form')
    def on_change_with_form(self, name=None):
        return self.attestation.form if self.attestation else None

    def tests(self):
        "[(test, grade field)] the form of the attestation requires"
        form = self.attestation.form
        return [(key, f'{key}_grade') for key in ['demo', 'thesis']
            if form == 'both' or form == {'demo': 'demo_exam',
                'thesis': 'thesis'}[key]]

    def get_passed(self, name):
        return bool(self.admitted) and all(
            getattr(self, f) in {'5', '4', '3'} for _, f in self.tests())

    def check_result(self):
        params = {'student': self.student.rec_name,
            'attestation': self.attestation.rec_name}
        graded = [f for _, f in self.tests() if getattr(self, f)]
        if not self.admitted and graded:
            raise AttestationError(gettext(
                    'copp_graduation.msg_attestation_not_admitted',
                    **params))
        if self.admitted and len(graded) != len(self.tests()):
            raise AttestationError(gettext(
                    'copp_graduation.msg_attestation_missing_grade',
                    **params))

    @classmethod
    def update_admission(cls, lines):
        "Admission from the debts of all the lines' students in one query"
        if not lines:
            return
        query = debts_query(student_ids=[l.student.id for l in lines])
        cursor = Transaction().connection.cursor()
        cursor.execute(*query.select(query.student))
        debts = defaultdict(int)
        for student, in cursor:
            debts[student] += 1
        to_write = []
        for line in lines:
            count = debts[line.student.id]
            values = {'debts': count, 'admitted': count == 0}
            if count:
                values.update({'demo_grade': None, 'thesis_grade': None,
                        'demo_score': None, 'demo_level': None})
            to_write.extend([[line], values])
        cls.write(*to_write)

    @classmethod
    def results(cls, student_ids):
        """{student id: [(name of the test, grade)]} of the latest done
        attestation of each student"""
        lines = cls.search([
                ('student', 'in', list(student_ids)),
                ('attestation.state', '=', 'done'),
                ], order=[('attestation.date_to', 'ASC'), ('id', 'ASC')])
        result = {}
        for line in lines:
            result[line.student.id] = [(TEST_NAMES[key], getattr(line, f))
                for key, f in line.tests()]
        return result
