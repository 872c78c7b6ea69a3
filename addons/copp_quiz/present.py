"""The questions of an attempt as the cabinet shows them, and the learner's
form values back to a response in copp_question's format.

Field names of a question (attempt question id N): `qN` (single: the
answer id; truefalse: true/false; multiple: one value per checked answer
id; short, numeric, essay: the text); matching `qN_S` = the answer id
chosen for the subquestion S; ordering `qN_A` = the position (1…) given
to the answer A. The same names are posted by the plain form (no script)
and, per question, by the page's script as JSON {"question": N,
"values": {name: [values]}}."""
from copp_site.sanitize import clean_html

from .grading import decode_response

TEXT_KINDS = {'short', 'numeric', 'essay'}
TEXT_LIMIT = {'short': 500, 'numeric': 100, 'essay': 50000}


def _int(value):
    value = (value or '').strip()
    return int(value) if value.isdigit() else None


def response_from_values(attempt_question, values, kind=None):
    """The response of the form `values` ({name: [str]}) for the question
    (of `kind` when the caller knows it), None when nothing is answered.
    Only matching and ordering read the question's answers."""
    if kind is None:
        kind = attempt_question.kind
    name = f'q{attempt_question.id}'
    given = [str(v) for v in (values.get(name) or [])]
    first = given[0] if given else ''
    if kind == 'single':
        return _int(first)
    if kind == 'truefalse':
        return {'true': True, 'false': False}.get(first.strip())
    if kind == 'multiple':
        ids = sorted({i for i in map(_int, given) if i is not None})
        return ids or None
    if kind in TEXT_KINDS:
        text = first[:TEXT_LIMIT[kind]]
        if kind != 'essay':
            text = text.strip()
        return text if text.strip() else None
    answers = attempt_question.ordered_answers()
    if kind == 'matching':
        result = {}
        for answer in answers:
            if not (answer.text or '').strip():
                continue
            chosen = _int((values.get(f'{name}_{answer.id}') or [''])[0])
            if chosen is not None:
                result[str(answer.id)] = chosen
        return result or None
    if kind == 'ordering':
        positions = []
        for index, answer in enumerate(answers):
            position = _int((values.get(f'{name}_{answer.id}') or [''])[0])
            if position is not None:
                positions.append((position, index, answer.id))
        if not positions:
            return None
        return [a for _, _, a in sorted(positions)]
    return None


def field_names(attempt_question):
    "The form names the question posts"
    name = f'q{attempt_question.id}'
    if attempt_question.question.kind in ('matching', 'ordering'):
        return [f'{name}_{a.id}' for a in attempt_question.ordered_answers()]
    return [name]


def _right_answers(question, answers):
    "The right answer(s) in words"
    kind = question.kind
    if kind in ('single', 'multiple', 'short', 'numeric', 'truefalse'):
        best = [a for a in answers if (a.fraction or 0) > 0]
        if kind in ('short', 'numeric', 'truefalse', 'single'):
            top = max((a.fraction or 0) for a in answers) if answers else 0
            best = [a for a in answers if top and (a.fraction or 0) == top]
        return [a.text or '' for a in best]
    if kind == 'matching':
        return [f'{a.text} → {a.match_text}' for a in answers
            if (a.text or '').strip()]
    if kind == 'ordering':
        ordered = sorted(answers, key=lambda a: (a.sequence or 0, a.id))
        return [f'{i}. {a.text}' for i, a in enumerate(ordered, 1)]
    return []


def question_view(attempt_question, number, review=None):
    """A dict for the templates; review: the review options (marks,
    answers, feedback) on the review page, None while answering"""
    question = attempt_question.question
    kind = question.kind
    value = decode_response(attempt_question.response)
    answers = attempt_question.ordered_answers()
    name = f'q{attempt_question.id}'
    view = {
        'id': attempt_question.id,
        'number': number,
        'kind': kind,
        'name': name,
        'text': clean_html(question.text or ''),
        'answered': attempt_question.response is not None,
        'value': value,
        'text_value': value if isinstance(value, str) else '',
        'options': [],
        'rows': [],
        'choices': [],
        }
    if kind in ('single', 'multiple'):
        chosen = set(value if isinstance(value, list) else [value])
        view['options'] = [{'id': a.id, 'label': a.text or '',
                'checked': a.id in chosen,
                'feedback': a.feedback if a.id in chosen else None,
                'right': (a.fraction or 0) > 0} for a in answers]
    elif kind == 'truefalse':
        view['options'] = [
            {'id': 'true', 'label': "Верно", 'checked': value is True},
            {'id': 'false', 'label': "Неверно", 'checked': value is False},
            ]
    elif kind == 'matching':
        chosen = value if isinstance(value, dict) else {}
        seen, choices = set(), []
        for a in answers:
            label = (a.match_text or '').strip()
            if label and label not in seen:
                seen.add(label)
                choices.append({'id': a.id, 'label': label})
        view['choices'] = choices
        view['rows'] = [{'id': a.id, 'label': a.text or '',
                'field': f'{name}_{a.id}',
                'selected': _int(str(chosen.get(str(a.id), '')))}
            for a in answers if (a.text or '').strip()]
        # a chosen answer id stands for its right-hand text
        by_text = {c['label']: c['id'] for c in choices}
        by_id = {a.id: (a.match_text or '').strip() for a in answers}
        for row in view['rows']:
            if row['selected'] is not None:
                row['selected'] = by_text.get(by_id.get(row['selected']))
    elif kind == 'ordering':
        positions = {}
        if isinstance(value, list):
            positions = {_int(str(v)): i for i, v in enumerate(value, 1)}
        view['rows'] = [{'id': a.id, 'label': a.text or '',
                'field': f'{name}_{a.id}',
                'selected': positions.get(a.id)} for a in answers]
        view['positions'] = list(range(1, len(answers) + 1))
    if review is not None:
        view['review'] = review
        view['pending'] = (attempt_question.fraction is None
            and attempt_question.attempt.state == 'needs_grading')
        view['mark'] = attempt_question.mark
        view['max_mark'] = attempt_question.max_mark
        view['response_text'] = attempt_question.response_text
        view['right'] = (_right_answers(question, answers)
            if review.get('answers') else [])
        feedback = []
        if review.get('feedback'):
            feedback = [o['feedback'] for o in view['options']
                if o.get('feedback')]
            if isinstance(value, str) and kind in ('short', 'numeric'):
                feedback += [a.feedback for a in answers if a.feedback
                    and (a.text or '').strip().lower()
                    == value.strip().lower()]
            if getattr(question, 'general_feedback', None):
                feedback.append(clean_html(question.general_feedback))
            if attempt_question.feedback:
                feedback.append(attempt_question.feedback)
        view['feedback'] = feedback
    return view
