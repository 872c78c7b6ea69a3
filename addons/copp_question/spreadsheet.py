"""The question bank in an xlsx workbook: one row per answer.

Columns (the first row is the header; its titles are not read, only the
positions):

| col | title | value |
|---|---|---|
| A | Категория | the category's path below the chosen category, «A / B» |
| B | Вопрос | the question's title: a row with a title starts a question, a row without one adds an answer to the question above |
| C | Тип | the kind: its code (single, multiple, truefalse, short, numeric, matching, ordering, essay) or its Russian name (KIND_LABELS) |
| D | Текст вопроса | HTML or plain text |
| E | Балл | the default mark (1 when empty) |
| F | Общий отзыв | HTML or plain text |
| G | Перемешивать | «да»/«нет» (shuffle the answers) |
| H | Учитывать регистр | «да»/«нет» (short answer) |
| I | Ответ | the answer's text (true/false: «true» or «false»; ordering: the items in the right order) |
| J | Оценка, % | the answer's fraction in percent (−100..100) |
| K | Отзыв | the answer's feedback |
| L | Погрешность | numeric: the tolerance |
| M | Соответствие | matching: the right-hand text |

An essay has one row and no answer. Errors name the row of the sheet.
The workbook is written with copp.xlsx (text stays text, no formulas)
and read with openpyxl in read-only mode (values, not formulas)."""
import io
from decimal import Decimal, InvalidOperation

from .formats import FormatError, check, html_value, question_label
from .structure import KIND_CODES, KIND_LABELS, quantize_fraction

HEADER = ["Категория", "Вопрос", "Тип", "Текст вопроса", "Балл",
    "Общий отзыв", "Перемешивать", "Учитывать регистр", "Ответ",
    "Оценка, %", "Отзыв", "Погрешность", "Соответствие"]
YES = {'да', 'yes', 'true', '1', 'д', 'y'}
SEPARATOR = ' / '


def _kind(value):
    value = (value or '').strip()
    if value in KIND_CODES:
        return value
    for code, label in KIND_LABELS.items():
        if label.lower() == value.lower():
            return code
    return None


def _cell(row, index):
    value = row[index] if index < len(row) else None
    if value is None:
        return ''
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _decimal(value, line, label, field):
    if value == '':
        return None
    try:
        result = Decimal(value.replace(',', '.').replace('%', '').strip())
    except InvalidOperation:
        result = None
    if result is None or not result.is_finite():
        raise FormatError('import_number', line, label, value=value,
            field=field)
    return result


def _html(value):
    return html_value(value, 'html' if '<' in value else 'plain')


def parse(data):
    "(questions, categories, skipped) of an xlsx file, as moodle_xml.parse"
    from openpyxl import load_workbook
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True,
            data_only=True)
    except Exception as error:
        raise FormatError('import_xlsx', 0, '', error=str(error))
    sheet = workbook.worksheets[0]
    questions = []
    current = None
    number = 0
    for line, row in enumerate(sheet.iter_rows(values_only=True), 1):
        if line == 1 or not any(_cell(row, i) for i in range(13)):
            continue
        name = _cell(row, 1)
        if name:
            number += 1
            label = question_label(name, number)
            kind = _kind(_cell(row, 2))
            if kind is None:
                raise FormatError('import_type', line, label,
                    type=_cell(row, 2))
            path = [p.strip() for p in _cell(row, 0).split('/')
                if p.strip()]
            mark = _decimal(_cell(row, 4), line, label, HEADER[4])
            current = {
                'name': name, 'kind': kind,
                'text': _html(_cell(row, 3)),
                'default_mark': mark if mark is not None else Decimal(1),
                'general_feedback': _html(_cell(row, 5)),
                'shuffle_answers': _cell(row, 6).lower() in YES,
                'case_sensitive': _cell(row, 7).lower() in YES,
                'category': path, 'line': line, 'number': number,
                'answers': [],
                }
            questions.append(current)
        elif current is None:
            raise FormatError('xlsx_no_question', line, '')
        label = question_label(current['name'], current['number'])
        answer = _cell(row, 8)
        if not (answer or _cell(row, 12) or _cell(row, 9)):
            continue
        fraction = _decimal(_cell(row, 9), line, label, HEADER[9])
        tolerance = _decimal(_cell(row, 11), line, label, HEADER[11])
        kind = current['kind']
        current['answers'].append({
                'text': answer.lower() if kind == 'truefalse' else answer,
                'fraction': quantize_fraction((fraction or 0) / 100),
                'feedback': _cell(row, 10),
                'tolerance': (tolerance or Decimal(0))
                if kind == 'numeric' else None,
                'match_text': _cell(row, 12),
                })
    for data in questions:
        check(data, data['line'], data.pop('number'))
    return questions, {}, 0


def _number(value):
    if value is None:
        return None
    value = Decimal(value).normalize()
    return int(value) if value == value.to_integral() else float(value)


def export(questions, categories=None):
    "An xlsx workbook (bytes) of question dicts"
    from copp.xlsx import workbook as xlsx_workbook
    output = io.BytesIO()
    workbook = xlsx_workbook(output)
    header = workbook.add_format({'bold': True, 'bg_color': '#E8F1FB',
            'border': 1, 'text_wrap': True, 'valign': 'top'})
    sheet = workbook.add_worksheet("Вопросы")
    for col, title in enumerate(HEADER):
        sheet.write_string(0, col, title, header)
    sheet.set_column(0, 1, 25)
    sheet.set_column(3, 3, 40)
    sheet.set_column(8, 8, 30)
    sheet.set_column(12, 12, 25)
    sheet.freeze_panes(1, 2)
    line = 1
    for data in questions:
        rows = data['answers'] or [None]
        for index, answer in enumerate(rows):
            if index == 0:
                sheet.write_string(line, 0, SEPARATOR.join(
                        data.get('category') or []))
                sheet.write_string(line, 1, data['name'])
                sheet.write_string(line, 2, KIND_LABELS[data['kind']])
                sheet.write_string(line, 3, data.get('text') or '')
                sheet.write_number(line, 4, _number(data['default_mark']
                        if data.get('default_mark') is not None else 1))
                sheet.write_string(line, 5,
                    data.get('general_feedback') or '')
                sheet.write_string(line, 6, 'да'
                    if data.get('shuffle_answers') else 'нет')
                sheet.write_string(line, 7, 'да'
                    if data.get('case_sensitive') else 'нет')
            if answer is not None:
                sheet.write_string(line, 8, answer.get('text') or '')
                sheet.write_number(line, 9,
                    _number(Decimal(answer.get('fraction') or 0) * 100))
                sheet.write_string(line, 10, answer.get('feedback') or '')
                if data['kind'] == 'numeric':
                    sheet.write_number(line, 11,
                        _number(answer.get('tolerance') or 0))
                sheet.write_string(line, 12, answer.get('match_text') or '')
            line += 1
    workbook.close()
    return output.getvalue()
