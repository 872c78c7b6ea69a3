"""Item analysis of the quizzes (`copp.quiz.item_analysis`), for the
monitoring: a row per quiz and bank question, over the final attempts
(finished or graded) in which the question was drawn.

- attempts: how many final attempts had the question;
- facility (difficulty index): the mean fraction earned on the question,
  0..1 (1: everyone got it right);
- discrimination: the corrected item–total correlation, i.e. Pearson's r
  between the question's fraction and the score (fraction of the maximum)
  of the same attempt on the REST of the test (the other questions), over
  the attempts that had the question. From −1 to 1; ≥ 0.3 discriminates
  well, < 0.1 badly, negative: the stronger learners fail it more often
  (check the key). Empty when fewer than 3 attempts or when the question's
  or the rest's score never varies.

The rows come from an SQL view (table_query); the two indices are
computed in Python in one query per call of the getter."""
from collections import defaultdict
from decimal import Decimal

from sql.aggregate import Count, Max, Min

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction

from .grading import item_rest_correlation

FINAL = ('finished', 'graded')


class ItemAnalysis(ModelSQL, ModelView):
    "Quiz Item Analysis"
    __name__ = 'copp.quiz.item_analysis'
    __string__ = "Quiz Item Analysis"

    quiz = fields.Many2One('copp.quiz', "Quiz", required=True, readonly=True)
    question = fields.Many2One('copp.question', "Question", required=True,
        readonly=True)
    attempt_count = fields.Integer("Attempts", readonly=True)
    facility = fields.Function(fields.Numeric("Facility", digits=(4, 3),
            help="The mean fraction earned (difficulty index): 1 — "
            "everyone answered right."), 'get_indices')
    discrimination = fields.Function(fields.Numeric("Discrimination",
            digits=(4, 3),
            help="Correlation of the question's score with the score on "
            "the rest of the test (−1…1; from 0.3: good)."), 'get_indices')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('quiz')
        cls._order = [('quiz', 'ASC'), ('question', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Attempt = pool.get('copp.quiz.attempt')
        Question = pool.get('copp.quiz.attempt.question')
        attempt, line = Attempt.__table__(), Question.__table__()
        return line.join(attempt, condition=line.attempt == attempt.id
            ).select(
                # one attempt line per group: its id is unique per group
                Min(line.id).as_('id'),
                attempt.quiz.as_('quiz'),
                line.question.as_('question'),
                Count(line.id).as_('attempt_count'),
                Min(attempt.create_uid).as_('create_uid'),
                Min(attempt.create_date).as_('create_date'),
                Max(attempt.write_uid).as_('write_uid'),
                Max(attempt.write_date).as_('write_date'),
                where=attempt.state.in_(FINAL),
                group_by=[attempt.quiz, line.question])

    @classmethod
    def get_indices(cls, rows, names):
        result = {n: {r.id: None for r in rows} for n in names}
        quizzes = list({r.quiz.id for r in rows})
        if not quizzes:
            return result
        data = item_data(quizzes)
        for row in rows:
            facility, discrimination = data.get(
                (row.quiz.id, row.question.id), (None, None))
            if 'facility' in result and facility is not None:
                result['facility'][row.id] = Decimal(
                    str(round(facility, 3)))
            if 'discrimination' in result and discrimination is not None:
                result['discrimination'][row.id] = Decimal(
                    str(round(discrimination, 3)))
        return result


def item_data(quiz_ids):
    """{(quiz id, question id): (facility, discrimination)} of the final
    attempts of the quizzes, read in one query"""
    pool = Pool()
    Attempt = pool.get('copp.quiz.attempt')
    Question = pool.get('copp.quiz.attempt.question')
    attempt, line = Attempt.__table__(), Question.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*line.join(attempt, condition=line.attempt == attempt.id
            ).select(attempt.quiz, attempt.id, line.question, line.fraction,
            line.mark, line.max_mark,
            where=attempt.state.in_(FINAL) & attempt.quiz.in_(quiz_ids)))
    # SQLite gives Numeric back as text or float: read them as floats
    attempts = defaultdict(list)
    for quiz_id, attempt_id, question_id, fraction, mark, max_mark in cursor:
        attempts[(quiz_id, attempt_id)].append((question_id,
                float(fraction or 0), float(mark or 0), float(max_mark or 0)))
    items = defaultdict(list)  # (quiz, question): [(fraction, rest)]
    for (quiz_id, _), lines in attempts.items():
        total_mark = sum(l[2] for l in lines)
        total_max = sum(l[3] for l in lines)
        for question_id, fraction, mark, max_mark in lines:
            rest_max = total_max - max_mark
            rest = (total_mark - mark) / rest_max if rest_max > 0 else 0.0
            items[(quiz_id, question_id)].append((fraction, rest))
    result = {}
    for key, pairs in items.items():
        facility = sum(f for f, _ in pairs) / len(pairs)
        result[key] = (facility, item_rest_correlation(pairs))
    return result
