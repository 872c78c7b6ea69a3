"""The lesson kind «quiz» of copp_course: the lesson links a quiz and its
cabinet page is the quiz page of this module (routes.py)."""
from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.pyson import Eval


class Lesson(metaclass=PoolMeta):
    __name__ = 'copp.course.lesson'

    quiz = fields.Many2One('copp.quiz', "Quiz", ondelete='RESTRICT',
        domain=[('company', '=', Eval('quiz_company', -1))],
        states={
            'invisible': Eval('kind') != 'quiz',
            'required': Eval('kind') == 'quiz',
            })
    quiz_company = fields.Function(fields.Many2One('company.company',
            "Quiz College"), 'on_change_with_quiz_company')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        if ('quiz', "Quiz") not in cls.kind.selection:
            cls.kind.selection.append(('quiz', "Quiz"))

    @fields.depends('course', '_parent_course.company')
    def on_change_with_quiz_company(self, name=None):
        if self.course and self.course.company:
            return self.course.company.id

    def cabinet_url(self):
        if self.kind == 'quiz':
            return f'/cabinet/quiz/{self.id}'
        return super().cabinet_url()
