"""The curriculum (учебный план) of a specialty, year of admission and form
of study: its disciplines, modules, МДК and practices with their index,
semester, hours and form of final assessment.

A discipline studied over several semesters has one line per semester (the
usual flattened form of the plan: «ОП.01, 1 семестр», «ОП.01, 2 семестр»).
"""
import re

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from copp.specialty import BASES, STUDY_FORMS

from .exceptions import JournalValidationError

ASSESSMENTS = [
    (None, ""),
    ('exam', "Exam"),
    ('credit', "Credit"),
    ('diff_credit', "Differentiated Credit"),
    ('course_work', "Course Work"),
    ('course_project', "Course Project"),
    ('qualification_exam', "Qualification Exam"),
    ('other', "Other Form of Assessment"),
    ]
# Assessments graded «зачтено / не зачтено»; every other one is graded 2–5.
PASS_FAIL_ASSESSMENTS = {'credit'}

LINE_KINDS = [
    ('general', "General Education Discipline"),
    ('discipline', "Professional Discipline"),
    ('module', "Professional Module"),
    ('mdk', "Interdisciplinary Course"),
    ('edu_practice', "Educational Practice"),
    ('work_practice', "Industrial Practice"),
    ('final_attestation', "State Final Attestation"),
    ('other', "Other"),
    ]
# Index prefixes of the ФГОС СПО curricula → kind of the line.
_KIND_PREFIXES = [
    ('МДК', 'mdk'),
    ('ПМ', 'module'),
    ('УП', 'edu_practice'),
    ('ПДП', 'work_practice'),
    ('ПП', 'work_practice'),
    ('ГИА', 'final_attestation'),
    ('ОП', 'discipline'),
    ('ОУД', 'general'),
    ('ООД', 'general'),
    ('ОГСЭ', 'general'),
    ('СГ', 'general'),
    ('ЕН', 'general'),
    ('БД', 'general'),
    ('ПД', 'general'),
    ('УД', 'general'),
    ('ОД', 'general'),
    ('ОО', 'general'),
    ('ФК', 'general'),
    ]
_LATIN = str.maketrans('ABCEHKMOPTXabcehkmoptx', 'АВСЕНКМОРТХавсенкмортх')


def normalize_index(index):
    "«мдк 01.01» → «МДК.01.01»; Latin look-alikes become Cyrillic"
    if not index:
        return index
    index = index.strip().upper().translate(_LATIN)
    index = re.sub(r'\s*\.\s*', '.', index)
    index = re.sub(r'^([А-ЯЁ]+)[\s.]*(\d)', r'\1.\2', index)
    return index


def kind_from_index(index):
    index = normalize_index(index) or ''
    head = re.split(r'[.\s\d]', index, maxsplit=1)[0]
    for prefix, kind in _KIND_PREFIXES:
        if head == prefix:
            return kind
    return 'other'


def module_index(index):
    "The module (ПМ) of a МДК, УП or ПП: МДК.01.02 → ПМ.01"
    match = re.match(r'^(?:МДК|УП|ПП)\.(\d{2})(?:\.\d+)?$',
        normalize_index(index) or '')
    if match:
        return f'ПМ.{match.group(1)}'
    return None


def semester_of(admission_year, term):
    """The semester of study (1, 2, …) of a cohort admitted in
    `admission_year` during the academic term `term`"""
    if not admission_year or not term:
        return None
    return (term.year.start_date.year - admission_year) * 2 + term.number


class Curriculum(Workflow, ModelSQL, ModelView):
    "Curriculum"
    __name__ = 'copp.journal.curriculum'
    __string__ = "Curriculum"

    _readonly = {'readonly': Eval('state') != 'draft'}

    name = fields.Char("Name", required=True, states=_readonly)
    company = fields.Many2One('company.company', "College", required=True,
        ondelete='RESTRICT', states=_readonly)
    specialty = fields.Many2One('copp.specialty', "Specialty", required=True,
        ondelete='RESTRICT', states=_readonly,
        domain=[('company', 'in', [None, Eval('company', -1)])])
    study_form = fields.Selection(STUDY_FORMS, "Form of Study",
        required=True, states=_readonly)
    basis = fields.Selection([(None, "")] + BASES, "Basis", states=_readonly,
        help="Empty when the curriculum is the same for both bases.")
    admission_year = fields.Integer("Year of Admission", required=True,
        states=_readonly,
        domain=[('admission_year', '>=', 1990),
            ('admission_year', '<=', 2100)])
    approval_date = fields.Date("Approval Date", states=_readonly)
    lines = fields.One2Many('copp.journal.curriculum.line', 'curriculum',
        "Lines", states=_readonly)
    total_hours = fields.Function(fields.Integer("Total Hours"),
        'get_totals')
    classroom_hours = fields.Function(fields.Integer("Classroom Hours"),
        'get_totals')
    state = fields.Selection([
            ('draft', "Draft"),
            ('approved', "Approved"),
            ], "State", required=True, readonly=True, sort=False)

    del _readonly

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('admission_year', 'DESC'), ('name', 'ASC'),
            ('id', 'ASC')]
        cls._sql_indexes.add(Index(t,
                (t.company, Index.Range()),
                (t.specialty, Index.Range()),
                (t.admission_year, Index.Range())))
        cls._transitions |= {('draft', 'approved'), ('approved', 'draft')}
        cls._buttons.update({
                'draft': {
                    'invisible': Eval('state') != 'approved',
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                'approve': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'import_lines': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-import',
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
    def default_study_form(cls):
        return 'full_time'

    @fields.depends('specialty', 'study_form', 'admission_year', 'basis',
        'name')
    def on_change_specialty(self):
        self._compose_name()

    @fields.depends('specialty', 'study_form', 'admission_year', 'basis',
        'name')
    def on_change_admission_year(self):
        self._compose_name()

    def _compose_name(self):
        if self.specialty and self.admission_year and not self.name:
            self.name = f'{self.specialty.code} {self.admission_year}'

    @classmethod
    def get_totals(cls, curricula, names):
        result = {n: {c.id: 0 for c in curricula} for n in names}
        for curriculum in curricula:
            for line in curriculum.lines:
                if line.kind == 'module':
                    continue  # its МДК and practices carry the hours
                if 'total_hours' in result:
                    result['total_hours'][curriculum.id] += (
                        line.hours_total or 0)
                if 'classroom_hours' in result:
                    result['classroom_hours'][curriculum.id] += (
                        line.classroom_hours or 0)
        return result

    @classmethod
    def find(cls, group):
        """The approved (else any) curriculum of a study group: same college,
        specialty, form of study and year of admission; a curriculum of the
        group's basis wins over one without basis"""
        curricula = cls.search([
                ('company', '=', group.company.id),
                ('specialty', '=', group.specialty.id),
                ('study_form', '=', group.study_form),
                ('admission_year', '=', group.admission_year),
                ('basis', 'in', [None, group.basis]),
                ])
        if not curricula:
            return None
        curricula.sort(key=lambda c: (c.state != 'approved',
                c.basis != group.basis, -c.id))
        return curricula[0]

    @classmethod
    def copy(cls, curricula, default=None):
        default = default.copy() if default else {}
        default.setdefault('state', 'draft')
        default.setdefault('approval_date', None)
        return super().copy(curricula, default=default)

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, curricula):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('approved')
    def approve(cls, curricula):
        pool = Pool()
        Date = pool.get('ir.date')
        for curriculum in curricula:
            if not curriculum.approval_date:
                curriculum.approval_date = Date.today()
        cls.save(curricula)

    @classmethod
    @ModelView.button_action('copp_journal.wizard_curriculum_import')
    def import_lines(cls, curricula):
        pass


class CurriculumLine(ModelSQL, ModelView):
    "Curriculum Line"
    __name__ = 'copp.journal.curriculum.line'
    __string__ = "Curriculum Line"

    curriculum = fields.Many2One('copp.journal.curriculum', "Curriculum",
        required=True, ondelete='CASCADE')
    company = fields.Function(fields.Many2One('company.company', "College"),
        'on_change_with_company', searcher='search_company')
    sequence = fields.Integer("Sequence")
    index = fields.Char("Index", required=True,
        help="The index of the plan: ОП.01, МДК.01.01, УП.01, ПП.01 …")
    name = fields.Char("Name", required=True)
    kind = fields.Selection(LINE_KINDS, "Kind", required=True)
    parent = fields.Many2One('copp.journal.curriculum.line', "Module",
        ondelete='SET NULL',
        domain=[('curriculum', '=', Eval('curriculum', -1)),
            ('kind', '=', 'module')],
        help="The professional module the МДК or the practice belongs to.")
    semester = fields.Integer("Semester", required=True,
        domain=[('semester', '>=', 1), ('semester', '<=', 10)])
    hours_theory = fields.Integer("Theory",
        domain=[If(Eval('hours_theory'), ('hours_theory', '>=', 0), ())],
        help="Hours of lectures and theory lessons.")
    hours_practice = fields.Integer("Practice",
        domain=[If(Eval('hours_practice'), ('hours_practice', '>=', 0), ())],
        help="Hours of practical and laboratory lessons.")
    hours_self = fields.Integer("Self-study",
        domain=[If(Eval('hours_self'), ('hours_self', '>=', 0), ())],
        help="Hours of the students' self-study.")
    hours_total = fields.Integer("Total Hours",
        domain=[If(Eval('hours_total'), ('hours_total', '>=', 0), ())],
        help="The whole volume: theory, practice, self-study, "
        "consultations and assessment.")
    classroom_hours = fields.Function(fields.Integer("Classroom Hours"),
        'on_change_with_classroom_hours')
    assessment = fields.Selection(ASSESSMENTS, "Final Assessment")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('curriculum')
        t = cls.__table__()
        cls._order = [('curriculum', 'ASC'), ('semester', 'ASC'),
            ('sequence', 'ASC NULLS LAST'), ('index', 'ASC'), ('id', 'ASC')]
        cls._sql_constraints += [
            ('index_semester_unique',
                Unique(t, t.curriculum, t.index, t.semester),
                'copp_journal.msg_curriculum_line_unique'),
            ]
        cls._sql_indexes.add(Index(t,
                (t.curriculum, Index.Range()), (t.semester, Index.Range())))

    @classmethod
    def default_kind(cls):
        return 'discipline'

    @fields.depends('curriculum', '_parent_curriculum.company')
    def on_change_with_company(self, name=None):
        if self.curriculum and self.curriculum.company:
            return self.curriculum.company.id

    @classmethod
    def search_company(cls, name, clause):
        return [('curriculum.company',) + tuple(clause[1:])]

    @fields.depends('index', 'kind')
    def on_change_index(self):
        if self.index:
            self.index = normalize_index(self.index)
            self.kind = kind_from_index(self.index)

    @fields.depends('hours_theory', 'hours_practice', 'hours_self',
        'hours_total')
    def on_change_hours_theory(self):
        self._sum_total()

    @fields.depends('hours_theory', 'hours_practice', 'hours_self',
        'hours_total')
    def on_change_hours_practice(self):
        self._sum_total()

    @fields.depends('hours_theory', 'hours_practice', 'hours_self',
        'hours_total')
    def on_change_hours_self(self):
        self._sum_total()

    def _sum_total(self):
        parts = (self.hours_theory or 0) + (self.hours_practice or 0) + (
            self.hours_self or 0)
        if not self.hours_total or self.hours_total < parts:
            self.hours_total = parts

    @fields.depends('hours_theory', 'hours_practice')
    def on_change_with_classroom_hours(self, name=None):
        return (self.hours_theory or 0) + (self.hours_practice or 0)

    def get_rec_name(self, name):
        return gettext('copp_journal.msg_line_rec_name',
            index=self.index, name=self.name, semester=self.semester)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('index', operator, operand, *extra),
            ('name', operator, operand, *extra),
            ]

    @property
    def pass_fail(self):
        return self.assessment in PASS_FAIL_ASSESSMENTS

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('index'):
            values['index'] = normalize_index(values['index'])
            if mode == 'create' and 'kind' not in values:
                values['kind'] = kind_from_index(values['index'])
        if mode == 'create' and not values.get('hours_total'):
            values['hours_total'] = sum(values.get(f) or 0 for f in [
                    'hours_theory', 'hours_practice', 'hours_self'])
        return values

    @classmethod
    def validate_fields(cls, lines, field_names):
        super().validate_fields(lines, field_names)
        hours = {'hours_theory', 'hours_practice', 'hours_self',
            'hours_total'}
        if field_names and not (hours & set(field_names)):
            return
        for line in lines:
            parts = sum(getattr(line, f) or 0 for f in [
                    'hours_theory', 'hours_practice', 'hours_self'])
            if line.hours_total is not None and line.hours_total < parts:
                raise JournalValidationError(gettext(
                        'copp_journal.msg_curriculum_line_hours',
                        line=line.rec_name, total=line.hours_total,
                        parts=parts))

    @classmethod
    def link_modules(cls, curricula):
        "Set the module (ПМ) of the МДК and practices from their indexes"
        for curriculum in curricula:
            modules = {}
            for line in curriculum.lines:
                if line.kind == 'module':
                    modules.setdefault(line.index, line)
            to_save = []
            for line in curriculum.lines:
                index = module_index(line.index)
                module = modules.get(index)
                if module and line.parent != module:
                    line.parent = module
                    to_save.append(line)
            cls.save(to_save)


class CurriculumImportStart(ModelView):
    "Import Curriculum"
    __name__ = 'copp.journal.curriculum.import.start'
    __string__ = "Import Curriculum"

    file = fields.Binary("File", required=True, filename='filename',
        help="An xlsx workbook like the template.")
    filename = fields.Char("File Name")
    replace = fields.Boolean("Replace Lines",
        help="Delete the lines of the curriculum before the import.")
    template = fields.Binary("Template", readonly=True,
        filename='template_name')
    template_name = fields.Char("Template Name", readonly=True)

    @classmethod
    def default_replace(cls):
        return True

    @classmethod
    def default_template(cls):
        from .importers import curriculum_template
        return curriculum_template()

    @classmethod
    def default_template_name(cls):
        return gettext('copp_journal.msg_curriculum_template_filename')


class CurriculumImportResult(ModelView):
    "Import Curriculum"
    __name__ = 'copp.journal.curriculum.import.result'
    __string__ = "Import Curriculum"

    message = fields.Text("Result", readonly=True)


class CurriculumImport(Wizard):
    "Import Curriculum"
    __name__ = 'copp.journal.curriculum.import'

    start = StateView('copp.journal.curriculum.import.start',
        'copp_journal.curriculum_import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Import", 'import_', 'tryton-ok', default=True),
            ])
    import_ = StateTransition()
    result = StateView('copp.journal.curriculum.import.result',
        'copp_journal.curriculum_import_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def transition_import_(self):
        from .importers import import_curriculum_lines
        curriculum = self.record
        lines = import_curriculum_lines(curriculum, self.start.file,
            replace=self.start.replace, filename=self.start.filename)
        self.result.message = gettext(
            'copp_journal.msg_curriculum_imported', count=len(lines),
            curriculum=curriculum.rec_name)
        return 'result'

    def default_result(self, fields):
        return {'message': self.result.message}
