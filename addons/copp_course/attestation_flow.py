"""The course result as the final attestation of the programme (issue 18,
item 6): a course with `final_attestation` enrolled by a cohort writes the
result of its participants on their cohort learners
(copp.training.learner), whom copp_training's completion order then
finishes when they passed:

- final_grade = the five-point mark of the course grade (five_point of
  journal_flow; «зачёт» for a course without graded lessons);
- attestation_date = the completion day (not before the cohort's start:
  the learner's own validation);
- final_work = «Электронный курс «<course name>»».

Only a learner in state studying is written. A learner who completed or
left the cohort, or whose final grade was entered by a person, is left as
is and the reason is kept in the participant's attestation_note.

Whose grade it is: the participant keeps in attestation_grade the grade
the course wrote last. The learner's grade is the course's when it is
empty or equal to that marker; any other grade was typed by a clerk (or
written by another course) and is never overwritten. The marker does not
depend on texts (a renamed course, an edited final work), and a clerk who
clears the grade hands it back to the course.

Set-based: one search of the learners of all the participants, one write
of the learners and one of the participants; a learner whose write is
refused (a validation of another module) is retried alone in a savepoint
so that the others are written and the reason is kept."""
import datetime as dt

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access

from .journal_flow import five_point


def transfer(Participant, participants):
    "Write the final attestation of the participants; keep the reasons"
    pool = Pool()
    Learner = pool.get('copp.training.learner')
    with without_check_access():
        # Fresh rows: the result may have been written just before
        participants = [p for p in Participant.browse(
                [p.id for p in participants])
            if p.completed and p.course.final_attestation
            and p.enrolment and p.enrolment.cohort]
        if not participants:
            return
        learners = {}
        for learner in Learner.search([
                    ('cohort', 'in', sorted({
                                p.enrolment.cohort.id for p in participants})),
                    ('party', 'in', sorted({
                                p.party.id for p in participants})),
                    ], order=[('id', 'ASC')]):
            key = (learner.cohort.id, learner.party.id)
            # A person twice in a cohort: the one who studies counts
            if key not in learners or learner.state == 'studying':
                learners[key] = learner
        states = dict(Learner.fields_get(['state'])['state']['selection'])
        grades = dict(Learner.fields_get(
                ['final_grade'])['final_grade']['selection'])
        planned, notes = [], {}
        for participant in participants:
            cohort = participant.enrolment.cohort
            learner = learners.get((cohort.id, participant.party.id))
            values = attestation_values(participant, cohort)
            if learner is None:
                notes[participant] = gettext(
                    'copp_course.msg_attestation_no_learner',
                    party=participant.party.rec_name,
                    cohort=cohort.rec_name)
            elif learner.state != 'studying':
                notes[participant] = gettext(
                    'copp_course.msg_attestation_learner_state',
                    learner=learner.rec_name, cohort=cohort.rec_name,
                    state=states.get(learner.state, learner.state))
            elif (learner.final_grade
                    and learner.final_grade != participant.attestation_grade):
                notes[participant] = gettext(
                    'copp_course.msg_attestation_grade_kept',
                    learner=learner.rec_name,
                    grade=grades.get(learner.final_grade,
                        learner.final_grade))
            else:
                planned.append((participant, learner, values))
        written = _write_learners(Learner, planned, notes)
        _write_participants(Participant, participants, written, notes)


def attestation_values(participant, cohort):
    "The learner's values of the participant's result"
    course = participant.course
    day = (participant.completed_date or dt.datetime.now()).date()
    if cohort.start_date:
        day = max(day, cohort.start_date)
    return {
        'final_grade': five_point(participant.grade, course.pass_grade),
        'attestation_date': day,
        'final_work': gettext('copp_course.msg_attestation_work',
            course=course.name)[:250],
        }


def _changed(learner, values):
    return any(getattr(learner, k) != v for k, v in values.items())


def _write_learners(Learner, planned, notes):
    """Write the learners (one write, else one savepoint each); return
    {participant: grade written}"""
    to_write = [(p, l, v) for p, l, v in planned if _changed(l, v)]
    written = {p: v['final_grade'] for p, _, v in planned}
    if not to_write:
        return written
    cursor = Transaction().connection.cursor()
    cursor.execute('SAVEPOINT copp_course_attestation')
    try:
        args = []
        for _, learner, values in to_write:
            args.extend([[learner], values])
        Learner.write(*args)
    except UserError:
        cursor.execute('ROLLBACK TO SAVEPOINT copp_course_attestation')
    else:
        cursor.execute('RELEASE SAVEPOINT copp_course_attestation')
        return written
    # One of them is refused: write them one by one to keep the others
    for participant, learner, values in to_write:
        cursor.execute('SAVEPOINT copp_course_attestation')
        try:
            Learner.write([Learner(learner.id)], values)
        except UserError as exception:
            cursor.execute('ROLLBACK TO SAVEPOINT copp_course_attestation')
            del written[participant]
            notes[participant] = exception.message
        else:
            cursor.execute('RELEASE SAVEPOINT copp_course_attestation')
    return written


def _write_participants(Participant, participants, written, notes):
    "The marker and the note of each participant, in one write"
    args = []
    for participant in participants:
        values = {'attestation_note': (notes[participant][:250]
                if participant in notes else None)}
        if participant in written:
            values['attestation_grade'] = written[participant]
        values = {k: v for k, v in values.items()
            if getattr(participant, k) != v}
        if values:
            args.extend([[Participant(participant.id)], values])
    if args:
        Participant.write(*args)
