"""Grading of a learner's response to a question: a pure function.

`grade(question, response)` returns the fraction of the question's mark
earned, a Decimal from 0 to 1 (7 decimals), or None when a teacher must
grade it (an essay). `question` is anything with `kind`, `case_sensitive`
and `answers` (each with `id`, `sequence`, `text`, `fraction`, `tolerance`,
`match_text`): a `copp.question` record or a plain object in the tests.

The response, as it comes from JSON, per kind:

- single: the id of the chosen answer (int), e.g. `12`;
- multiple: a list of chosen answer ids, e.g. `[12, 14]`; the fractions of
  the chosen answers are summed (an id counted once) and clamped to 0..1;
- truefalse: `true` or `false`;
- short: the text typed, e.g. `"Москва"`: trimmed (runs of spaces count
  as one), compared with each variant with the question's case rule; `*`
  in a variant matches any characters (Moodle's wildcard);
- numeric: a number or a text (`"3,14"`: a comma is a decimal separator);
  an answer matches when |response − value| ≤ its tolerance; `*` matches
  any number;
- matching: an object {subquestion answer id: chosen answer id}, e.g.
  `{"21": 23, "22": 22}`: a choice is right when the chosen answer has the
  same right-hand text as the subquestion; the grade is the share of the
  subquestions (answers with a left-hand text) matched right;
- ordering: the list of answer ids in the learner's order; the grade is
  the share of the items in their right absolute position (an item is
  right when it stands where it stands in the question's order); a missing
  or repeated item is wrong at that position;
- essay: anything; the grade is None (graded by a teacher).

When several short or numeric answers match, the best fraction counts
(so the order in which a teacher listed them does not matter).
A malformed response (wrong type, unknown id) earns 0, never an error:
a learner's browser may send anything.
"""
import re
from decimal import Decimal, InvalidOperation

ZERO = Decimal(0)
ONE = Decimal(1)
QUANTUM = Decimal('0.0000001')
TRUE_WORDS = {'true', 'верно', 'да', 'истина', 't'}
FALSE_WORDS = {'false', 'неверно', 'нет', 'ложь', 'f'}


def _clamp(value):
    value = max(ZERO, min(ONE, Decimal(value)))
    return value.quantize(QUANTUM)


def _fraction(answer):
    return Decimal(str(answer.fraction or 0))


def _id(value):
    "An answer id from JSON (an int or a text of digits), else None"
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _ordered(question):
    return sorted(question.answers,
        key=lambda a: (a.sequence if a.sequence is not None else 0, a.id))


def parse_number(value):
    "A Decimal of a response or an answer (a comma accepted), else None"
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float, Decimal)):
        try:
            result = Decimal(str(value))
        except InvalidOperation:
            return None
    else:
        text = str(value).strip().replace('\u00a0', '').replace(' ', '')
        text = text.replace(',', '.')
        if not re.fullmatch(r'[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?', text):
            return None
        result = Decimal(text)
    return result if result.is_finite() else None


def truth_value(text):
    "True/False for the text of a true/false answer, None if neither"
    word = (text or '').strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def normalize_text(text):
    return ' '.join(str(text).split())


def wildcard_match(pattern, text, case_sensitive):
    "Moodle's short answer match: `*` is any text, the rest literal"
    pattern = normalize_text(pattern)
    regex = '.*'.join(re.escape(p) for p in pattern.split('*'))
    flags = re.DOTALL if case_sensitive else re.DOTALL | re.IGNORECASE
    return re.fullmatch(regex, text, flags) is not None


def _single(question, response):
    answer_id = _id(response)
    for answer in question.answers:
        if answer.id == answer_id:
            return _clamp(_fraction(answer))
    return ZERO


def _multiple(question, response):
    if not isinstance(response, (list, tuple)):
        return ZERO
    chosen = {_id(r) for r in response} - {None}
    return _clamp(sum((_fraction(a) for a in question.answers
                if a.id in chosen), ZERO))


def _truefalse(question, response):
    if not isinstance(response, bool):
        return ZERO
    for answer in question.answers:
        if truth_value(answer.text) is response:
            return _clamp(_fraction(answer))
    return ZERO


def _short(question, response):
    if not isinstance(response, str):
        return ZERO
    text = normalize_text(response)
    if not text:
        return ZERO
    matches = [_fraction(a) for a in question.answers
        if wildcard_match(a.text or '', text,
            bool(question.case_sensitive))]
    return _clamp(max(matches)) if matches else ZERO


def _numeric(question, response):
    number = parse_number(response)
    if number is None:
        return ZERO
    matches = []
    for answer in question.answers:
        if (answer.text or '').strip() == '*':
            matches.append(_fraction(answer))
            continue
        value = parse_number(answer.text)
        if value is None:
            continue
        tolerance = abs(Decimal(str(answer.tolerance or 0)))
        if abs(number - value) <= tolerance:
            matches.append(_fraction(answer))
    return _clamp(max(matches)) if matches else ZERO


def _matching(question, response):
    subquestions = [a for a in question.answers if (a.text or '').strip()]
    if not subquestions or not isinstance(response, dict):
        return ZERO
    by_id = {a.id: a for a in question.answers}
    chosen = {}
    for key, value in response.items():
        key, value = _id(key), _id(value)
        if key is not None and value in by_id:
            chosen[key] = by_id[value]
    right = sum(1 for s in subquestions if s.id in chosen
        and normalize_text(chosen[s.id].match_text or '')
        == normalize_text(s.match_text or ''))
    return _clamp(Decimal(right) / Decimal(len(subquestions)))


def _ordering(question, response):
    items = [a.id for a in _ordered(question)]
    if not items or not isinstance(response, (list, tuple)):
        return ZERO
    given = [_id(r) for r in response]
    seen = set()
    right = 0
    for position, item in enumerate(items):
        value = given[position] if position < len(given) else None
        if value == item and value not in seen:
            right += 1
        seen.add(value)
    return _clamp(Decimal(right) / Decimal(len(items)))


GRADERS = {
    'single': _single,
    'multiple': _multiple,
    'truefalse': _truefalse,
    'short': _short,
    'numeric': _numeric,
    'matching': _matching,
    'ordering': _ordering,
    }


def grade(question, response):
    """The fraction (Decimal 0..1) `response` earns on `question`, or None
    for an essay (a teacher grades it)"""
    if question.kind == 'essay':
        return None
    return GRADERS[question.kind](question, response)
