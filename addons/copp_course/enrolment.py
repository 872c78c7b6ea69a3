"""The enrolment of a course: a cohort of the ЦОПП catalogue (its learners)
or a study group of a college (its students) — one of the two. The
learners of the course are those people (parties)."""
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Bool, Eval

from .exceptions import CourseValidationError


class Enrolment(ModelSQL, ModelView):
    "Course Enrolment"
    __name__ = 'copp.course.enrolment'
    __string__ = "Course Enrolment"

    course = fields.Many2One('copp.course', "Course", required=True,
        ondelete='CASCADE')
    cohort = fields.Many2One('copp.training.cohort', "Cohort",
        ondelete='RESTRICT',
        states={'readonly': Bool(Eval('group'))},
        help="The learners of this cohort take the course.")
    group = fields.Many2One('copp.study.group', "Study Group",
        ondelete='RESTRICT',
        states={'readonly': Bool(Eval('cohort'))},
        help="The students of this group take the course.")
    learner_count = fields.Function(fields.Integer("Learners"),
        'get_learner_count')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('course')
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.course, Index.Range())),
                Index(t, (t.cohort, Index.Range())),
                Index(t, (t.group, Index.Range())),
                })

    def get_rec_name(self, name):
        audience = self.cohort or self.group
        return audience.rec_name if audience else ''

    @classmethod
    def get_learner_count(cls, enrolments, name):
        pool = Pool()
        Course = pool.get('copp.course')
        counts = {e.id: 0 for e in enrolments}
        learners = Course.enrolment_learners({e.course.id for e in enrolments})
        for enrolment_id in learners.values():
            if enrolment_id in counts:
                counts[enrolment_id] += 1
        return counts

    @classmethod
    def validate(cls, enrolments):
        super().validate(enrolments)
        for enrolment in enrolments:
            if bool(enrolment.cohort) == bool(enrolment.group):
                raise CourseValidationError(gettext(
                        'copp_course.msg_enrolment_one',
                        course=enrolment.course.rec_name))
            duplicates = cls.search([
                    ('course', '=', enrolment.course.id),
                    ('id', '!=', enrolment.id),
                    ('cohort', '=', enrolment.cohort.id
                        if enrolment.cohort else None),
                    ('group', '=', enrolment.group.id
                        if enrolment.group else None),
                    ], limit=1)
            if duplicates:
                raise CourseValidationError(gettext(
                        'copp_course.msg_enrolment_unique',
                        course=enrolment.course.rec_name,
                        audience=enrolment.rec_name))

    @classmethod
    def on_modification(cls, mode, enrolments, field_names=None):
        pool = Pool()
        Course = pool.get('copp.course')
        super().on_modification(mode, enrolments, field_names=field_names)
        if mode in {'create', 'write'}:
            courses = {e.course for e in enrolments
                if e.course.state == 'published'}
            if courses:
                Course.update_participants(list(courses))
