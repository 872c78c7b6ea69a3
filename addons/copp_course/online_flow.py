"""The attendance of the online sessions in the journal (issue 18).

A lesson of kind «Онлайн-занятие» (online) has a start, a duration and a
meeting link; the learner joins through the cabinet («Подключиться»),
which records the lesson completed (routes.py). The course's button
«Передать посещаемость в журнал» writes, for every session already over,
an absence (copp.journal.absence, kind «absent», the lesson's hours) of
each learner of the enrolments who did not join, on a journal lesson of
the session's day (in the institution's time zone):

- group, student file, discipline and teaching load as the course grade
  (journal_flow: the enrolled study group or the cohort's journal group);
- the journal lesson: one per load, day and session, kind «lesson»,
  hours = the duration in academic hours (45 min, at least 1), topic
  «Онлайн-занятие «…»»; made at the first transfer and reused, so a
  second transfer adds only the absences still missing.

A learner who joins after a transfer keeps the absence (the teacher
removes it in the journal). A failure (no journal group, no student file,
no load, a closed month) undoes the whole transfer and the button shows
the reasons, as «Передать оценки в журнал»."""
import datetime as dt
import math
from zoneinfo import ZoneInfo

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access

from .exceptions import CourseJournalError
from .journal_flow import _discipline, _group_and_student, _workload

ACADEMIC_HOUR = 45  # minutes


def session_hours(lesson):
    return min(max(1, math.ceil((lesson.online_duration or 0)
                / ACADEMIC_HOUR)), 12)


def transfer_attendance(courses, now=None):
    """Write the absences of the learners who did not join the finished
    online sessions of the courses; raise the reasons of the failures"""
    pool = Pool()
    Course = pool.get('copp.course')
    Lesson = pool.get('copp.course.lesson')
    Progress = pool.get('copp.course.progress')
    Participant = pool.get('copp.course.participant')
    now = now or dt.datetime.now()
    errors = []
    with without_check_access(), Transaction().set_context(
            _skip_warnings=True):
        sessions = [l for l in Lesson.search([
                    ('course', 'in', [c.id for c in courses]),
                    ('kind', '=', 'online'),
                    ('online_start', '!=', None),
                    ])
            if l.online_end <= now]
        if not sessions:
            return
        joined = {(p.lesson.id, p.learner.id) for p in Progress.search([
                    ('lesson', 'in', [s.id for s in sessions]),
                    ('state', '=', 'completed'),
                    ])}
        participants = {}
        for participant in Participant.ensure(
                Course.enrolment_learners({s.course for s in sessions})):
            participants.setdefault(participant.course.id, []).append(
                participant)
        journal = JournalLessons()
        for session in sessions:
            for participant in participants.get(session.course.id, []):
                if (session.id, participant.party.id) in joined:
                    continue
                try:
                    journal.add_absence(session, participant)
                except UserError as exception:
                    errors.append(exception.message)
        journal.save()
    if errors:
        raise CourseJournalError('\n'.join(sorted(set(errors))[:10]))


def session_day(session):
    "The day of the session where the course's institution is"
    zone = ZoneInfo(session.course.company.timezone or 'UTC')
    return session.online_start.replace(tzinfo=dt.timezone.utc).astimezone(
        zone).date()


class JournalLessons:
    """The journal lessons of the sessions, found or made once each, and
    the absences to write: the existing ones read in one query per lesson,
    the new ones created together"""

    def __init__(self):
        self.lessons = {}
        self.absent = {}
        self.to_create = []

    def lesson(self, session, load):
        pool = Pool()
        JournalLesson = pool.get('copp.journal.lesson')
        Absence = pool.get('copp.journal.absence')
        day = session_day(session)
        topic = gettext('copp_course.msg_online_lesson_topic',
            lesson=session.name)[:250]
        key = (load.id, day, topic)
        if key not in self.lessons:
            lessons = JournalLesson.search([
                    ('workload', '=', load.id),
                    ('date', '=', day),
                    ('topic', '=', topic),
                    ], limit=1)
            if lessons:
                lesson, = lessons
            else:
                lesson, = JournalLesson.create([{
                            'workload': load.id,
                            'date': day,
                            'kind': 'lesson',
                            'hours': session_hours(session),
                            'topic': topic,
                            }])
            self.lessons[key] = lesson
            self.absent[lesson.id] = {a.student.id for a in Absence.search(
                        [('lesson', '=', lesson.id)])}
        return self.lessons[key]

    def add_absence(self, session, participant):
        "The absence of the participant on the session's journal lesson"
        group, student = _group_and_student(participant)
        line = _discipline(session.course, group)
        load = _workload(group, line, student, session_day(session))
        lesson = self.lesson(session, load)
        if student.id not in self.absent[lesson.id]:
            self.absent[lesson.id].add(student.id)
            self.to_create.append({
                    'lesson': lesson.id,
                    'student': student.id,
                    'kind': 'absent',
                    'hours': lesson.hours,
                    })

    def save(self):
        if self.to_create:
            Pool().get('copp.journal.absence').create(self.to_create)
