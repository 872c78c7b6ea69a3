"""Lessons of a course. copp_course defines the kinds text (sanitised
HTML), video (a link or an uploaded file), document (a PDF or office
file), link and online (a session in a meeting room, online_flow.py);
copp_quiz, copp_scorm and copp_assignment add theirs in the `__setup__` of
their own extension of this model.

A lesson is locked for a learner until its release date has come and its
prerequisites are completed (`lock_reasons`)."""
import datetime as dt
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval

from copp_site.sanitize import clean_html

from .exceptions import CourseValidationError

# The room of an online session opens this long before its start: joining
# earlier (or after the end) is no attendance
JOIN_EARLY = dt.timedelta(minutes=15)

KINDS = [
    ('text', "Text"),
    ('video', "Video"),
    ('document', "Document"),
    ('link', "Link"),
    ('online', "Online Session"),
    ]


def _kind(kind, required=False):
    states = {'invisible': Eval('kind') != kind}
    if required:
        states['required'] = Eval('kind') == kind
    return states


class Lesson(ModelSQL, ModelView):
    "Course Lesson"
    __name__ = 'copp.course.lesson'
    __string__ = "Course Lesson"

    course = fields.Many2One('copp.course', "Course", required=True,
        ondelete='CASCADE')
    section = fields.Many2One('copp.course.section', "Section",
        ondelete='SET NULL', domain=[('course', '=', Eval('course', -1))])
    name = fields.Char("Name", required=True)
    sequence = fields.Integer("Sequence")
    kind = fields.Selection(KINDS, "Kind", required=True)
    required = fields.Boolean("Required",
        help="The course is completed when every required lesson is.")
    weight = fields.Numeric("Weight", digits=(6, 2), required=True,
        domain=[('weight', '>=', 0)],
        help="The share of the lesson's score in the course grade; "
        "0: not graded.")
    release_date = fields.Date("Release Date",
        help="The lesson opens on this day; empty: at once.")
    prerequisites = fields.Many2Many('copp.course.lesson.prerequisite',
        'lesson', 'prerequisite', "Prerequisites",
        domain=[('course', '=', Eval('course', -1)),
            ('id', '!=', Eval('id', -1))],
        help="The lessons to complete before this one opens.")
    content = fields.Text("Content", states=_kind('text'),
        help="HTML; scripts, styles and unsafe links are removed on save.")
    video_url = fields.Char("Video Link", states=_kind('video'),
        help="A video file (.mp4, .webm) or a page of a video service "
        "(RUTUBE, VK Видео, YouTube); or upload a file below.")
    video_file = fields.Binary("Video File", file_id='video_file_id',
        filename='video_filename', states=_kind('video'))
    video_file_id = fields.Char("Video File ID", readonly=True)
    video_filename = fields.Char("Video File Name", states=_kind('video'))
    document = fields.Binary("Document", file_id='document_id',
        filename='document_filename', states=_kind('document', True),
        help="PDF, Word, Excel, PowerPoint or OpenDocument file.")
    document_id = fields.Char("Document ID", readonly=True)
    document_filename = fields.Char("Document File Name",
        states=_kind('document', True))
    link_url = fields.Char("Link", states=_kind('link', True))
    # An online session (вебинар): the learner joins through the cabinet,
    # which records the attendance (online_flow.py)
    online_start = fields.DateTime("Session Start",
        states=_kind('online', True))
    online_duration = fields.Integer("Duration, min",
        states=_kind('online', True),
        domain=['OR', ('online_duration', '=', None),
            ('online_duration', '>', 0)])
    meeting_url = fields.Char("Meeting Link", states=_kind('online', True),
        help="The address of the meeting room (http:// or https://).")
    description = fields.Text("Note for Learners",
        help="Plain text shown above the lesson's content.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('course')
        t = cls.__table__()
        cls._order = [('course', 'ASC'), ('sequence', 'ASC NULLS LAST'),
            ('id', 'ASC')]
        cls._sql_indexes.update({
                Index(t, (t.course, Index.Range())),
                Index(t, (t.section, Index.Range())),
                })

    @classmethod
    def default_kind(cls):
        return 'text'

    @classmethod
    def default_required(cls):
        return True

    @classmethod
    def default_weight(cls):
        return Decimal(0)

    def cabinet_url(self):
        "The page of the lesson in the learner's cabinet"
        return f'/cabinet/courses/{self.course.id}/lessons/{self.id}'

    @property
    def online_end(self):
        "The end of an online session (UTC)"
        if self.online_start:
            return self.online_start + dt.timedelta(
                minutes=self.online_duration or 0)

    def online_phase(self, now):
        """'upcoming' before its room opens, 'open' from JOIN_EARLY before
        the start to the end, 'over' after (now: UTC)"""
        if not self.online_start:
            return None
        if now < self.online_start - JOIN_EARLY:
            return 'upcoming'
        if now > self.online_end:
            return 'over'
        return 'open'

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('content'):
            # Stored sanitised: every reader (cabinet, export) gets safe HTML
            values['content'] = str(clean_html(values['content']))
        for name in ['video_url', 'link_url', 'meeting_url']:
            if values.get(name):
                values[name] = values[name].strip()
        return values

    @classmethod
    def validate(cls, lessons):
        super().validate(lessons)
        for lesson in lessons:
            lesson.check_urls()
            for prerequisite in lesson.prerequisites:
                if prerequisite.course != lesson.course:
                    raise CourseValidationError(gettext(
                            'copp_course.msg_prerequisite_course',
                            lesson=lesson.rec_name,
                            prerequisite=prerequisite.rec_name))
        cls.check_cycles({l.course for l in lessons})

    def check_urls(self):
        for name in ['video_url', 'link_url', 'meeting_url']:
            url = getattr(self, name)
            if url and not url.lower().startswith(('https://', 'http://')):
                raise CourseValidationError(gettext(
                        'copp_course.msg_lesson_url', lesson=self.rec_name,
                        field=self.__class__.fields_get([name])[name][
                            'string']))

    @classmethod
    def check_cycles(cls, courses):
        "No lesson may require itself through its prerequisites"
        pool = Pool()
        Prerequisite = pool.get('copp.course.lesson.prerequisite')
        links = Prerequisite.search([
                ('lesson.course', 'in', [c.id for c in courses]),
                ])
        graph = {}
        for link in links:
            graph.setdefault(link.lesson.id, []).append(link.prerequisite.id)
        done = set()

        def visit(node, on_path):
            if node in on_path:
                lesson = cls(node)
                raise CourseValidationError(gettext(
                        'copp_course.msg_prerequisite_cycle',
                        lesson=lesson.rec_name,
                        course=lesson.course.rec_name))
            if node in done:
                return
            on_path.add(node)
            for target in graph.get(node, []):
                visit(target, on_path)
            on_path.discard(node)
            done.add(node)

        for node in list(graph):
            visit(node, set())

    @classmethod
    def lock_reasons(cls, lessons, party, today):
        """{lesson id: None (open) or the reason it is locked for `party`}
        read with one query of the learner's progress"""
        pool = Pool()
        Progress = pool.get('copp.course.progress')
        lessons = list(lessons)
        needed = {p.id for l in lessons for p in l.prerequisites}
        completed = set()
        if needed and party is not None:
            completed = {p.lesson.id for p in Progress.search([
                        ('lesson', 'in', list(needed)),
                        ('learner', '=', int(party)),
                        ('state', '=', 'completed'),
                        ])}
        result = {}
        for lesson in lessons:
            reasons = []
            if lesson.release_date and lesson.release_date > today:
                reasons.append(gettext('copp_course.msg_locked_release',
                        date=lesson.release_date.strftime('%d.%m.%Y')))
            missing = [p for p in lesson.prerequisites
                if p.id not in completed]
            if missing:
                reasons.append(gettext(
                        'copp_course.msg_locked_prerequisites',
                        lessons=', '.join(f'«{p.name}»' for p in missing)))
            result[lesson.id] = ' '.join(reasons) or None
        return result

    @classmethod
    def copy(cls, lessons, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('prerequisites', None)
        return super().copy(lessons, default=default)


class LessonPrerequisite(ModelSQL):
    "Lesson Prerequisite"
    __name__ = 'copp.course.lesson.prerequisite'
    __string__ = "Lesson Prerequisite"

    lesson = fields.Many2One('copp.course.lesson', "Lesson", required=True,
        ondelete='CASCADE')
    prerequisite = fields.Many2One('copp.course.lesson', "Prerequisite",
        required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('lesson')
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.lesson, Index.Range())),
                Index(t, (t.prerequisite, Index.Range())),
                })
