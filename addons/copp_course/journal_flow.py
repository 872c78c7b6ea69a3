"""The course grade in the journal of copp_journal.

The grade of a participant is written as a current mark
(`copp.journal.mark`) of the learner's student file on the «final lesson»
of the course in the journal of the enrolled group:

- the group: the enrolled study group, or the journal group of the
  enrolled cohort (copp_training's `cohort.group`);
- the student file: the group's `copp.student` of the learner's person
  (for a cohort: the learner's file `learner.student`);
- the discipline: the course's `discipline` (a curriculum line); for a
  cohort without it, the last line of the cohort's curriculum (the
  programme's final module, or the programme itself);
- the teaching load (`copp.journal.workload`) of the group and the
  discipline whose term holds the completion date (else the latest one;
  a subgroup's load when the student is in its audience);
- the final lesson: one journal lesson of that load per course, of kind
  «Контрольная работа» (test), with the topic «Электронный курс «…»:
  итоговая оценка», dated the day of completion (kept within the term, or
  the cohort's dates); made at the first transfer.

The journal's grid, the diary, the running totals and the grade sheet's
«journal average» read such a mark as any other.

Mark = percent → 5-point scale (five_point). A course without graded
lessons gives «зачёт» (pass) on completion."""
import datetime as dt
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access

from .exceptions import CourseJournalError

FIVE, FOUR = Decimal(85), Decimal(70)


def five_point(grade, pass_grade):
    """The journal mark of a course grade (percent): below the pass grade
    2, then ≥ 85 → 5, ≥ 70 → 4, else 3; None (no graded lesson) → pass"""
    if grade is None:
        return 'pass'
    grade = Decimal(grade)
    if grade < Decimal(pass_grade or 0):
        return '2'
    if grade >= FIVE:
        return '5'
    if grade >= FOUR:
        return '4'
    return '3'


def transfer(Participant, participants, quiet=False):
    "Write the marks; keep the errors in journal_note (raise unless quiet)"
    errors = []
    with without_check_access(), Transaction().set_context(
            _skip_warnings=True):
        for participant in participants:
            cursor = Transaction().connection.cursor()
            # A failure (a closed month…) must leave no half-made lesson
            cursor.execute('SAVEPOINT copp_course_journal')
            try:
                mark = write_mark(participant)
            except UserError as exception:
                cursor.execute('ROLLBACK TO SAVEPOINT copp_course_journal')
                message = exception.message
                errors.append(message)
                Participant.write([Participant(participant.id)], {
                        'journal_note': message[:250],
                        })
            else:
                cursor.execute('RELEASE SAVEPOINT copp_course_journal')
                Participant.write([Participant(participant.id)], {
                        'journal_mark': mark.id,
                        'journal_note': None,
                        })
    if errors and not quiet:
        raise CourseJournalError('\n'.join(sorted(set(errors))[:10]))


def _group_and_student(participant):
    pool = Pool()
    Learner = pool.get('copp.training.learner')
    Student = pool.get('copp.student')
    enrolment = participant.enrolment
    if not enrolment:
        raise CourseJournalError(gettext(
                'copp_course.msg_journal_no_enrolment',
                party=participant.party.rec_name,
                course=participant.course.rec_name))
    if enrolment.cohort:
        cohort = enrolment.cohort
        if not cohort.group:
            raise CourseJournalError(gettext(
                    'copp_course.msg_journal_no_group',
                    cohort=cohort.rec_name))
        group = cohort.group
        learners = Learner.search([
                ('cohort', '=', cohort.id),
                ('party', '=', participant.party.id),
                ], limit=1)
        students = [learners[0].student] if learners else []
    else:
        group = enrolment.group
        students = Student.search([
                ('group', '=', group.id),
                ('party', '=', participant.party.id),
                ], limit=1)
    if not students:
        raise CourseJournalError(gettext(
                'copp_course.msg_journal_no_student',
                party=participant.party.rec_name, group=group.rec_name))
    return group, students[0]


def _discipline(course, group):
    pool = Pool()
    Line = pool.get('copp.journal.curriculum.line')
    if course.discipline:
        return course.discipline
    cohort = getattr(group, 'cohort', None)
    if cohort and cohort.curriculum:
        lines = Line.search([('curriculum', '=', cohort.curriculum.id)],
            order=[('semester', 'DESC'), ('sequence', 'DESC NULLS LAST'),
                ('id', 'DESC')], limit=1)
        if lines:
            return lines[0]
    raise CourseJournalError(gettext('copp_course.msg_journal_no_discipline',
            course=course.rec_name, group=group.rec_name))


def _workload(group, line, student, day):
    pool = Pool()
    Workload = pool.get('copp.journal.workload')
    loads = Workload.search([
            ('group', '=', group.id),
            ('line', '=', line.id),
            ], order=[('term.start_date', 'DESC'), ('subgroup', 'ASC'),
            ('id', 'ASC')])
    loads = [w for w in loads
        if not w.subgroup or student.id in w.audience()] or loads
    if not loads:
        raise CourseJournalError(gettext('copp_course.msg_journal_no_workload',
                group=group.rec_name, discipline=line.rec_name))
    for load in loads:
        if load.term.start_date <= day <= load.term.end_date:
            return load
    return loads[0]


def _lesson_date(load, day):
    "The day kept within the dates the load's lessons may have"
    start, end = load.term.start_date, load.term.end_date
    cohort = getattr(load.group, 'cohort', None)
    if cohort:
        start, end = cohort.start_date, cohort.end_date
    return min(max(day, start), end)


def write_mark(participant):
    "Create or update the participant's mark; return it"
    pool = Pool()
    Lesson = pool.get('copp.journal.lesson')
    Mark = pool.get('copp.journal.mark')
    course = participant.course
    group, student = _group_and_student(participant)
    line = _discipline(course, group)
    day = (participant.completed_date or dt.datetime.now()).date()
    load = _workload(group, line, student, day)
    topic = gettext('copp_course.msg_journal_lesson_topic',
        course=course.name)[:250]
    lessons = Lesson.search([
            ('workload', '=', load.id),
            ('kind', '=', 'test'),
            ('topic', '=', topic),
            ], limit=1)
    if lessons:
        lesson, = lessons
    else:
        lesson, = Lesson.create([{
                    'workload': load.id,
                    'date': _lesson_date(load, day),
                    'kind': 'test',
                    'hours': 0,
                    'topic': topic,
                    }])
    value = five_point(participant.grade, course.pass_grade)
    marks = Mark.search([
            ('lesson', '=', lesson.id),
            ('student', '=', student.id),
            ], limit=1)
    if marks:
        mark, = marks
        if mark.value != value:
            Mark.write([mark], {'value': value})
    else:
        mark, = Mark.create([{
                    'lesson': lesson.id,
                    'student': student.id,
                    'value': value,
                    }])
    return mark
