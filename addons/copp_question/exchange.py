"""Import and export of questions between the bank and the files of
moodle_xml.py, gift.py and spreadsheet.py (used by the wizards).

An import is all or nothing: the file is parsed and every question checked
before the first record is created, and the wizard runs in one
transaction, so an error leaves the bank as it was."""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.pool import Pool

from . import gift, moodle_xml, spreadsheet, structure
from .exceptions import QuestionImportError
from .formats import FormatError
from .structure import FRACTION_QUANTUM

FORMATS = {
    'xml': moodle_xml,
    'gift': gift,
    'xlsx': spreadsheet,
    }
EXTENSIONS = {
    '.xml': 'xml',
    '.gift': 'gift',
    '.txt': 'gift',
    '.xlsx': 'xlsx',
    }
EXPORT_EXTENSIONS = {'xml': '.xml', 'gift': '.gift.txt', 'xlsx': '.xlsx'}
MAX_SIZE = 20 * 1024 * 1024
# The digits of copp.question's default_mark
MARK_QUANTUM = Decimal('0.0001')


def detect_format(filename):
    "The format of a file by its name's extension, else None"
    name = (filename or '').lower()
    for extension, fmt in sorted(EXTENSIONS.items(),
            key=lambda e: -len(e[0])):
        if name.endswith(extension):
            return fmt
    return None


def import_error(error):
    "The user's error of a FormatError, in the user's language"
    params = dict(error.params)
    text = gettext(f'copp_question.msg_{error.message}', **params)
    return QuestionImportError(gettext('copp_question.msg_import_line',
            line=params['line'], error=text))


def parse(data, fmt):
    try:
        return FORMATS[fmt].parse(data)
    except FormatError as error:
        raise import_error(error) from error


def import_questions(data, fmt, category):
    """Create the questions of a file below `category`; return (questions,
    new categories, skipped items)"""
    pool = Pool()
    Question = pool.get('copp.question')
    Category = pool.get('copp.question.category')
    if len(data) > MAX_SIZE:
        raise QuestionImportError(gettext(
                'copp_question.msg_import_too_large',
                size=MAX_SIZE // (1024 * 1024)))
    questions, descriptions, skipped = parse(data, fmt)
    cache = {(): category}
    created_categories = []

    def get_category(path):
        path = tuple(path or ())
        if path in cache:
            return cache[path]
        parent = get_category(path[:-1])
        found = Category.search([
                ('parent', '=', parent.id), ('name', '=', path[-1])],
            limit=1)
        if found:
            cache[path] = found[0]
        else:
            new, = Category.create([{
                        'company': category.company.id,
                        'parent': parent.id,
                        'name': path[-1],
                        'description': descriptions.get(path) or None,
                        }])
            created_categories.append(new)
            cache[path] = new
        return cache[path]

    values = []
    for data in questions:
        values.append({
                'company': category.company.id,
                'category': get_category(data.get('category')).id,
                'name': data['name'][:250],
                'kind': data['kind'],
                'text': data.get('text') or None,
                'general_feedback': data.get('general_feedback') or None,
                'default_mark': Decimal(data.get('default_mark') or 0
                    ).quantize(MARK_QUANTUM),
                'shuffle_answers': bool(data.get('shuffle_answers')),
                'case_sensitive': bool(data.get('case_sensitive')),
                'answers': [('create', [{
                                'sequence': number,
                                'text': a.get('text') or None,
                                'fraction': a.get('fraction') or 0,
                                'feedback': a.get('feedback') or None,
                                'tolerance': a['tolerance'].quantize(
                                    FRACTION_QUANTUM)
                                if a.get('tolerance') is not None
                                else None,
                                'match_text': a.get('match_text') or None,
                                } for number, a in enumerate(
                                data['answers'], 1)])],
                })
    return Question.create(values), created_categories, skipped


def export_filename(fmt):
    "The name of an exported file, in the user's language"
    return gettext('copp_question.msg_export_filename') + \
        EXPORT_EXTENSIONS[fmt]


def export_questions(questions, fmt):
    "The file (bytes) of question records in a format"
    descriptions = {}
    values = []
    for question in questions:
        data = structure.question_values(question)
        values.append(data)
        category = question.category
        path = tuple(data['category'])
        while path and path not in descriptions:
            descriptions[path] = category.description or ''
            category, path = category.parent, path[:-1]
    return FORMATS[fmt].export(values, descriptions)
