"""The kinds of questions and the rules of their answers, shared by the
model's validation and the importers (an imported question is checked
before anything is saved, so that the error names the line of the file).

A question is exchanged as a plain dict (see `question_values`):
    {'name', 'kind', 'text' (HTML), 'general_feedback' (HTML),
     'default_mark' (Decimal), 'shuffle_answers', 'case_sensitive',
     'category' (list of names from the root, or None),
     'answers': [{'text', 'fraction' (Decimal −1..1), 'feedback',
                  'tolerance' (Decimal or None), 'match_text'}]}
The answers are in their order (`sequence`).
"""
from decimal import Decimal

from .grading import parse_number, truth_value

KINDS = [
    ('single', "Single Choice"),
    ('multiple', "Multiple Choice"),
    ('truefalse', "True/False"),
    ('short', "Short Answer"),
    ('numeric', "Numeric"),
    ('matching', "Matching"),
    ('ordering', "Ordering"),
    ('essay', "Essay"),
    ]
KIND_CODES = [k for k, _ in KINDS]
# Russian names of the kinds, as written in xlsx files
KIND_LABELS = {
    'single': "Один ответ",
    'multiple': "Несколько ответов",
    'truefalse': "Верно/неверно",
    'short': "Короткий ответ",
    'numeric': "Числовой",
    'matching': "На соответствие",
    'ordering': "Упорядочение",
    'essay': "Эссе",
    }
FRACTION_QUANTUM = Decimal('0.0000001')
# The sum of the positive fractions of a multiple choice: 100 %, with
# Moodle's 33.33333 % thirds
SUM_TOLERANCE = Decimal('0.00001')


def quantize_fraction(value):
    return Decimal(value).quantize(FRACTION_QUANTUM)


def errors(data):
    """The first broken rule of a question dict: (message name, extra
    parameters) or None. Message names are ir.message ids of copp_question
    without the `msg_` prefix."""
    kind = data.get('kind')
    answers = data.get('answers') or []
    if kind not in KIND_CODES:
        return ('question_kind', {'kind': kind or ''})
    mark = data.get('default_mark')
    if mark is not None and Decimal(mark) < 0:
        return ('question_mark', {})
    for number, answer in enumerate(answers, 1):
        fraction = Decimal(answer.get('fraction') or 0)
        if not (-1 <= fraction <= 1):
            return ('answer_fraction', {'answer': number})
        tolerance = answer.get('tolerance')
        if tolerance is not None and Decimal(tolerance) < 0:
            return ('answer_tolerance', {'answer': number})
        if kind != 'matching' and not (answer.get('text') or '').strip():
            return ('answer_text', {'answer': number})
    fractions = [Decimal(a.get('fraction') or 0) for a in answers]
    if kind == 'single':
        if len(answers) < 2:
            return ('choice_count', {})
        if fractions.count(Decimal(1)) != 1:
            return ('single_right', {})
    elif kind == 'multiple':
        if len(answers) < 2:
            return ('choice_count', {})
        positive = sum(f for f in fractions if f > 0)
        if abs(positive - 1) > SUM_TOLERANCE:
            return ('multiple_sum', {})
    elif kind == 'truefalse':
        truths = sorted(str(truth_value(a.get('text'))) for a in answers)
        if truths != ['False', 'True'] or sorted(fractions) != [0, 1]:
            return ('truefalse_answers', {})
    elif kind == 'short':
        if not answers:
            return ('short_answers', {})
        if max(fractions) != 1:
            return ('right_answer', {})
    elif kind == 'numeric':
        if not answers:
            return ('numeric_answers', {})
        for number, answer in enumerate(answers, 1):
            text = (answer.get('text') or '').strip()
            if text != '*' and parse_number(text) is None:
                return ('numeric_value', {'answer': number,
                        'value': text})
        if max(fractions) != 1:
            return ('right_answer', {})
    elif kind == 'matching':
        pairs = 0
        for number, answer in enumerate(answers, 1):
            if not (answer.get('match_text') or '').strip():
                return ('matching_right', {'answer': number})
            if (answer.get('text') or '').strip():
                pairs += 1
        if pairs < 2:
            return ('matching_pairs', {})
    elif kind == 'ordering':
        if len(answers) < 2:
            return ('ordering_items', {})
    elif kind == 'essay':
        if answers:
            return ('essay_answers', {})
    return None


def question_values(question, root=None):
    """The dict of a copp.question record; `category` is the path of names
    below `root` (a category record; None: from the top)"""
    path = []
    category = question.category
    while category and category != root:
        path.insert(0, category.name)
        category = category.parent
    return {
        'name': question.name,
        'kind': question.kind,
        'text': question.text or '',
        'general_feedback': question.general_feedback or '',
        'default_mark': question.default_mark,
        'shuffle_answers': bool(question.shuffle_answers),
        'case_sensitive': bool(question.case_sensitive),
        'category': path,
        'answers': [{
                'text': a.text or '',
                'fraction': Decimal(a.fraction or 0),
                'feedback': a.feedback or '',
                'tolerance': a.tolerance,
                'match_text': a.match_text or '',
                } for a in question.ordered_answers],
        }
