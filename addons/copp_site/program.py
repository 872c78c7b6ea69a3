"""What the public catalogue needs of a programme beyond the back office's
catalogue entry: for whom it is (audience), what a learner must have to
enrol (requirements), and the kind «career guidance» (профориентация).
Any change of a programme refreshes the cached public pages and
catalogue lists."""
from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.pyson import Eval

from .catalogue import clear_public_pages

AUDIENCES = [
    ('schoolchildren', "Schoolchildren"),
    ('students', "Students"),
    ('adults', "Adults"),
    ('job_seekers', "Job Seekers and Unemployed"),
    ('seniors', "People of Pre-retirement Age"),
    ('teachers', "Teachers and Masters"),
    ]
CAREER_GUIDANCE = ('career_guidance', "Career Guidance")


class Program(metaclass=PoolMeta):
    __name__ = 'copp.program'

    audience = fields.MultiSelection(AUDIENCES, "Audience",
        states={'readonly': Eval('state') != 'draft'},
        help="For whom the programme is: the filter «Для кого» of the "
        "public catalogue.")
    requirements = fields.Text("Requirements",
        states={'readonly': Eval('state') != 'draft'},
        help="What a learner must have to enrol (education, age, "
        "documents), shown on the public programme page.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        if CAREER_GUIDANCE not in cls.kind.selection:
            cls.kind.selection.append(CAREER_GUIDANCE)

    @classmethod
    def on_modification(cls, mode, programs, field_names=None):
        super().on_modification(mode, programs, field_names=field_names)
        clear_public_pages()
