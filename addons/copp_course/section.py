"Sections of a course: an ordered grouping of its lessons"
from trytond.model import Index, ModelSQL, ModelView, sequence_ordered, fields
from trytond.pyson import Eval


class Section(sequence_ordered(), ModelSQL, ModelView):
    "Course Section"
    __name__ = 'copp.course.section'
    __string__ = "Course Section"

    course = fields.Many2One('copp.course', "Course", required=True,
        ondelete='CASCADE')
    name = fields.Char("Name", required=True)
    description = fields.Text("Description")
    lessons = fields.One2Many('copp.course.lesson', 'section', "Lessons",
        domain=[('course', '=', Eval('course', -1))])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('course')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.course, Index.Range())))
        cls._order = [('course', 'ASC')] + cls._order

    @classmethod
    def copy(cls, sections, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('lessons', None)
        return super().copy(sections, default=default)
