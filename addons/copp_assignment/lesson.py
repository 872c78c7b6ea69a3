"""The 'assignment' kind of course lesson (copp_course): the lesson
points at an assignment of the course's organization; its cabinet page is
this module's (routes.py)."""
from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.pyson import Eval

from .exceptions import AssignmentValidationError


class Lesson(metaclass=PoolMeta):
    __name__ = 'copp.course.lesson'

    assignment = fields.Many2One('copp.assignment', "Assignment",
        ondelete='RESTRICT',
        states={
            'invisible': Eval('kind') != 'assignment',
            'required': Eval('kind') == 'assignment',
            })

    @classmethod
    def __setup__(cls):
        super().__setup__()
        if ('assignment', "Assignment") not in cls.kind.selection:
            cls.kind.selection.append(('assignment', "Assignment"))

    @classmethod
    def validate_fields(cls, lessons, field_names):
        super().validate_fields(lessons, field_names)
        for lesson in lessons:
            assignment = lesson.assignment
            if (assignment and lesson.course
                    and assignment.company != lesson.course.company):
                raise AssignmentValidationError(gettext(
                        'copp_assignment.msg_lesson_company',
                        lesson=lesson.rec_name,
                        assignment=assignment.rec_name))

    def cabinet_url(self):
        if self.kind == 'assignment':
            return (f'/cabinet/courses/{self.course.id}'
                f'/lessons/{self.id}/assignment')
        return super().cabinet_url()
