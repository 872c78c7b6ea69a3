"""Import of curricula from xlsx.

The workbook's first sheet holds, above the table, optional «label: value»
rows describing the curriculum (Колледж, Специальность, Форма обучения,
Год набора, На базе, Наименование) and then a header row with «Индекс» and
one row per line of the plan. Column order is free; extra columns are
skipped. Offered to `copp import curriculum FILE` (the header rows are
required there) and to the back office through the wizard
copp.journal.curriculum.import (the header rows are ignored).
"""
import io
import re
from pathlib import Path

from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.transaction import Transaction

from .curriculum import kind_from_index, normalize_index
from .exceptions import CurriculumImportError

COLUMNS = [
    # field, header shown in the template, accepted header prefixes
    ('index', "Индекс", ['индекс', 'код']),
    ('name', "Наименование", ['наименование', 'дисциплина', 'название']),
    ('semester', "Семестр", ['семестр', 'сем']),
    ('hours_theory', "Теория", ['теори', 'лекци']),
    ('hours_practice', "Практика", ['практ', 'лабораторн', 'лпз']),
    ('hours_self', "Самостоятельная работа", ['самостоятельн', 'срс',
            'сам.', 'сам ']),
    ('hours_total', "Всего", ['всего', 'объем', 'максимальн']),
    ('assessment', "Форма аттестации", ['форма', 'аттестац', 'контрол']),
    ]
REQUIRED = {'index', 'name', 'semester'}
DEFAULT_FILENAME = "Учебный план.xlsx"
META = [
    ('college', ['колледж', 'учреждение', 'организация']),
    ('specialty', ['специальность', 'профессия']),
    ('study_form', ['форма обучения']),
    ('admission_year', ['год набора', 'год приема', 'год поступления']),
    ('basis', ['на базе', 'база']),
    ('name', ['наименование плана', 'название плана', 'учебный план']),
    ]
ASSESSMENT_WORDS = {
    '': None, '-': None, '—': None, 'нет': None,
    'э': 'exam', 'экз': 'exam', 'экзамен': 'exam',
    'з': 'credit', 'зач': 'credit', 'зачет': 'credit',
    'дз': 'diff_credit', 'дифзачет': 'diff_credit',
    'дифференцированныйзачет': 'diff_credit', 'дифзач': 'diff_credit',
    'кр': 'course_work', 'курсоваяработа': 'course_work',
    'кп': 'course_project', 'курсовойпроект': 'course_project',
    'эк': 'qualification_exam', 'экзкв': 'qualification_exam',
    'экзквал': 'qualification_exam', 'эквал': 'qualification_exam',
    'экзаменквалификационный': 'qualification_exam',
    'квалификационныйэкзамен': 'qualification_exam',
    'др': 'other', 'другое': 'other', 'другиеформыконтроля': 'other',
    }
STUDY_FORM_WORDS = {
    'очная': 'full_time', 'очно': 'full_time',
    'очно-заочная': 'part_time', 'вечерняя': 'part_time',
    'заочная': 'extramural', 'заочно': 'extramural',
    }
TEMPLATE_ROWS = [
    ('ОП.01', "Инженерная графика", 1, 20, 46, 6, 72, 'ДЗ'),
    ('ОП.02', "Основы электротехники", 1, 32, 16, 4, 52, 'Э'),
    ('ОП.03', "Информационные технологии", 2, 20, 60, 4, 84, 'ДЗ'),
    ('ПМ.01', "Разработка модулей программного обеспечения", 3, None, None,
        None, None, 'ЭК'),
    ('МДК.01.01', "Разработка программных модулей", 3, 50, 70, 10, 130,
        'Э'),
    ('УП.01', "Учебная практика", 3, None, 72, None, 72, 'ДЗ'),
    ('ПП.01', "Производственная практика", 4, None, 144, None, 144, 'ДЗ'),
    ('СГ.04', "Физическая культура", 1, 2, 30, None, 32, 'З'),
    ]


def _norm(value):
    return re.sub(r'\s+', ' ', str(value or '').strip().lower().replace(
            'ё', 'е').replace('*', '')).strip()


def _cell_text(value):
    if value is None:
        return ''
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_assessment(text, row, column):
    key = re.sub(r'[\s.]', '', _norm(text))
    if key in ASSESSMENT_WORDS:
        return ASSESSMENT_WORDS[key]
    raise CurriculumImportError(gettext(
            'copp_journal.msg_import_assessment', row=row, column=column,
            value=text))


def _int(text, row, column, required=False):
    text = _cell_text(text).replace(',', '.')
    if not text or text in {'-', '—'}:
        if required:
            raise CurriculumImportError(gettext(
                    'copp_journal.msg_import_required', row=row,
                    column=column))
        return None
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is None or number < 0 or not number.is_integer():
        raise CurriculumImportError(gettext(
                'copp_journal.msg_import_number', row=row, column=column,
                value=text))
    return int(number)


def read_workbook(data, filename=None):
    """(meta, rows) of a curriculum workbook: meta is a dict of the «label:
    value» rows, rows a list of (row number, {field: value}). The first
    sheet is read as a stream within the limits of copp.xlsx_read (a
    SpreadsheetError names the file and the limit)."""
    from copp.xlsx_read import read_xlsx
    if not data or data[:2] != b'PK':
        raise CurriculumImportError(gettext(
                'copp_journal.msg_import_not_xlsx'))
    sheet = next(iter(read_xlsx(data, filename or DEFAULT_FILENAME)),
        (None, []))[1]
    meta, columns, rows = {}, None, []
    headers = {}
    for number, values in sheet:
        if columns is None:
            texts = [_norm(v) for v in values]
            if any(t in {'индекс', 'индекс*'} for t in texts):
                columns = {}
                for position, text in enumerate(texts):
                    for field, label, prefixes in COLUMNS:
                        if field in columns:
                            continue
                        if any(text.startswith(p) for p in prefixes):
                            columns[field] = position
                            headers[field] = _cell_text(values[position])
                            break
                missing = REQUIRED - set(columns)
                if missing:
                    labels = [label for field, label, _ in COLUMNS
                        if field in missing]
                    raise CurriculumImportError(gettext(
                            'copp_journal.msg_import_missing_columns',
                            row=number, columns=', '.join(labels)))
                continue
            if values and values[0]:
                label = _norm(values[0]).rstrip(':').strip()
                value = next((v for v in values[1:] if v not in (None, '')),
                    None)
                for key, labels in META:
                    if any(label.startswith(lb) for lb in labels):
                        meta[key] = _cell_text(value)
                        break
            continue
        line = {}
        for field, position in columns.items():
            line[field] = values[position] if position < len(values) else None
        if not any(_cell_text(v) for v in line.values()):
            continue
        rows.append((number, line, headers))
    if columns is None:
        raise CurriculumImportError(gettext(
                'copp_journal.msg_import_no_header'))
    return meta, rows


def line_values(number, line, headers):
    "Values of a copp.journal.curriculum.line from a row of the workbook"
    def column(field):
        return headers.get(field) or dict(
            (f, label) for f, label, _ in COLUMNS)[field]
    index = normalize_index(_cell_text(line.get('index')))
    if not index:
        raise CurriculumImportError(gettext(
                'copp_journal.msg_import_required', row=number,
                column=column('index')))
    name = _cell_text(line.get('name'))
    if not name:
        raise CurriculumImportError(gettext(
                'copp_journal.msg_import_required', row=number,
                column=column('name')))
    semester = _int(line.get('semester'), number, column('semester'),
        required=True)
    if not 1 <= semester <= 10:
        raise CurriculumImportError(gettext(
                'copp_journal.msg_import_number', row=number,
                column=column('semester'), value=semester))
    values = {
        'index': index,
        'name': name,
        'semester': semester,
        'kind': kind_from_index(index),
        }
    for field in ['hours_theory', 'hours_practice', 'hours_self',
            'hours_total']:
        if field in line:
            values[field] = _int(line[field], number, column(field))
    parts = sum(values.get(f) or 0 for f in [
            'hours_theory', 'hours_practice', 'hours_self'])
    if values.get('hours_total') is None:
        values['hours_total'] = parts
    elif values['hours_total'] < parts:
        raise CurriculumImportError(gettext(
                'copp_journal.msg_import_total', row=number,
                column=column('hours_total'), total=values['hours_total'],
                parts=parts))
    if 'assessment' in line:
        values['assessment'] = parse_assessment(
            _cell_text(line['assessment']), number, column('assessment'))
    return values


def import_curriculum_lines(curriculum, data, replace=True, filename=None):
    "Create the lines of `curriculum` from an xlsx workbook (bytes)"
    pool = Pool()
    Line = pool.get('copp.journal.curriculum.line')
    Curriculum = pool.get('copp.journal.curriculum')
    _, rows = read_workbook(data, filename)
    values, seen = [], {}
    for sequence, (number, line, headers) in enumerate(rows, 1):
        value = line_values(number, line, headers)
        key = (value['index'], value['semester'])
        if key in seen:
            raise CurriculumImportError(gettext(
                    'copp_journal.msg_import_duplicate', row=number,
                    other=seen[key], index=value['index'],
                    semester=value['semester']))
        seen[key] = number
        value['curriculum'] = curriculum.id
        value['sequence'] = sequence * 10
        values.append(value)
    if replace:
        Line.delete(Line.search([('curriculum', '=', curriculum.id)]))
    lines = Line.create(values)
    Line.link_modules([Curriculum(curriculum.id)])
    return lines


def import_curriculum_file(pool, path, progress=None):
    """`copp import curriculum FILE`: create an approved curriculum from a
    workbook whose header rows name the college, the specialty, the form of
    study and the year of admission"""
    Company = pool.get('company.company')
    Specialty = pool.get('copp.specialty')
    Curriculum = pool.get('copp.journal.curriculum')
    data = Path(path).read_bytes()
    meta, rows = read_workbook(data, Path(path).name)
    for key, label in [('college', "Колледж"),
            ('specialty', "Специальность"),
            ('admission_year', "Год набора")]:
        if not meta.get(key):
            raise CurriculumImportError(gettext(
                    'copp_journal.msg_import_meta_missing', label=label))
    colleges = Company.search(['OR',
            ('short_name', '=', meta['college']),
            ('party.name', '=', meta['college']),
            ('party.inn', '=', meta['college']),
            ])
    if len(colleges) != 1:
        raise CurriculumImportError(gettext(
                'copp_journal.msg_import_meta_unknown', label="Колледж",
                value=meta['college']))
    college, = colleges
    code = meta['specialty'].split()[0]
    specialties = Specialty.search([
            ('code', '=', code),
            ('company', 'in', [None, college.id]),
            ], order=[('company', 'DESC NULLS LAST')])
    if not specialties:
        raise CurriculumImportError(gettext(
                'copp_journal.msg_import_meta_unknown',
                label="Специальность", value=meta['specialty']))
    study_form = STUDY_FORM_WORDS.get(_norm(meta.get('study_form'))
        or 'очная')
    if not study_form:
        raise CurriculumImportError(gettext(
                'copp_journal.msg_import_meta_unknown',
                label="Форма обучения", value=meta.get('study_form')))
    try:
        year = int(float(meta['admission_year']))
    except ValueError:
        raise CurriculumImportError(gettext(
                'copp_journal.msg_import_meta_unknown', label="Год набора",
                value=meta['admission_year']))
    basis = re.sub(r'\D', '', meta.get('basis') or '') or None
    if basis not in {None, '9', '11'}:
        basis = None
    with Transaction().set_context(company=college.id):
        curriculum, = Curriculum.create([{
                    'name': meta.get('name') or (
                        f'{specialties[0].code} {year}'),
                    'company': college.id,
                    'specialty': specialties[0].id,
                    'study_form': study_form,
                    'basis': basis,
                    'admission_year': year,
                    }])
        lines = import_curriculum_lines(curriculum, data, replace=True,
            filename=Path(path).name)
    return (f"Учебный план «{curriculum.name}» ({college.rec_name}): "
        f"импортировано строк — {len(lines)}.")


IMPORTERS = {
    'curriculum': import_curriculum_file,
    }


def curriculum_template(meta=None, rows=None):
    "The xlsx template of a curriculum (bytes)"
    from copp.xlsx import workbook as xlsx_workbook
    output = io.BytesIO()
    workbook = xlsx_workbook(output, {'in_memory': True})
    sheet = workbook.add_worksheet("Учебный план")
    bold = workbook.add_format({'bold': True})
    head = workbook.add_format({'bold': True, 'bg_color': '#DDEBF7',
            'border': 1, 'text_wrap': True, 'valign': 'top'})
    meta = meta if meta is not None else [
        ("Колледж:", "РКЭ"),
        ("Специальность:", "09.02.07 Информационные системы и "
            "программирование"),
        ("Форма обучения:", "очная"),
        ("Год набора:", 2026),
        ("На базе:", "9 классов"),
        ("Наименование плана:", "09.02.07 ИСП, очная, набор 2026"),
        ]
    for number, (label, value) in enumerate(meta):
        sheet.write(number, 0, label, bold)
        sheet.write(number, 1, value)
    start = len(meta) + 1
    for position, (_, label, _) in enumerate(COLUMNS):
        sheet.write(start, position, label + (
                '*' if COLUMNS[position][0] in REQUIRED else ''), head)
    for number, row in enumerate(
            TEMPLATE_ROWS if rows is None else rows, start + 1):
        for position, value in enumerate(row):
            if value is not None:
                sheet.write(number, position, value)
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 1, 48)
    sheet.set_column(2, 6, 12)
    sheet.set_column(7, 7, 18)
    notes = workbook.add_worksheet("Пояснения")
    for number, (label, text) in enumerate([
            ("Форма аттестации", "Э — экзамен, З — зачёт, ДЗ — "
                "дифференцированный зачёт, КР — курсовая работа, КП — "
                "курсовой проект, ЭК — экзамен квалификационный, пусто — нет"),
            ("Семестр", "номер семестра обучения (1, 2, …); дисциплина, "
                "изучаемая несколько семестров, занимает строку на каждый"),
            ("Часы", "теория — лекции и уроки; практика — практические и "
                "лабораторные занятия; «Всего» не меньше их суммы с "
                "самостоятельной работой (пусто — сумма)"),
            ]):
        notes.write(number, 0, label, bold)
        notes.write(number, 1, text)
    notes.set_column(0, 0, 20)
    notes.set_column(1, 1, 100)
    workbook.close()
    return output.getvalue()
