"""The ФИС ФРДО upload files for the documents of further professional
education (ДПО: удостоверения, дипломы) and of professional training (ПО:
свидетельства), on their own templates: one sheet «Шаблон», row 1 = the
headers below, one row per document. Pure functions: the wizard
(frdo_export.py), the tests and the README share them; what every ФРДО
file shares (the common blocks of headers, formats, checks of the СНИЛС
and names, the xlsx writer) is copp.frdo_file's.

Columns: 40 of the ДПО template and 35 of the ПО template as three
independent public exporters of these templates write them (see
README «ФИС ФРДО»). The rules checked before export are INFERRED from the
СПО checker's (integrations.md §2) and the templates' value lists: the
README lists them.
"""
import re

from copp.frdo_file import (
    CITIZENSHIP_HEADER, FORM_AT_END_HEADER, FORM_HEADER, FUNDING_HEADER,
    GENDER_TITLES, IN_ORGANIZATION, KIND_STATUS_HEADERS, NO,
    ORIGINAL_HEADERS, OUTSIDE_ORGANIZATION, RECIPIENT_HEADERS, REQUIRED,
    STATUS_TITLES, YES, describe_errors as describe_columns, fmt_date,
    fmt_snils, frdo_xlsx as write_xlsx, missing, original_errors,
    person_errors, present)

KIND_TITLES = {
    'qualification_certificate': "Удостоверение о повышении квалификации",
    'retraining_diploma': "Диплом о профессиональной переподготовке",
    'profession_certificate':
    "Свидетельство о профессии рабочего, должности служащего",
    }
DPO_KINDS = {'qualification_certificate', 'retraining_diploma'}
PO_KINDS = {'profession_certificate'}
DPO_PROGRAMS = {
    'qualification_certificate': "Повышение квалификации",
    'retraining_diploma': "Профессиональная переподготовка",
    }
PO_PROGRAMS = {
    'training': "Программа профессиональной подготовки по профессии "
    "рабочего, должности служащего",
    'retraining': "Программа переподготовки рабочих, служащих",
    'advanced': "Программа повышения квалификации рабочих, служащих",
    }
LEVEL_TITLES = {
    'higher': "Высшее образование",
    'vocational': "Среднее профессиональное образование",
    'student_higher': "Высшее образование",
    'student_vocational': "Среднее профессиональное образование",
    }
# Learners still studying for ВО/СПО have no diploma yet (inferred: the
# level they are obtaining, the diploma columns empty).
STUDENT_LEVELS = {'student_higher', 'student_vocational'}
FORM_TITLES = {
    'onsite': "Очная",
    'blended': "Очно-заочная",
    'distance': "Заочная",
    }
FUNDING_TITLES = {
    'federal': "Бюджетное обучение",
    'budget': "Бюджетное обучение",
    'paid': "Платное обучение",
    'employer': "Платное обучение",
    }
DATE_PATTERN = re.compile(r'^\d{2}\.\d{2}\.\d{4}$')

# The columns of both templates, as (key of `values_of`, header): they
# begin with the document and its number, hold the recipient and the
# original in the middle and end with the number of the document changed.
HEAD = list(zip(['title', 'status', 'lost', 'exchanged', 'destroyed'],
        KIND_STATUS_HEADERS)) + [
    ('series', "Серия документа"),
    ('number', "Номер документа"),
    ('issue_date', "Дата выдачи документа"),
    ('registration_number', "Регистрационный номер"),
    ]
RECIPIENT = list(zip(['last_name', 'first_name', 'patronymic',
            'birth_date', 'gender', 'snils'], RECIPIENT_HEADERS))
ORIGINAL = list(zip(['original_title', 'original_series', 'original_number',
            'original_registration_number', 'original_issue_date',
            'original_last_name', 'original_first_name',
            'original_patronymic'], ORIGINAL_HEADERS))
FORM = ('form', FORM_HEADER)
FUNDING = ('funding', FUNDING_HEADER)
FORM_AT_END = ('form_at_end', FORM_AT_END_HEADER)
CITIZENSHIP = ('citizenship', CITIZENSHIP_HEADER)
CHANGED = (None, "Номер документа для изменения")
DPO_LAYOUT = HEAD + [
    ('program_type', "Дополнительная профессиональная программа "
        "(повышение квалификации/ профессиональная переподготовка)"),
    ('program_name',
        "Наименование дополнительной профессиональной программы"),
    ('activity_field', "Наименование области профессиональной "
        "деятельности"),
    ('specialty_groups', "Укрупненные группы специальностей"),
    ('qualification', "Наименование квалификации, профессии, "
        "специальности"),
    ('level', "Уровень образования ВО/СПО"),
    ('diploma_surname', "Фамилия указанная в дипломе о ВО или СПО"),
    ('diploma_series', "Серия документа о ВО/СПО"),
    ('diploma_number', "Номер документа о ВО/СПО"),
    ('start_year', "Год начала обучения (для документа о квалификации)"),
    ('end_year', "Год окончания обучения (для документа о квалификации)"),
    ('hours', "Срок обучения, часов (для документа о квалификации)"),
    ] + RECIPIENT + [FORM, FUNDING, FORM_AT_END, CITIZENSHIP] + ORIGINAL + [
    CHANGED]
PO_LAYOUT = HEAD + [
    ('program_type',
        "Программа профессионального обучения, направление подготовки"),
    ('program_name', "Наименование программы профессионального обучения"),
    ('qualification', "Наименование профессий рабочих, должностей служащих"),
    ('rank', "Присвоенный квалификационный разряд, класс, категория "
        "(при наличии)"),
    ('start_year', "Год начала обучения"),
    ('end_year', "Год окончания обучения"),
    ('hours', "Срок обучения, часов"),
    ] + RECIPIENT + [CITIZENSHIP, FORM, FUNDING, FORM_AT_END] + ORIGINAL + [
    CHANGED]
DPO_HEADERS = [header for _, header in DPO_LAYOUT]
PO_HEADERS = [header for _, header in PO_LAYOUT]
assert len(DPO_HEADERS) == 40 and len(PO_HEADERS) == 35

# The rules of both templates, by key.
REQUIRED_KEYS = {'title', 'status', 'lost', 'exchanged', 'destroyed',
    'series', 'number', 'issue_date', 'registration_number', 'program_type',
    'program_name', 'start_year', 'end_year', 'hours', 'last_name',
    'first_name', 'birth_date', 'gender', 'snils', 'form', 'funding',
    'form_at_end', 'citizenship'}
NAME_KEYS = {'last_name', 'first_name', 'patronymic', 'original_last_name',
    'original_first_name', 'original_patronymic'}
DATE_KEYS = {'issue_date', 'birth_date', 'original_issue_date'}
CHOICES = {
    'status': set(STATUS_TITLES.values()),
    'lost': {YES, NO}, 'exchanged': {YES, NO}, 'destroyed': {YES, NO},
    'gender': set(GENDER_TITLES.values()),
    'form': set(FORM_TITLES.values()),
    'funding': set(FUNDING_TITLES.values()),
    'form_at_end': {IN_ORGANIZATION, OUTSIDE_ORGANIZATION},
    }


class Template:
    "A template's headers, columns (1-based) and rules"

    def __init__(self, name, layout, kinds, programs, required=(),
            names=(), choices=None, conditional=()):
        self.name = name
        self.headers = [header for _, header in layout]
        self.columns = {key: column
            for column, (key, _) in enumerate(layout, 1) if key}

        def columns(keys):
            return {self.columns[key] for key in keys}
        self.required = columns(REQUIRED_KEYS | set(required))
        self.names = columns(NAME_KEYS | set(names))
        self.dates = columns(DATE_KEYS)
        self.snils = self.columns['snils']
        self.original = columns(key for key, _ in ORIGINAL)
        choices = dict(CHOICES, title=set(KIND_TITLES[k] for k in kinds),
            program_type=set(programs.values()), **(choices or {}))
        self.choices = {self.columns[k]: v for k, v in choices.items()}
        # [(column, test of its value, columns then required, why)]
        self.conditional = [(self.columns[key], test, columns(keys), why)
            for key, test, keys, why in conditional]


DPO = Template('dpo', DPO_LAYOUT, DPO_KINDS, DPO_PROGRAMS,
    required=['level'], names=['diploma_surname'],
    choices={'level': {
            "Высшее образование", "Среднее профессиональное образование"}},
    conditional=[
        ('program_type',
            lambda value: value == DPO_PROGRAMS['retraining_diploma'],
            ['activity_field', 'qualification'],
            "не заполнен (обязателен для профессиональной переподготовки)"),
        ('diploma_surname', bool, ['diploma_series', 'diploma_number'],
            "не заполнен (указана фамилия в дипломе о ВО/СПО)"),
        ])
PO = Template('po', PO_LAYOUT, PO_KINDS, PO_PROGRAMS,
    required=['qualification'])
TEMPLATES = {'dpo': DPO, 'po': PO}


def template_of(kind):
    "The template of a document kind, or None (not exported)"
    if kind in DPO_KINDS:
        return DPO
    if kind in PO_KINDS:
        return PO
    return None


def values_of(d):
    """The values of a document (a dict of frdo_export.read_documents) by
    the keys of the templates' columns"""
    duplicate = d.get('status') == 'duplicate'
    level = d.get('education_level')
    student = level in STUDENT_LEVELS
    values = {
        'title': KIND_TITLES.get(d['kind']),
        'status': STATUS_TITLES.get(d.get('status')),
        'lost': NO, 'exchanged': NO, 'destroyed': NO,
        'series': d.get('series') or "Нет",
        'number': d.get('number'),
        'issue_date': fmt_date(d.get('issue_date')),
        'registration_number': d.get('registration_number'),
        'program_type': (DPO_PROGRAMS.get(d['kind'])
            or PO_PROGRAMS.get(d.get('vocational_kind'))),
        'program_name': d.get('program_name'),
        'activity_field': d.get('activity_field'),
        'qualification': d.get('qualification'),
        'rank': d.get('rank'),
        'level': LEVEL_TITLES.get(level),
        'diploma_surname': None if student else d.get('education_surname'),
        'diploma_series': None if student else d.get('education_series'),
        'diploma_number': None if student else d.get('education_number'),
        'start_year': d['start_date'].year if d.get('start_date') else None,
        'end_year': d['end_date'].year if d.get('end_date') else None,
        'hours': d.get('hours'),
        'last_name': d.get('last_name'),
        'first_name': d.get('first_name'),
        'patronymic': d.get('patronymic'),
        'birth_date': fmt_date(d.get('birth_date')),
        'gender': GENDER_TITLES.get(d.get('gender')),
        'snils': fmt_snils(d.get('snils')),
        'form': FORM_TITLES.get(d.get('study_form')),
        'funding': FUNDING_TITLES.get(d.get('funding')),
        'form_at_end': IN_ORGANIZATION,
        'citizenship': d.get('citizenship') or '643',
        }
    if duplicate:
        values.update({
                'original_title': KIND_TITLES.get(d.get('original_kind')),
                'original_series': d.get('original_series') or (
                    "Нет" if d.get('original_kind') else None),
                'original_number': d.get('original_number'),
                'original_registration_number':
                d.get('original_registration_number'),
                'original_issue_date': fmt_date(
                    d.get('original_issue_date')),
                'original_last_name': d.get('original_last_name'),
                'original_first_name': d.get('original_first_name'),
                'original_patronymic': d.get('original_patronymic'),
                })
    return values


def frdo_row(template, d):
    "The row of the template for the document `d`; None for an empty cell"
    row = [None] * len(template.headers)
    for key, value in values_of(d).items():
        column = template.columns.get(key)
        if column and value is not None and value != '':
            row[column - 1] = value
    return row


def validate_row(template, row):
    """[(column, message)] of the rules the row breaks (the README lists
    which are the registry's and which are inferred)"""
    filled = present(row)
    errors = missing(template.required, filled, REQUIRED)
    for column, test, columns, why in template.conditional:
        if test(row[column - 1]):
            errors += missing(columns, filled, why)
    # All the original's columns but the last (the patronymic, when there
    # is one).
    errors += original_errors(row[1], template.original,
        template.original - {max(template.original)}, filled)
    for column, allowed in template.choices.items():
        value = row[column - 1]
        if value not in (None, '') and value not in allowed:
            errors.append((column, f"«{value}»: недопустимое значение"))
    for column in sorted(template.dates & filled):
        if not DATE_PATTERN.match(str(row[column - 1])):
            errors.append((column, "дата нужна в формате ДД.ММ.ГГГГ"))
    errors += person_errors(row, template.snils, template.names, filled)
    errors.sort()
    return errors


def describe_errors(template, label, errors):
    "Lines of the pre-validation report of one document"
    return describe_columns(template.headers, label, errors)


def frdo_xlsx(template, rows):
    "The xlsx file (bytes): the sheet «Шаблон», the headers, the rows"
    return write_xlsx(template.headers, rows, wrap_headers=True)
