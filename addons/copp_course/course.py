"""Electronic courses (электронные курсы) of a programme of the catalogue
or of a college discipline: sections and lessons, a workflow draft →
published → archived, versions, enrolments of cohorts or study groups.

The ownership checks of every cabinet page are here: `is_learner` and
`learner_courses` answer from the enrolments in a few queries (a learner of
an enrolled cohort, a student of an enrolled study group)."""
from sql import Literal, Union
from sql.aggregate import Count, Sum
from sql.conditionals import Case

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access

from copp.workflow import state_button

from .exceptions import CourseValidationError

STATES = [
    ('draft', "Draft"),
    ('published', "Published"),
    ('archived', "Archived"),
    ]
# States whose courses the learners see in the cabinet: an archived
# course stays readable by those who were enrolled (their results).
VISIBLE_STATES = ('published', 'archived')
# The learners of a cohort and the students of a group who take courses.
LEARNER_STATES = ('studying', 'completed')
STUDENT_STATES = ('studying', 'academic_leave')


class Course(Workflow, ModelSQL, ModelView):
    "Course"
    __name__ = 'copp.course'
    __string__ = "Course"

    _draft = {'readonly': Eval('state') == 'archived'}

    company = fields.Many2One('company.company', "Organization",
        required=True, ondelete='RESTRICT',
        states={'readonly': Eval('id', -1) > 0},
        help="The ЦОПП or the college that authors the course.")
    name = fields.Char("Name", required=True, states=_draft)
    code = fields.Char("Code", states=_draft)
    description = fields.Text("Description", states=_draft,
        help="Shown to the learners on the course page (plain text).")
    program = fields.Many2One('copp.program', "Programme",
        ondelete='RESTRICT', states=_draft,
        domain=[('company', '=', Eval('company', -1))])
    discipline = fields.Many2One('copp.journal.curriculum.line',
        "Discipline", ondelete='RESTRICT', states=_draft,
        domain=[('curriculum.company', '=', Eval('company', -1))],
        help="The discipline of a college curriculum whose journal gets "
        "the course grade.")
    pass_grade = fields.Numeric("Pass Grade, %", digits=(5, 2),
        required=True, states=_draft,
        domain=[('pass_grade', '>=', 0), ('pass_grade', '<=', 100)],
        help="The course grade (percent) that gives at least «3» in the "
        "journal.")
    final_attestation = fields.Boolean("Final Attestation",
        states={'readonly': Eval('state') == 'archived'},
        help="The course result is the final attestation of the programme "
        "for the learners of the enrolled cohorts (attestation_flow.py).")
    state = fields.Selection(STATES, "State", required=True, readonly=True,
        sort=False)
    version = fields.Integer("Version", required=True, readonly=True)
    previous_version = fields.Many2One('copp.course', "Previous Version",
        readonly=True, ondelete='SET NULL')
    sections = fields.One2Many('copp.course.section', 'course', "Sections",
        states=_draft)
    lessons = fields.One2Many('copp.course.lesson', 'course', "Lessons",
        states=_draft)
    enrolments = fields.One2Many('copp.course.enrolment', 'course',
        "Enrolments", states=_draft)
    participants = fields.One2Many('copp.course.participant', 'course',
        "Participants", readonly=True)
    lesson_count = fields.Function(fields.Integer("Lessons #"),
        'get_counts')
    participant_count = fields.Function(fields.Integer("Participants #"),
        'get_counts')
    completed_count = fields.Function(fields.Integer("Completed #"),
        'get_counts')

    del _draft

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('name', 'ASC'), ('version', 'DESC'), ('id', 'DESC')]
        cls._sql_indexes.update({
                Index(t, (t.company, Index.Range()),
                    (t.state, Index.Equality(cardinality='low'))),
                Index(t, (t.program, Index.Range())),
                })
        cls._transitions |= {
            ('draft', 'published'),
            ('published', 'draft'),
            ('published', 'archived'),
            ('archived', 'published'),
            }
        cls._buttons.update({
                'draft': state_button('tryton-undo', ['published']),
                'publish': state_button('tryton-ok', ['draft', 'archived']),
                'archive': state_button('tryton-archive', ['published']),
                'new_version': state_button('tryton-copy',
                    ['published', 'archived']),
                'sync_participants': state_button('tryton-refresh',
                    ['published']),
                'transfer_grades': state_button('tryton-forward',
                    ['published', 'archived']),
                # Only for a course of the final attestation
                'transfer_attestation': {
                    'invisible': (
                        ~Eval('state').in_(['published', 'archived'])
                        | ~Eval('final_attestation')),
                    'icon': 'tryton-forward',
                    'depends': ['state', 'final_attestation'],
                    },
                'transfer_attendance': state_button('tryton-forward',
                    ['published', 'archived']),
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_version(cls):
        return 1

    @classmethod
    def default_pass_grade(cls):
        from decimal import Decimal
        return Decimal(50)

    @classmethod
    def default_final_attestation(cls):
        return False

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    def get_rec_name(self, name):
        text = self.name or ''
        if self.code:
            text = f'[{self.code}] {text}'
        if (self.version or 1) > 1:
            text += ' ' + gettext('copp_course.msg_course_version',
                version=self.version)
        return text

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('name', operator, operand, *extra),
            ('code', operator, operand, *extra),
            ]

    @classmethod
    def get_counts(cls, courses, names):
        "Counted by the database: one grouped query per slice of courses"
        pool = Pool()
        lesson = pool.get('copp.course.lesson').__table__()
        participant = pool.get('copp.course.participant').__table__()
        cursor = Transaction().connection.cursor()
        ids = [c.id for c in courses]
        result = {n: {i: 0 for i in ids} for n in names}
        for sub_ids in grouped_slice(ids, 1000):
            sub_ids = list(sub_ids)
            if 'lesson_count' in names:
                cursor.execute(*lesson.select(
                        lesson.course, Count(lesson.id),
                        where=fields.SQL_OPERATORS['in'](
                            lesson.course, sub_ids),
                        group_by=[lesson.course]))
                result['lesson_count'].update(cursor)
            if {'participant_count', 'completed_count'} & set(names):
                cursor.execute(*participant.select(
                        participant.course, Count(participant.id),
                        Sum(Case((participant.completed == Literal(True),
                                    Literal(1)), else_=Literal(0))),
                        where=fields.SQL_OPERATORS['in'](participant.course,
                            sub_ids),
                        group_by=[participant.course]))
                for course, total, completed in cursor:
                    if 'participant_count' in result:
                        result['participant_count'][course] = total
                    if 'completed_count' in result:
                        result['completed_count'][course] = completed or 0
        return result

    @classmethod
    def validate(cls, courses):
        super().validate(courses)
        for course in courses:
            if (course.discipline and course.discipline.curriculum.company
                    != course.company):
                raise CourseValidationError(gettext(
                        'copp_course.msg_course_discipline_company',
                        course=course.rec_name))

    @classmethod
    def copy(cls, courses, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('state', 'draft')
        default.setdefault('enrolments', None)
        default.setdefault('participants', None)
        default.setdefault('sections', None)
        default.setdefault('lessons', None)
        default.setdefault('version', 1)
        default.setdefault('previous_version', None)
        new_courses = super().copy(courses, default=default)
        for course, new in zip(courses, new_courses):
            course.copy_structure(new)
        return new_courses

    def copy_structure(self, target):
        """Copy the sections and lessons to `target`, the prerequisites
        pointing at the copies"""
        pool = Pool()
        Section = pool.get('copp.course.section')
        Lesson = pool.get('copp.course.lesson')
        sections = {}
        for section in self.sections:
            new, = Section.copy([section], default={'course': target.id})
            sections[section.id] = new.id
        lessons = {}
        originals = list(self.lessons)
        for lesson in originals:
            new, = Lesson.copy([lesson], default={
                    'course': target.id,
                    'section': (sections.get(lesson.section.id)
                        if lesson.section else None),
                    'prerequisites': None,
                    })
            lessons[lesson.id] = new
        to_write = []
        for lesson in originals:
            if lesson.prerequisites:
                to_write.extend([[lessons[lesson.id]], {
                            'prerequisites': [('add', [
                                        lessons[p.id].id
                                        for p in lesson.prerequisites])],
                            }])
        if to_write:
            Lesson.write(*to_write)

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, courses):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('published')
    def publish(cls, courses):
        cls.update_participants(courses)

    @classmethod
    @ModelView.button
    @Workflow.transition('archived')
    def archive(cls, courses):
        pass

    @classmethod
    @ModelView.button_action('copp_course.act_course_form')
    def new_version(cls, courses):
        """A draft copy of each course as the next version; the learners
        and the progress stay on the old one"""
        new = []
        for course in courses:
            copy, = cls.copy([course], default={
                    'version': (course.version or 1) + 1,
                    'previous_version': course.id,
                    'enrolments': None,
                    })
            new.append(copy)
        if len(new) == 1:
            return {'res_id': [new[0].id]}
        return {'res_id': [c.id for c in new]}

    @classmethod
    @ModelView.button
    def sync_participants(cls, courses):
        cls.update_participants(courses)

    @classmethod
    def update_participants(cls, courses):
        "Create a result row for every learner of the enrolments"
        pool = Pool()
        Participant = pool.get('copp.course.participant')
        # The results are the system's rows: the author may read them
        with without_check_access():
            Participant.ensure(cls.enrolment_learners(courses))

    @classmethod
    @ModelView.button
    def transfer_grades(cls, courses):
        "Send the grades of the completed participants to the journal"
        Participant = Pool().get('copp.course.participant')
        with without_check_access():
            Participant.send_to_journal(cls._completed_participants(courses))

    @classmethod
    @ModelView.button
    def transfer_attestation(cls, courses):
        """Write the results of the completed participants as the final
        attestation of their cohort learners (attestation_flow.py)"""
        Participant = Pool().get('copp.course.participant')
        with without_check_access():
            Participant.send_to_attestation(cls._completed_participants(
                    [c for c in courses if c.final_attestation]))

    @classmethod
    def _completed_participants(cls, courses):
        """The completed participants of the courses, their learners and
        results brought up to date first"""
        Participant = Pool().get('copp.course.participant')
        cls.update_participants(
            [c for c in courses if c.state == 'published'])
        with without_check_access():
            participants = Participant.search([
                    ('course', 'in', [c.id for c in courses]),
                    ])
            Participant.recompute(participants)
            return [p for p in Participant.browse(participants)
                if p.completed]

    @classmethod
    @ModelView.button
    def transfer_attendance(cls, courses):
        """Write the absences of the learners who did not join the online
        sessions (online_flow.py)"""
        from .online_flow import transfer_attendance
        transfer_attendance(courses)

    # Learners -----------------------------------------------------------
    @classmethod
    def _learner_query(cls, course_ids=None, party_id=None,
            visible_only=True):
        """python-sql query of (course, enrolment, party) for the learners
        of the enrolments of the courses"""
        pool = Pool()
        Enrolment = pool.get('copp.course.enrolment')
        Learner = pool.get('copp.training.learner')
        Student = pool.get('copp.student')
        course = cls.__table__()
        enrolment, learner = Enrolment.__table__(), Learner.__table__()
        enrolment2, student = Enrolment.__table__(), Student.__table__()
        course2 = cls.__table__()

        def where(c, e, person):
            cond = Literal(True)
            if visible_only:
                cond &= c.state.in_(list(VISIBLE_STATES))
            if course_ids is not None:
                cond &= e.course.in_(list(course_ids) or [-1])
            if party_id is not None:
                cond &= person == party_id
            return cond

        by_cohort = enrolment.join(course,
            condition=course.id == enrolment.course
            ).join(learner, condition=learner.cohort == enrolment.cohort
            ).select(enrolment.course, enrolment.id, learner.party,
                where=where(course, enrolment, learner.party)
                & learner.state.in_(list(LEARNER_STATES)))
        by_group = enrolment2.join(course2,
            condition=course2.id == enrolment2.course
            ).join(student, condition=student.group == enrolment2.group
            ).select(enrolment2.course, enrolment2.id, student.party,
                where=where(course2, enrolment2, student.party)
                & student.state.in_(list(STUDENT_STATES)))
        return Union(by_cohort, by_group)

    @classmethod
    def enrolment_learners(cls, courses):
        """{(course id, party id): enrolment id} of the learners of the
        courses (whatever their state)"""
        cursor = Transaction().connection.cursor()
        cursor.execute(*cls._learner_query(
                course_ids=[int(c) for c in courses], visible_only=False))
        result = {}
        for course_id, enrolment_id, party_id in cursor:
            if party_id is None:
                continue
            key = (course_id, party_id)
            result[key] = min(enrolment_id, result.get(key, enrolment_id))
        return result

    @classmethod
    def is_learner(cls, course, party):
        """True if `party` is a learner of the published (or archived)
        course `course`: the check of every cabinet page"""
        if course is None or party is None:
            return False
        cursor = Transaction().connection.cursor()
        cursor.execute(*cls._learner_query(
                course_ids=[int(course)], party_id=int(party)))
        return cursor.fetchone() is not None

    @classmethod
    def learner_courses(cls, party):
        "The published or archived courses `party` is a learner of"
        if party is None:
            return []
        cursor = Transaction().connection.cursor()
        cursor.execute(*cls._learner_query(party_id=int(party)))
        ids = sorted({row[0] for row in cursor})
        return cls.browse(ids)
