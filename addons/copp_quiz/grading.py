"""The arithmetic of quiz grades, without the database (unit-testable).

- `quiz_grade(scores, method)`: the learner's grade on the quiz from the
  scores (percent) of their final attempts in the order they were made;
- `item_rest_correlation(pairs)`: the discrimination index of one question
  (Pearson's correlation of the item score with the score on the rest of
  the test, see analysis.py)."""
import json
import math
from decimal import ROUND_HALF_UP, Decimal

GRADE_METHODS = [
    ('best', "Highest Grade"),
    ('last', "Last Attempt"),
    ('average', "Average Grade"),
    ('first', "First Attempt"),
    ]
HUNDRED = Decimal(100)
CENT = Decimal('0.01')
# A response larger than this (JSON text) is refused: no kind needs more
# than a long essay.
RESPONSE_MAX = 60000


def quantize(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def quiz_grade(scores, method):
    "The grade (percent) by `method` of the scores in attempt order"
    scores = [Decimal(s) for s in scores if s is not None]
    if not scores:
        return None
    if method == 'best':
        return quantize(max(scores))
    if method == 'last':
        return quantize(scores[-1])
    if method == 'first':
        return quantize(scores[0])
    if method == 'average':
        return quantize(sum(scores) / len(scores))
    raise ValueError(method)


def attempt_score(marks, max_marks):
    "The score in percent of the marks out of max_marks"
    total = sum((Decimal(m) for m in max_marks), Decimal(0))
    if not total:
        return Decimal(0)
    got = sum((Decimal(m or 0) for m in marks), Decimal(0))
    return quantize(got * HUNDRED / total)


def encode_response(response):
    "The stored text of a response (stable: an equal response, equal text)"
    if response is None:
        return None
    return json.dumps(response, ensure_ascii=False, sort_keys=True,
        separators=(',', ':'))


def decode_response(text):
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def item_rest_correlation(pairs):
    """Pearson's r of the (item, rest) pairs, or None when it is undefined
    (fewer than 3 attempts, or an item or a rest score that never varies)"""
    pairs = [(float(x), float(y)) for x, y in pairs]
    n = len(pairs)
    if n < 3:
        return None
    mean_x = sum(x for x, _ in pairs) / n
    mean_y = sum(y for _, y in pairs) / n
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in pairs)
    sxx = sum((x - mean_x) ** 2 for x, _ in pairs)
    syy = sum((y - mean_y) ** 2 for _, y in pairs)
    if sxx <= 0 or syy <= 0:
        return None
    return sxy / math.sqrt(sxx * syy)
