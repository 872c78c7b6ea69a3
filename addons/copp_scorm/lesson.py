"""The «SCORM package» kind of course lessons: the lesson shows a package
in the cabinet's player (/cabinet/scorm/<lesson>)."""
from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.pyson import Eval

from .exceptions import ScormValidationError


class Lesson(metaclass=PoolMeta):
    __name__ = 'copp.course.lesson'

    scorm_package = fields.Many2One('copp.scorm.package', "SCORM Package",
        ondelete='RESTRICT',
        states={
            'invisible': Eval('kind') != 'scorm',
            'required': Eval('kind') == 'scorm',
            },
        help="The package the player shows (of the course's college).")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        if ('scorm', "SCORM package") not in cls.kind.selection:
            cls.kind.selection.append(('scorm', "SCORM package"))

    @classmethod
    def validate(cls, lessons):
        super().validate(lessons)
        for lesson in lessons:
            package = lesson.scorm_package
            if lesson.kind != 'scorm' or not package:
                continue
            if package.company != lesson.course.company:
                raise ScormValidationError(gettext(
                        'copp_scorm.msg_lesson_package_company',
                        lesson=lesson.rec_name, package=package.rec_name))

    def cabinet_url(self):
        if self.kind == 'scorm':
            return f'/cabinet/scorm/{self.id}'
        return super().cabinet_url()
