"""The result of a learner in a course, recomputed by every
`Progress.record`:

- progress = completed required lessons / required lessons, in percent;
- grade = Σ weight × score / Σ weight over the graded lessons (weight > 0;
  a lesson without a score counts 0); empty when no lesson is graded;
- completed when every required lesson is completed (a course without a
  required lesson is never completed); completed_date = the latest
  completion of its required lessons.

A participant who completes the course, or whose grade changes once
completed, has the grade sent to the journal (journal_flow.py) and, for a
course of the final attestation, to the cohort learner
(attestation_flow.py)."""
from collections import defaultdict
from decimal import Decimal

from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.pyson import Eval

from copp.personal_data import PersonalDataMixin
from copp_training.learner import GRADES

HUNDRED = Decimal(100)
CENT = Decimal('0.01')


class Participant(PersonalDataMixin, ModelSQL, ModelView):
    "Course Participant"
    __name__ = 'copp.course.participant'
    __string__ = "Course Participant"
    # A person's results: the reads on behalf of a user are logged
    _personal_data_fields = {'rec_name', 'party', 'progress', 'grade',
        'completed', 'attestation_grade'}

    company = fields.Many2One('company.company', "Organization",
        required=True, readonly=True, ondelete='RESTRICT')
    course = fields.Many2One('copp.course', "Course", required=True,
        readonly=True, ondelete='CASCADE',
        domain=[('company', '=', Eval('company', -1))])
    party = fields.Many2One('party.party', "Learner", required=True,
        readonly=True, ondelete='RESTRICT',
        context={'company': Eval('company', -1)}, depends={'company'})
    enrolment = fields.Many2One('copp.course.enrolment', "Enrolment",
        readonly=True, ondelete='SET NULL')
    progress = fields.Numeric("Progress, %", digits=(5, 2), readonly=True)
    grade = fields.Numeric("Grade, %", digits=(5, 2), readonly=True,
        help="The weighted average of the scores of the graded lessons.")
    completed = fields.Boolean("Completed", readonly=True)
    completed_date = fields.DateTime("Completed On", readonly=True)
    journal_mark = fields.Many2One('copp.journal.mark', "Journal Mark",
        readonly=True, ondelete='SET NULL')
    journal_note = fields.Char("Journal Transfer", readonly=True,
        help="Why the grade could not be written to the journal.")
    attestation_grade = fields.Selection(GRADES, "Final Attestation Grade",
        readonly=True, sort=False,
        help="The final grade this course wrote on the cohort learner: "
        "a different grade of the learner was entered by a person and is "
        "never overwritten.")
    attestation_note = fields.Char("Final Attestation Transfer",
        readonly=True,
        help="Why the result was not written as the final attestation.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('course', 'ASC'), ('party', 'ASC'), ('id', 'ASC')]
        cls._sql_constraints += [
            ('course_party_unique', Unique(t, t.course, t.party),
                'copp_course.msg_participant_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.party, Index.Range())),
                Index(t, (t.company, Index.Range())),
                })

    @classmethod
    def default_progress(cls):
        return Decimal(0)

    @classmethod
    def default_completed(cls):
        return False

    def get_rec_name(self, name):
        return f'{self.party.rec_name} — {self.course.rec_name}'

    @classmethod
    def ensure(cls, learners):
        """Create the missing rows of {(course id, party id): enrolment id}
        and keep their enrolment up to date; return the rows"""
        pool = Pool()
        Course = pool.get('copp.course')
        if not learners:
            return []
        course_ids = sorted({c for c, _ in learners})
        existing = {(p.course.id, p.party.id): p for p in cls.search([
                    ('course', 'in', course_ids),
                    ('party', 'in', sorted({p for _, p in learners})),
                    ])}
        companies = {c.id: c.company.id for c in Course.browse(course_ids)}
        to_create, to_write = [], []
        for (course_id, party_id), enrolment_id in learners.items():
            row = existing.get((course_id, party_id))
            if row is None:
                to_create.append({
                        'company': companies[course_id],
                        'course': course_id,
                        'party': party_id,
                        'enrolment': enrolment_id,
                        })
            elif enrolment_id and (not row.enrolment
                    or row.enrolment.id != enrolment_id):
                to_write.extend([[row], {'enrolment': enrolment_id}])
        if to_write:
            cls.write(*to_write)
        created = cls.create(to_create) if to_create else []
        return list(existing.values()) + created

    @classmethod
    def recompute_for(cls, course, party_ids):
        "Recompute (creating if needed) the rows of the parties in course"
        pool = Pool()
        Course = pool.get('copp.course')
        learners = Course.enrolment_learners([course])
        wanted = {(course.id, p): learners.get((course.id, p))
            for p in party_ids}
        cls.recompute(cls.ensure(wanted))

    @classmethod
    def recompute(cls, participants):
        """Recompute progress, grade and completion from the lessons and
        the progress rows (one search of each); send the grades of those
        who complete (or whose grade changes once completed) to the
        journal"""
        pool = Pool()
        Lesson = pool.get('copp.course.lesson')
        Progress = pool.get('copp.course.progress')
        participants = list(participants)
        if not participants:
            return
        course_ids = sorted({p.course.id for p in participants})
        lessons = defaultdict(list)
        for lesson in Lesson.search([('course', 'in', course_ids)]):
            lessons[lesson.course.id].append(lesson)
        rows = {}
        for row in Progress.search([
                    ('course', 'in', course_ids),
                    ('learner', 'in', sorted(
                            {p.party.id for p in participants})),
                    ]):
            rows[(row.lesson.id, row.learner.id)] = row
        to_write, to_journal, to_attest = [], [], []
        for participant in participants:
            values = compute_result(lessons[participant.course.id],
                {lesson_id: row for (lesson_id, party_id), row in rows.items()
                    if party_id == participant.party.id})
            changed = {k: v for k, v in values.items()
                if getattr(participant, k) != v}
            if changed:
                to_write.extend([[participant], changed])
            if values['completed'] and (
                    'completed' in changed or 'grade' in changed
                    or not participant.journal_mark):
                to_journal.append(participant)
            if (values['completed'] and participant.course.final_attestation
                    and ('completed' in changed or 'grade' in changed
                        or not (participant.attestation_grade
                            or participant.attestation_note))):
                to_attest.append(participant)
        if to_write:
            cls.write(*to_write)
        if to_journal:
            cls.send_to_journal(to_journal, quiet=True)
        if to_attest:
            cls.send_to_attestation(to_attest)

    @classmethod
    def send_to_journal(cls, participants, quiet=False):
        """Write the course grade of the participants as a mark of the
        journal; the reason of a failure is kept in journal_note (quiet:
        never raise, the learner's progress is saved anyway)"""
        from .journal_flow import transfer
        transfer(cls, list(participants), quiet=quiet)

    @classmethod
    def send_to_attestation(cls, participants):
        """Write the result of the participants of final-attestation
        courses on their cohort learners; the reason of a learner left as
        is goes to attestation_note"""
        from .attestation_flow import transfer
        transfer(cls, list(participants))


def compute_result(lessons, progress):
    """The values of a participant from the course's lessons and the
    learner's {lesson id: progress row}"""
    required = [l for l in lessons if l.required]
    done = [l for l in required
        if l.id in progress and progress[l.id].state == 'completed']
    graded = [l for l in lessons if (l.weight or 0) > 0]
    values = {}
    if required:
        values['progress'] = (HUNDRED * len(done) / len(required)
            ).quantize(CENT)
    else:
        values['progress'] = Decimal(0)
    if graded:
        total = sum(Decimal(l.weight) for l in graded)
        points = sum(Decimal(l.weight) * (progress[l.id].score
                if l.id in progress and progress[l.id].score is not None
                else 0) for l in graded)
        values['grade'] = (points / total).quantize(CENT)
    else:
        values['grade'] = None
    completed = bool(required) and len(done) == len(required)
    values['completed'] = completed
    values['completed_date'] = (max((progress[l.id].completed_date
                for l in done if progress[l.id].completed_date),
            default=None) if completed else None)
    return values
