"""Moodle XML (https://docs.moodle.org/en/Moodle_XML_format): import and
export of the question bank.

Supported question types: multichoice (single and multiple), truefalse,
shortanswer, numerical (several answers with a tolerance), matching (with
subquestions; a subquestion without text is an extra right-hand choice),
ordering (the qtype_ordering plugin: the answers' `fraction` is their
position) and essay. `<question type="category">` switches the category:
`$course$/top/A/B` is A / B below the category chosen in the wizard (`//`
is a slash inside a name); its `<info>` is the category's description.
`description` items (text without a question) are skipped; any other type
is refused. Fractions are percents (Moodle's 33.33333 for a third).
Embedded files (`<file>`) are not imported: the bank keeps text only.

The file comes from outside: lxml parses it without entities, DTD or
network (no XXE, no billion laughs)."""
import re
from decimal import Decimal, InvalidOperation

from lxml import etree

from .formats import FormatError, check, html_value, plain_value, \
    question_label
from .structure import quantize_fraction

TYPES = {
    'multichoice': None,  # single or multiple: <single>
    'truefalse': 'truefalse',
    'shortanswer': 'short',
    'numerical': 'numeric',
    'matching': 'matching',
    'ordering': 'ordering',
    'essay': 'essay',
    }
EXPORT_TYPES = {
    'single': 'multichoice', 'multiple': 'multichoice',
    'truefalse': 'truefalse', 'short': 'shortanswer',
    'numeric': 'numerical', 'matching': 'matching',
    'ordering': 'ordering', 'essay': 'essay',
    }
SKIPPED = {'description'}
PATH_PREFIX = re.compile(r'^\$[a-z0-9]+\$/?')


def _parser():
    return etree.XMLParser(resolve_entities=False, no_network=True,
        load_dtd=False, dtd_validation=False, huge_tree=False,
        remove_comments=True, remove_pis=True)


def _text(element, tag='text'):
    if element is None:
        return ''
    value = element.findtext(tag)
    return value or ''


def _flag(element, tag, default=False):
    value = (element.findtext(tag) or '').strip().lower()
    if not value:
        return default
    return value in {'1', 'true', 'yes'}


def _decimal(value, line, question, what):
    try:
        result = Decimal((value or '0').strip().replace(',', '.'))
    except InvalidOperation:
        result = None
    if result is None or not result.is_finite():
        raise FormatError('import_number', line, question,
            value=value or '', field=what)
    return result


def category_path(text):
    "The names of a Moodle category path below the course's top"
    text = PATH_PREFIX.sub('', (text or '').strip())
    names = [n.replace('//', '/').strip()
        for n in re.split(r'(?<!/)/(?!/)', text)]
    names = [n for n in names if n]
    if names and names[0] == 'top':
        names = names[1:]
    return names


def parse(data):
    """(questions, categories, skipped) of a Moodle XML file (bytes):
    question dicts of structure.py with their `line`, the descriptions of
    the categories {path tuple: text} and the count of skipped items"""
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        line = error.lineno or (error.position[0] if error.position else 0)
        raise FormatError('import_xml', line, '', error=error.msg)
    elements = [root] if root.tag == 'question' else root.findall(
        'question')
    if root.tag not in {'quiz', 'question'}:
        raise FormatError('import_xml', root.sourceline, '',
            error="<quiz>")
    questions, categories, skipped = [], {}, 0
    path = None
    number = 0
    for element in elements:
        qtype = element.get('type', '')
        line = element.sourceline
        if qtype == 'category':
            path = category_path(_text(element.find('category')))
            info = element.find('info')
            if info is not None and _text(info).strip():
                categories[tuple(path)] = plain_value(
                    _text(info), info.get('format'))
            else:
                categories.setdefault(tuple(path), '')
            continue
        number += 1
        name = _text(element.find('name')).strip()
        label = question_label(name, number)
        if qtype in SKIPPED:
            skipped += 1
            continue
        if qtype not in TYPES:
            raise FormatError('import_type', line, label, type=qtype)
        questions.append(_question(element, qtype, name, label, path,
                number))
    return questions, categories, skipped


def _question(element, qtype, name, label, path, number):
    line = element.sourceline
    text = element.find('questiontext')
    feedback = element.find('generalfeedback')
    kind = TYPES[qtype]
    if qtype == 'multichoice':
        kind = 'single' if _flag(element, 'single', True) else 'multiple'
    data = {
        'name': name or plain_value(_text(text), 'html')[:100] or label,
        'kind': kind,
        'text': html_value(_text(text), text.get('format')
            if text is not None else 'html'),
        'general_feedback': html_value(_text(feedback),
            feedback.get('format') if feedback is not None else 'html'),
        'default_mark': _decimal(element.findtext('defaultgrade') or '1',
            line, label, 'defaultgrade'),
        'shuffle_answers': _flag(element, 'shuffleanswers',
            kind in {'single', 'multiple', 'matching'}),
        'case_sensitive': _flag(element, 'usecase'),
        'category': path,
        'line': line,
        'answers': [],
        }
    if kind == 'matching':
        for sub in element.findall('subquestion'):
            data['answers'].append({
                    'text': plain_value(_text(sub), sub.get('format')),
                    'fraction': Decimal(0),
                    'feedback': '',
                    'tolerance': None,
                    'match_text': plain_value(
                        _text(sub.find('answer')), 'plain'),
                    'line': sub.sourceline,
                    })
    elif kind != 'essay':
        answers = []
        for answer in element.findall('answer'):
            value = _decimal(answer.get('fraction', '0'),
                answer.sourceline, label, 'fraction')
            answer_feedback = answer.find('feedback')
            tolerance = answer.findtext('tolerance')
            answers.append({
                    'text': plain_value(_text(answer), answer.get(
                            'format')),
                    'fraction': value,
                    'feedback': plain_value(_text(answer_feedback),
                        answer_feedback.get('format')
                        if answer_feedback is not None else ''),
                    'tolerance': (_decimal(tolerance, answer.sourceline,
                            label, 'tolerance')
                        if kind == 'numeric' and tolerance is not None
                        and tolerance.strip() else
                        (Decimal(0) if kind == 'numeric' else None)),
                    'match_text': '',
                    'line': answer.sourceline,
                    })
        if kind == 'ordering':
            # The position of an item is its fraction (1, 2, …).
            answers.sort(key=lambda a: a['fraction'])
            for answer in answers:
                answer['fraction'] = Decimal(0)
        else:
            for answer in answers:
                answer['fraction'] = quantize_fraction(
                    answer['fraction'] / 100)
        if kind == 'truefalse':
            for answer in answers:
                answer['text'] = answer['text'].strip().lower()
        data['answers'] = answers
    check(data, line, number)
    return data


def _percent(fraction):
    value = (Decimal(fraction or 0) * 100).normalize()
    text = format(value, 'f')
    return text if text != '-0' else '0'


def _number(value):
    text = format(Decimal(value or 0).normalize(), 'f')
    return text if text != '-0' else '0'


def _sub(parent, tag, text=None, html=False, **attrib):
    element = etree.SubElement(parent, tag, **attrib)
    if text is not None:
        inner = etree.SubElement(element, 'text')
        inner.text = etree.CDATA(text) if html and text else text
    return element


def _value(parent, tag, value):
    element = etree.SubElement(parent, tag)
    element.text = value
    return element


def export(questions, categories=None):
    """Moodle XML (bytes) of question dicts; `categories` are the
    descriptions {path tuple: text}"""
    categories = categories or {}
    root = etree.Element('quiz')
    current = None
    for data in questions:
        path = tuple(data.get('category') or ())
        if path != current:
            current = path
            category = etree.SubElement(root, 'question', type='category')
            _sub(category, 'category', '$course$/top' + ''.join(
                    '/' + n.replace('/', '//') for n in path))
            if categories.get(path):
                _sub(category, 'info', categories[path],
                    format='plain_text')
        _export_question(root, data)
    return etree.tostring(root, xml_declaration=True, encoding='UTF-8',
        pretty_print=True)


def _export_question(root, data):
    kind = data['kind']
    element = etree.SubElement(root, 'question', type=EXPORT_TYPES[kind])
    _sub(element, 'name', data['name'])
    _sub(element, 'questiontext', data.get('text') or '', html=True,
        format='html')
    _sub(element, 'generalfeedback', data.get('general_feedback') or '',
        html=True, format='html')
    _value(element, 'defaultgrade', _number(data.get('default_mark')))
    _value(element, 'penalty', '0')
    _value(element, 'hidden', '0')
    if kind in {'single', 'multiple'}:
        _value(element, 'single', 'true' if kind == 'single' else 'false')
    if kind in {'single', 'multiple', 'matching'}:
        _value(element, 'shuffleanswers',
            'true' if data.get('shuffle_answers') else 'false')
    if kind == 'short':
        _value(element, 'usecase', '1' if data.get('case_sensitive')
            else '0')
    if kind == 'ordering':
        # qtype_ordering: all items, absolute positions graded
        _value(element, 'layouttype', 'VERTICAL')
        _value(element, 'selecttype', 'ALL')
        _value(element, 'selectcount', '0')
        _value(element, 'gradingtype', 'ABSOLUTE_POSITION')
    if kind == 'essay':
        _value(element, 'responseformat', 'editor')
        _value(element, 'responserequired', '1')
        _value(element, 'responsefieldlines', '15')
        _value(element, 'attachments', '0')
        return
    for position, answer in enumerate(data['answers'], 1):
        if kind == 'matching':
            sub = _sub(element, 'subquestion', answer.get('text') or '',
                format='plain_text')
            _sub(sub, 'answer', answer.get('match_text') or '')
            continue
        fraction = (str(position) if kind == 'ordering'
            else _percent(answer.get('fraction')))
        item = _sub(element, 'answer', answer.get('text') or '',
            fraction=fraction, format='plain_text')
        _sub(item, 'feedback', answer.get('feedback') or '',
            format='plain_text')
        if kind == 'numeric':
            _value(item, 'tolerance', _number(answer.get('tolerance')))
