"""The SCORM 1.2 data of a learner in a lesson (cmi.core.*, suspend data):
one row per lesson and learner, written by the player's commits.

Time: the SCO reports the time of its session (cmi.core.session_time) at
each commit; a session is known by the random key the player draws at
LMSInitialize, so that a commit repeated in one session replaces that
session's time instead of adding it twice. total_time is the sum of the
sessions. After each commit the lesson's progress
(copp.course.progress, through Progress.record) gets the state, the score
in percent and the time added."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.pyson import Eval

from . import cmi
from .exceptions import ScormCommitError

STATUSES = [
    ('passed', "Passed"),
    ('completed', "Completed"),
    ('failed', "Failed"),
    ('incomplete', "Incomplete"),
    ('browsed', "Browsed"),
    ('not attempted', "Not Attempted"),
    ]
ENTRIES = [
    ('ab-initio', "First Launch"),
    ('resume', "Resume"),
    ('', "—"),
    ]
EXITS = [
    ('', "—"),
    ('time-out', "Time Out"),
    ('suspend', "Suspend"),
    ('logout', "Logout"),
    ]
FINAL = {'completed', 'failed'}


class Track(ModelSQL, ModelView):
    "SCORM Track"
    __name__ = 'copp.scorm.track'
    __string__ = "SCORM Track"

    lesson = fields.Many2One('copp.course.lesson', "Lesson", required=True,
        ondelete='CASCADE', readonly=True)
    package = fields.Many2One('copp.scorm.package', "Package",
        ondelete='SET NULL', readonly=True)
    learner = fields.Many2One('party.party', "Learner", required=True,
        ondelete='RESTRICT', readonly=True,
        context={'company': Eval('company', -1)}, depends={'company'})
    company = fields.Function(fields.Many2One('company.company',
            "Organization"), 'get_company', searcher='search_company')
    lesson_status = fields.Selection(STATUSES, "Status", required=True,
        readonly=True, sort=False)
    score_raw = fields.Numeric("Score", digits=(20, 10), readonly=True)
    score_min = fields.Numeric("Minimum Score", digits=(20, 10),
        readonly=True)
    score_max = fields.Numeric("Maximum Score", digits=(20, 10),
        readonly=True)
    total_time = fields.TimeDelta("Total Time", readonly=True)
    session_time = fields.TimeDelta("Last Session Time", readonly=True)
    session_count = fields.Integer("Sessions", readonly=True)
    session_key = fields.Char("Session Key", readonly=True)
    reported_session = fields.Char("Reported Session", readonly=True,
        help="The session whose final status was given to the progress.")
    suspend_data = fields.Text("Suspend Data", readonly=True)
    lesson_location = fields.Char("Location", readonly=True)
    entry = fields.Selection(ENTRIES, "Entry", readonly=True, sort=False)
    exit = fields.Selection(EXITS, "Exit", readonly=True, sort=False)
    last_commit = fields.DateTime("Last Commit", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('lesson')
        t = cls.__table__()
        cls._order = [('last_commit', 'DESC NULLS LAST'), ('id', 'DESC')]
        cls._sql_constraints += [
            ('lesson_learner_unique', Unique(t, t.lesson, t.learner),
                'copp_scorm.msg_track_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.learner, Index.Range())),
                Index(t, (t.package, Index.Range())),
                })

    @classmethod
    def default_lesson_status(cls):
        return 'not attempted'

    @classmethod
    def default_session_count(cls):
        return 0

    @classmethod
    def default_entry(cls):
        return 'ab-initio'

    @classmethod
    def default_exit(cls):
        return ''

    def get_rec_name(self, name):
        return f'{self.learner.rec_name} — {self.lesson.rec_name}'

    def get_company(self, name):
        return self.lesson.course.company.id

    @classmethod
    def search_company(cls, name, clause):
        return [('lesson.course.company',) + tuple(clause[1:])]

    @property
    def score_percent(self):
        return cmi.score_percent(self.score_raw, self.score_min,
            self.score_max)

    # The player ----------------------------------------------------------
    @classmethod
    def find(cls, lesson, learner):
        tracks = cls.search([
                ('lesson', '=', int(lesson)),
                ('learner', '=', int(learner)),
                ], limit=1)
        return tracks[0] if tracks else None

    @classmethod
    def initial_values(cls, lesson, learner):
        """What the player's API starts with (cmi.* of the next session)"""
        track = cls.find(lesson, learner)
        package = lesson.scorm_package
        values = {
            'student_id': learner.code or str(learner.id),
            'student_name': student_name(learner),
            'lesson_status': 'not attempted',
            'lesson_location': '',
            'credit': 'credit',
            'lesson_mode': 'normal',
            'entry': 'ab-initio',
            'score_raw': '', 'score_min': '', 'score_max': '',
            'total_time': cmi.format_timespan(None),
            'suspend_data': '',
            'launch_data': package.launch_data or '',
            'mastery_score': decimal_text(package.mastery_score),
            }
        if track:
            values.update({
                    'lesson_status': track.lesson_status,
                    'lesson_location': track.lesson_location or '',
                    'entry': cmi.next_entry(track.session_count,
                        track.exit, track.suspend_data),
                    'score_raw': decimal_text(track.score_raw),
                    'score_min': decimal_text(track.score_min),
                    'score_max': decimal_text(track.score_max),
                    'total_time': cmi.format_timespan(track.total_time),
                    'suspend_data': track.suspend_data or '',
                    })
        return track, values

    @classmethod
    def commit(cls, lesson, learner, payload):
        """Store the values a player posted (checked by cmi.validate) and
        record the progress; ScormCommitError on a refused value"""
        pool = Pool()
        Progress = pool.get('copp.course.progress')
        try:
            values = cmi.validate(payload)
        except cmi.CMIError as exc:
            raise ScormCommitError(gettext('copp_scorm.' + exc.message,
                    **exc.values)) from exc
        track = cls.find(lesson, learner)
        if not track:
            track = cls(lesson=lesson, learner=learner, session_count=0,
                total_time=dt.timedelta(), lesson_status='not attempted',
                exit='', session_key=None, session_time=None,
                reported_session=None, suspend_data=None)
        previous_state = cmi.progress_state(track.lesson_status)
        previous_total = track.total_time or dt.timedelta()
        session = values['session']
        if track.session_key != session:
            # A new session: the previous one is complete in total_time
            track.entry = cmi.next_entry(track.session_count, track.exit,
                track.suspend_data)
            track.session_count = (track.session_count or 0) + 1
            track.session_key = session
            track.session_time = dt.timedelta()
        base = previous_total - (track.session_time or dt.timedelta())
        if values['session_time'] is not None:
            track.session_time = values['session_time']
        track.total_time = base + (track.session_time or dt.timedelta())
        package = lesson.scorm_package
        track.package = package
        track.score_raw = values['score_raw']
        track.score_min = values['score_min']
        track.score_max = values['score_max']
        track.lesson_status = cmi.effective_status(values['lesson_status'],
            values['score_raw'], package.mastery_score if package else None,
            values['finish'])
        track.lesson_location = values['lesson_location']
        track.suspend_data = values['suspend_data']
        track.exit = values['exit']
        track.last_commit = dt.datetime.now()
        state = cmi.progress_state(track.lesson_status)
        report = state
        if state in FINAL:
            # A final state counts one attempt per session (or when it
            # changes within the session: failed, then passed)
            if (track.reported_session == session
                    and state == previous_state):
                report = None
            else:
                track.reported_session = session
        track.save()
        added = track.total_time - previous_total
        Progress.record(lesson, learner, state=report,
            score=track.score_percent,
            time_spent=added if added > dt.timedelta() else None)
        return track


def decimal_text(value):
    "A Decimal as a CMIDecimal text ('' for None), without useless zeros"
    if value is None:
        return ''
    text = format(value.normalize(), 'f')
    return text


def student_name(party):
    "cmi.core.student_name: «Фамилия, Имя» (SCORM: last name, first name)"
    if party.last_name and party.first_name:
        return f'{party.last_name}, {party.first_name}'[:255]
    return (party.name or '')[:255]

