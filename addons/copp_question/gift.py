"""GIFT (https://docs.moodle.org/en/GIFT_format): import and export.

A question is a block of lines separated from the next by a blank line:
`::title::` (optional), `[html]`/`[plain]`/`[moodle]`/`[markdown]` (the
text's format, optional), the text, then the answers in braces:

- `{=right ~wrong ~%50%half}`: single choice (one `=`); `{~%50%a ~%50%b
  ~%-100%c}` without `=`: multiple choice;
- `{TRUE}`, `{FALSE}`, `{T}`, `{F}`: true/false (`{T#wrong#right}`: the
  feedback of a wrong and of a right answer);
- `{=a =%50%b}` (only `=`): short answer, `*` a wildcard;
- `{#3.14:0.01}`, `{#1..5}` (a range), `{#=3.14:0.01 =%50%3:1}`: numeric;
- `{=a -> b =c -> d = -> e}`: matching (`= -> e` an extra choice);
- `{>N options` then one item per line, in the right order`}`: ordering
  (the qtype_ordering plugin's GIFT);
- `{}`: essay.
`#text` after an answer is its feedback, `####text` the general feedback.
`$CATEGORY: a/b` switches the category, a line starting with `//` is a
comment (`// [mark:2] [shuffle:0] [usecase:1]` before a question: its
default mark, shuffling and case sensitivity, which GIFT has no syntax
for; Moodle ignores them), `\\~ \\= \\# \\{ \\} \\: \\\\` are the characters themselves and
`\\n` a line break. Text after the braces is kept, the braces becoming a
blank «_____» (Moodle's missing word)."""
import re
from decimal import Decimal, InvalidOperation

from .formats import FormatError, check, html_value, question_label
from .grading import parse_number
from .moodle_xml import category_path
from .structure import quantize_fraction

SPECIAL = '~=#{}:\\'
# Escaped characters are kept aside in the Unicode private use area while
# the structure is parsed.
PLACEHOLDER = {c: chr(0xE000 + i) for i, c in enumerate(SPECIAL)}
RESTORE = {v: k for k, v in PLACEHOLDER.items()}
FORMATS = {'html', 'plain', 'moodle', 'markdown'}


def _protect(text):
    out = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == '\\' and index + 1 < len(text):
            following = text[index + 1]
            if following in PLACEHOLDER:
                out.append(PLACEHOLDER[following])
                index += 2
                continue
            if following == 'n':
                out.append('\n')
                index += 2
                continue
        out.append(char)
        index += 1
    return ''.join(out)


def _restore(text):
    return ''.join(RESTORE.get(c, c) for c in text)


def _blocks(data):
    """(start line, text, comments) of the questions and $CATEGORY lines
    of a file: comment lines are blanked (their line numbers kept) and
    given with the question they precede or are in"""
    text = data.decode('utf-8-sig') if isinstance(data, bytes) else data
    lines = text.replace('\r\n', '\n').replace('\r', '\n').split('\n')
    blocks, current, start, comments = [], [], None, []
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped.startswith('//'):
            comments.append(stripped[2:])
            if current:
                current.append('')
            continue
        if not stripped:
            if current:
                blocks.append((start, '\n'.join(current), comments))
                current, start = [], None
            comments = []
            continue
        if stripped.startswith('$CATEGORY:') and not current:
            blocks.append((number, stripped, []))
            comments = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append((start, '\n'.join(current), comments))
    return blocks


def _metadata(comments):
    """The settings GIFT has no syntax for, kept in comments as Moodle keeps
    `// [id:…]` and `// [tag:…]`: `// [mark:2] [shuffle:0] [usecase:1]`"""
    values = {}
    for comment in comments:
        for key, value in re.findall(r'\[(mark|shuffle|usecase):([^\]]*)\]',
                comment):
            values[key] = value.strip()
    return values


def parse(data):
    "(questions, categories, skipped) of a GIFT file, as moodle_xml.parse"
    questions, categories = [], {}
    path = None
    number = 0
    for line, block, comments in _blocks(data):
        if block.startswith('$CATEGORY:'):
            path = category_path(block[len('$CATEGORY:'):])
            categories.setdefault(tuple(path), '')
            continue
        number += 1
        data = _question(_protect(block), line, number)
        data['category'] = path
        metadata = _metadata(comments)
        if parse_number(metadata.get('mark')) is not None:
            data['default_mark'] = parse_number(metadata['mark'])
        if 'shuffle' in metadata:
            data['shuffle_answers'] = metadata['shuffle'] in {'1', 'true'}
        if 'usecase' in metadata:
            data['case_sensitive'] = metadata['usecase'] in {'1', 'true'}
        questions.append(data)
    return questions, categories, 0


def _line_of(text, offset, start):
    return start + text.count('\n', 0, max(offset, 0))


def _question(text, line, number):
    name = ''
    body = text.strip()
    if body.startswith('::'):
        end = body.find('::', 2)
        if end < 0:
            raise FormatError('gift_title', line, f'№ {number}')
        name = _restore(body[2:end]).strip()
        body = body[end + 2:]
    label = question_label(name, number)
    fmt = 'moodle'
    stripped = body.lstrip()
    if stripped.startswith('['):
        end = stripped.find(']')
        if end > 0 and stripped[1:end].lower() in FORMATS:
            fmt = stripped[1:end].lower()
            body = stripped[end + 1:]
    opening = body.find('{')
    if opening < 0:
        raise FormatError('gift_no_answers', line, label)
    closing = body.find('}', opening)
    if closing < 0:
        raise FormatError('gift_unclosed', _line_of(
                text, text.find(body) + opening, line), label)
    block_line = _line_of(text, text.find(body) + opening, line)
    before, answers, after = (body[:opening], body[opening + 1:closing],
        body[closing + 1:])
    if '{' in after or '}' in after:
        raise FormatError('gift_unclosed', block_line, label)
    question_text = before.strip()
    if after.strip():
        question_text = f'{question_text} _____ {after.strip()}'
    html_format = 'html' if fmt == 'html' else 'plain'
    data = {
        'name': name or _restore(question_text)[:100].strip() or label,
        'text': html_value(_restore(question_text), html_format),
        'general_feedback': '',
        'default_mark': Decimal(1),
        'shuffle_answers': True,
        'case_sensitive': False,
        'line': line,
        'answers': [],
        }
    general = answers.find('####')
    if general >= 0:
        data['general_feedback'] = html_value(
            _restore(answers[general + 4:]).strip(), html_format)
        answers = answers[:general]
    _answers(data, answers.strip(), block_line, label)
    check(data, block_line, number)
    return data


def _split(text, marks):
    "Pieces of an answer block, each starting with one of `marks`"
    pieces = []
    for char in text:
        if char in marks:
            pieces.append(char)
        elif pieces:
            pieces[-1] += char
        elif not char.isspace():
            return None
    return pieces


def _weight(text, default, line, label):
    "(fraction, rest) of `%50%rest`"
    if text.startswith('%'):
        end = text.find('%', 1)
        try:
            value = Decimal(text[1:end]) if end > 0 else None
        except InvalidOperation:
            value = None
        if value is None:
            raise FormatError('gift_weight', line, label,
                value=_restore(text.split()[0] if text.split() else text))
        return quantize_fraction(value / 100), text[end + 1:]
    return Decimal(default), text


def _feedback(text):
    "(text, feedback) of `text#feedback`"
    value, _, feedback = text.partition('#')
    return (_restore(value).strip(),
        _strip_format(_restore(feedback).strip()))


def _strip_format(text):
    text = text.strip()
    if text.startswith('['):
        end = text.find(']')
        if end > 0 and text[1:end].lower() in FORMATS:
            return text[end + 1:].strip()
    return text


def _answers(data, block, line, label):
    upper = block.split('#')[0].strip().upper()
    if not block:
        data['kind'] = 'essay'
    elif upper in {'T', 'TRUE', 'F', 'FALSE'}:
        data['kind'] = 'truefalse'
        right = upper.startswith('T')
        parts = block.split('#')
        wrong_feedback = _restore(parts[1]).strip() if len(parts) > 1 else ''
        right_feedback = _restore(parts[2]).strip() if len(parts) > 2 else ''
        data['answers'] = [
            _answer('true', Decimal(1 if right else 0),
                right_feedback if right else wrong_feedback),
            _answer('false', Decimal(0 if right else 1),
                wrong_feedback if right else right_feedback)]
    elif block.startswith('#'):
        data['kind'] = 'numeric'
        _numeric(data, block[1:].strip(), line, label)
    elif block.startswith('>'):
        data['kind'] = 'ordering'
        items = [_restore(i).strip() for i in block.split('\n')[1:]]
        data['answers'] = [_answer(i, Decimal(0), '') for i in items if i]
    else:
        pieces = _split(block, '=~')
        if pieces is None:
            raise FormatError('gift_answer', line, label,
                value=_restore(block.split()[0]))
        if any('->' in p for p in pieces):
            data['kind'] = 'matching'
            for piece in pieces:
                left, arrow, right = piece[1:].partition('->')
                if not arrow:
                    raise FormatError('gift_answer', line, label,
                        value=_restore(piece.strip()))
                answer = _answer(_restore(_strip_format(left)), Decimal(0),
                    '')
                answer['match_text'] = _restore(right).strip()
                data['answers'].append(answer)
            return
        wrong = any(p.startswith('~') for p in pieces)
        if not wrong:
            data['kind'] = 'short'
        elif any(p.startswith('=') for p in pieces):
            data['kind'] = 'single'
        else:
            data['kind'] = 'multiple'
        for piece in pieces:
            default = 1 if piece.startswith('=') else 0
            fraction, rest = _weight(piece[1:].strip(), default, line, label)
            value, feedback = _feedback(rest)
            data['answers'].append(_answer(_strip_format(value), fraction,
                    feedback))


def _answer(text, fraction, feedback):
    return {'text': text, 'fraction': fraction, 'feedback': feedback,
        'tolerance': None, 'match_text': ''}


def _numeric(data, block, line, label):
    if block[:1] not in {'=', '~'}:
        block = '=' + block
    pieces = _split(block, '=~')
    if pieces is None:
        raise FormatError('gift_answer', line, label, value=_restore(block))
    for piece in pieces:
        default = 1 if piece.startswith('=') else 0
        fraction, rest = _weight(piece[1:].strip(), default, line, label)
        value, feedback = _feedback(rest)
        if not value and piece.startswith('~'):
            value = '*'  # `~#feedback`: any other number
        if value == '*':
            tolerance = Decimal(0)
        elif '..' in value:
            low, _, high = value.partition('..')
            low, high = parse_number(low), parse_number(high)
            if low is None or high is None:
                raise FormatError('gift_number', line, label, value=value)
            value = _plain((low + high) / 2)
            tolerance = abs(high - low) / 2
        else:
            number, _, tolerance = value.partition(':')
            if parse_number(number) is None or (
                    tolerance and parse_number(tolerance) is None):
                raise FormatError('gift_number', line, label, value=value)
            value = number.strip()
            tolerance = parse_number(tolerance) if tolerance else Decimal(0)
        answer = _answer(value, fraction, feedback)
        answer['tolerance'] = tolerance
        data['answers'].append(answer)


def _plain(value):
    text = format(Decimal(value).normalize(), 'f')
    return text if text != '-0' else '0'


def escape(text):
    "A text in GIFT: its special characters and line breaks escaped"
    text = ''.join('\\' + c if c in SPECIAL else c for c in (text or ''))
    return text.replace('\r\n', '\n').replace('\n', '\\n')


def _percent(fraction):
    return _plain(Decimal(fraction or 0) * 100)


def export(questions, categories=None):
    "GIFT (bytes, UTF-8) of question dicts"
    out = []
    current = None
    for data in questions:
        path = tuple(data.get('category') or ())
        if path != current:
            current = path
            out.append('$CATEGORY: $course$/top' + ''.join(
                    '/' + n.replace('/', '//') for n in path))
            out.append('')
        out.append(f'// {data["kind"]}')
        out.append('// [mark:%s] [shuffle:%d] [usecase:%d]' % (
                _plain(data.get('default_mark') or 0),
                bool(data.get('shuffle_answers')),
                bool(data.get('case_sensitive'))))
        out.append(_export_question(data))
        out.append('')
    return '\n'.join(out).encode('utf-8')


def _feedback_text(answer):
    feedback = answer.get('feedback') or ''
    return f'#{escape(feedback)}' if feedback else ''


def _export_question(data):
    kind = data['kind']
    head = f'::{escape(data["name"])}::[html]{escape(data.get("text"))}'
    answers = data['answers']
    if kind == 'essay':
        body = ''
    elif kind == 'truefalse':
        right = next(a for a in answers if a['fraction'] == 1)
        wrong = next(a for a in answers if a is not right)
        body = ('TRUE' if right['text'] == 'true' else 'FALSE') + (
            f'#{escape(wrong.get("feedback"))}'
            f'#{escape(right.get("feedback"))}')
    elif kind == 'ordering':
        body = f'>{len(answers)} none\n' + '\n'.join(
            escape(a['text']) for a in answers) + '\n'
    elif kind == 'matching':
        body = '\n' + ''.join(
            f'\t={escape(a["text"])} -> {escape(a["match_text"])}\n'
            for a in answers)
    elif kind == 'numeric':
        body = '#\n' + ''.join(
            f'\t=%{_percent(a["fraction"])}%{escape(a["text"])}'
            + (f':{_plain(a.get("tolerance") or 0)}'
                if a['text'].strip() != '*' else '')
            + _feedback_text(a) + '\n' for a in answers)
    else:
        lines = []
        for answer in answers:
            fraction = Decimal(answer['fraction'])
            if kind == 'multiple':
                mark = f'~%{_percent(fraction)}%'
            elif fraction == 1:
                mark = '='
            else:
                mark = (f'~%{_percent(fraction)}%' if kind == 'single'
                    else f'=%{_percent(fraction)}%')
                if kind == 'single' and fraction == 0:
                    mark = '~'
            lines.append(f'\t{mark}{escape(answer["text"])}'
                + _feedback_text(answer) + '\n')
        body = '\n' + ''.join(lines)
    general = data.get('general_feedback') or ''
    if general:
        body += f'####{escape(general)}'
    return f'{head}{{{body}}}'
