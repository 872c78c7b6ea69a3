"""The columns of the import files (see IMPORT.md), the words accepted in
their cells, and the reader of one row."""
import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from trytond.i18n import gettext


def normalize(text):
    "Normalized header or value for matching"
    text = str(text or '').strip().lower().replace('ё', 'е')
    text = re.sub(r'[*:]+$', '', text).strip()
    return re.sub(r'\s+', ' ', text)


class Column:
    def __init__(self, key, header, required=False, aliases=()):
        self.key = key
        self.header = header
        self.required = required
        self.names = {normalize(header)} | {normalize(a) for a in aliases}


STUDENT_COLUMNS = [
    Column('college', "Колледж", aliases=["Образовательная организация",
            "Учреждение", "ОО"]),
    Column('last_name', "Фамилия", True),
    Column('first_name', "Имя", True),
    Column('patronymic', "Отчество"),
    Column('birth_date', "Дата рождения", True),
    Column('gender', "Пол", True),
    Column('snils', "СНИЛС", True, ["Страховой номер", "СНИЛС студента"]),
    Column('citizenship', "Гражданство (ОКСМ)", aliases=["Гражданство",
            "Код ОКСМ", "Код страны гражданства"]),
    Column('id_document_kind', "Документ, удостоверяющий личность",
        aliases=["Вид документа", "Тип документа",
            "Вид документа, удостоверяющего личность"]),
    Column('id_document_series', "Серия документа",
        aliases=["Серия", "Серия паспорта"]),
    Column('id_document_number', "Номер документа",
        aliases=["Номер паспорта"]),
    Column('id_document_issuer', "Кем выдан",
        aliases=["Кем выдан документ"]),
    Column('id_document_date', "Дата выдачи",
        aliases=["Дата выдачи документа"]),
    Column('id_document_issuer_code', "Код подразделения"),
    Column('registration_address', "Адрес регистрации",
        aliases=["Адрес по прописке", "Адрес регистрации по месту "
            "жительства"]),
    Column('actual_address', "Адрес проживания",
        aliases=["Фактический адрес", "Адрес фактического проживания"]),
    Column('phone', "Телефон", aliases=["Телефон студента",
            "Мобильный телефон"]),
    Column('email', "E-mail", aliases=["Email", "Электронная почта",
            "Адрес электронной почты"]),
    Column('state', "Состояние", aliases=["Статус"]),
    Column('group', "Группа", aliases=["Учебная группа"]),
    Column('specialty', "Специальность", aliases=[
            "Код специальности", "Специальность/профессия",
            "Код специальности (профессии)"]),
    Column('funding', "Финансирование", True, ["Основа обучения",
            "Источник финансирования", "Форма финансирования"]),
    Column('study_form', "Форма обучения"),
    Column('enrolment_date', "Дата зачисления"),
    Column('document_number', "Номер приказа о зачислении",
        aliases=["Приказ о зачислении", "№ приказа о зачислении"]),
    Column('document_date', "Дата приказа о зачислении"),
    Column('record_book', "Номер зачётной книжки", aliases=[
            "Номер зачетной книжки", "Зачетная книжка",
            "№ зачетной книжки", "Номер личного дела"]),
    Column('previous_school', "Предыдущее образовательное учреждение",
        aliases=["Окончил", "Предыдущее образование",
            "Образовательное учреждение"]),
    Column('previous_document_kind', "Документ об образовании",
        aliases=["Вид документа об образовании"]),
    Column('previous_document_number', "Номер документа об образовании",
        aliases=["Номер аттестата", "Серия и номер аттестата"]),
    Column('previous_graduation_year', "Год окончания",
        aliases=["Год окончания ОУ", "Год получения документа"]),
    Column('average_mark', "Средний балл аттестата",
        aliases=["Средний балл"]),
    Column('representative_name', "Законный представитель",
        aliases=["ФИО представителя", "Представитель", "ФИО родителя"]),
    Column('representative_relation', "Степень родства",
        aliases=["Кем приходится"]),
    Column('representative_phone', "Телефон представителя",
        aliases=["Телефон родителя"]),
    ]
GROUP_COLUMNS = [
    Column('college', "Колледж", aliases=["Образовательная организация",
            "Учреждение", "ОО"]),
    Column('name', "Группа", True, ["Наименование группы", "Название группы",
            "Учебная группа"]),
    Column('specialty', "Специальность", True, ["Код специальности",
            "Специальность/профессия", "Код специальности (профессии)"]),
    Column('study_form', "Форма обучения", True),
    Column('basis', "База", True, ["На базе", "Базовое образование",
            "База (классов)"]),
    Column('admission_year', "Год набора", True, ["Год поступления",
            "Год приема"]),
    Column('course', "Курс"),
    Column('graduation_year', "Год выпуска", aliases=[
            "Планируемый год выпуска"]),
    Column('curator', "Куратор", aliases=["Классный руководитель"]),
    Column('size_limit', "Предельная численность", aliases=[
            "Максимальная численность", "Наполняемость"]),
    ]

GENDERS = {'м': 'male', 'муж': 'male', 'мужской': 'male', 'm': 'male',
    'male': 'male', 'ж': 'female', 'жен': 'female', 'женский': 'female',
    'f': 'female', 'female': 'female'}
FUNDINGS = {'бюджет': 'budget', 'бюджетная': 'budget', 'бюджетная основа':
    'budget', 'госбюджет': 'budget', 'за счет бюджета': 'budget',
    'budget': 'budget', 'договор': 'contract', 'договорная': 'contract',
    'договорная основа': 'contract', 'платная': 'contract',
    'платная основа': 'contract', 'внебюджет': 'contract',
    'внебюджетная': 'contract', 'коммерческая': 'contract',
    'по договору': 'contract', 'contract': 'contract',
    'целевое': 'targeted', 'целевая': 'targeted', 'целевое обучение':
    'targeted', 'целевой прием': 'targeted', 'targeted': 'targeted'}
STATES = {'обучается': 'studying', 'студент': 'studying',
    'учится': 'studying', 'studying': 'studying',
    'абитуриент': 'applicant', 'applicant': 'applicant'}
STUDY_FORMS = {'очная': 'full_time', 'очно': 'full_time',
    'full_time': 'full_time', 'очно-заочная': 'part_time',
    'очно-заочная (вечерняя)': 'part_time', 'вечерняя': 'part_time',
    'part_time': 'part_time', 'заочная': 'extramural',
    'extramural': 'extramural'}
BASES = {'9': '9', '9 классов': '9', 'на базе 9 классов': '9',
    'основное общее': '9', 'основное общее образование': '9',
    '11': '11', '11 классов': '11', 'на базе 11 классов': '11',
    'среднее общее': '11', 'среднее общее образование': '11'}
ID_KINDS = {'паспорт': 'passport_ru', 'паспорт рф': 'passport_ru',
    'паспорт гражданина рф': 'passport_ru',
    'паспорт гражданина российской федерации': 'passport_ru',
    '21': 'passport_ru',
    'свидетельство о рождении': 'birth_certificate', '03': 'birth_certificate',
    'паспорт иностранного гражданина': 'foreign_passport',
    'иностранный паспорт': 'foreign_passport', '10': 'foreign_passport',
    'вид на жительство': 'residence_permit', '12': 'residence_permit',
    'удостоверение беженца': 'refugee_certificate',
    'иной документ': 'other', 'другой': 'other', 'иной': 'other'}
EDUCATION_KINDS = {
    'аттестат об основном общем образовании': 'basic_general',
    'аттестат (9 классов)': 'basic_general', '9 классов': 'basic_general',
    'аттестат 9': 'basic_general', 'основное общее': 'basic_general',
    'аттестат о среднем общем образовании': 'secondary_general',
    'аттестат (11 классов)': 'secondary_general',
    '11 классов': 'secondary_general', 'аттестат 11': 'secondary_general',
    'среднее общее': 'secondary_general',
    'диплом спо': 'vocational', 'диплом о среднем профессиональном '
    'образовании': 'vocational', 'диплом нпо': 'vocational',
    'диплом во': 'higher', 'диплом о высшем образовании': 'higher',
    'иной документ': 'other', 'иной': 'other', 'другой': 'other'}
RELATIONS = {'мать': 'mother', 'мама': 'mother', 'отец': 'father',
    'папа': 'father', 'опекун': 'guardian', 'попечитель': 'trustee',
    'приемный родитель': 'foster_parent', 'приемная мать': 'foster_parent',
    'приемный отец': 'foster_parent', 'другое': 'other', 'иное': 'other',
    'бабушка': 'other', 'дедушка': 'other', 'тетя': 'other',
    'дядя': 'other'}
DATE_PATTERN = re.compile(r'^(\d{1,2})\.(\d{1,2})\.(\d{4})$')
DATE_FORMATS = ['%d.%m.%Y', '%Y-%m-%d', '%d/%m/%Y', '%d.%m.%y', '%d-%m-%Y']


def map_columns(sheet, columns, errors):
    """{key: index} of the columns of the sheet's header, and the unknown
    headers"""
    _, header = sheet.header
    mapping, unknown, titles = {}, [], {}
    for index, title in enumerate(header):
        if title is None:
            continue
        name = normalize(title)
        for column in columns:
            if name in column.names:
                if column.key in mapping:
                    errors.add(sheet.header[0], str(title), gettext(
                            'copp_contingent.msg_import_column_twice'))
                mapping[column.key] = index
                titles[column.key] = str(title).rstrip('*').strip()
                break
        else:
            unknown.append(str(title))
    for column in columns:
        if column.required and column.key not in mapping:
            errors.add(None, column.header, gettext(
                    'copp_contingent.msg_import_column_missing'))
    return mapping, unknown, titles


class RowReader:
    "Typed access to the cells of one row; errors name the row and column"

    def __init__(self, number, values, mapping, titles, columns, errors):
        self.number = number
        self.values = values
        self.mapping = mapping
        self.titles = titles
        self.columns = {c.key: c for c in columns}
        self.errors = errors
        self.ok = True

    def title(self, key):
        return self.titles.get(key) or self.columns[key].header

    def error(self, key, message):
        self.ok = False
        self.errors.add(self.number, self.title(key), message)

    def raw(self, key):
        index = self.mapping.get(key)
        if index is None or index >= len(self.values):
            return None
        return self.values[index]

    def text(self, key, required=False):
        value = self.raw(key)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, (dt.datetime, dt.date)):
            value = value.strftime('%d.%m.%Y')
        value = str(value).strip() if value is not None else None
        if not value:
            if required:
                self.error(key, gettext('copp_contingent.msg_import_required'))
            return None
        return value

    def choice(self, key, choices, required=False, default=None):
        value = self.text(key, required=required)
        if value is None:
            return default
        result = choices.get(normalize(value))
        if result is None:
            allowed = []  # the first spelling of each value
            for spelling, choice in choices.items():
                if choice not in {choices[a] for a in allowed} and (
                        not re.match(r'^[a-z_]+$', spelling)):
                    allowed.append(spelling)
            self.error(key, gettext('copp_contingent.msg_import_choice',
                    value=value, allowed=', '.join(allowed)))
        return result

    def date(self, key, required=False):
        value = self.raw(key)
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            # An Excel serial date in a cell formatted as a number.
            if 1 <= value < 80000:
                return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
            self.error(key, gettext('copp_contingent.msg_import_date',
                    value=value))
            return None
        text = self.text(key, required=required)
        if text is None:
            return None
        match = DATE_PATTERN.match(text)
        if match:
            day, month, year = map(int, match.groups())
            try:
                if year >= 1900:
                    return dt.date(year, month, day)
            except ValueError:
                pass
            self.error(key, gettext('copp_contingent.msg_import_date',
                    value=text))
            return None
        for format_ in DATE_FORMATS:
            try:
                date = dt.datetime.strptime(text, format_).date()
            except ValueError:
                continue
            if date.year < 1900:
                break
            return date
        self.error(key, gettext('copp_contingent.msg_import_date', value=text))
        return None

    def integer(self, key, minimum=None, maximum=None):
        value = self.raw(key)
        if value is None or value == '':
            return None
        try:
            if isinstance(value, str):
                value = value.replace(' ', '').replace(',', '.')
            number = Decimal(str(value))
            if number != number.to_integral_value():
                raise InvalidOperation
            number = int(number)
        except (InvalidOperation, ValueError):
            self.error(key, gettext('copp_contingent.msg_import_number',
                    value=value))
            return None
        if (minimum is not None and number < minimum) or (
                maximum is not None and number > maximum):
            self.error(key, gettext('copp_contingent.msg_import_range',
                    value=number, minimum=minimum, maximum=maximum))
            return None
        return number

    def decimal(self, key, minimum, maximum):
        value = self.raw(key)
        if value is None or value == '':
            return None
        try:
            if isinstance(value, str):
                value = value.replace(' ', '').replace(',', '.')
            number = Decimal(str(value)).quantize(Decimal('0.01'))
        except (InvalidOperation, ValueError):
            self.error(key, gettext('copp_contingent.msg_import_number',
                    value=value))
            return None
        if not (Decimal(minimum) <= number <= Decimal(maximum)):
            self.error(key, gettext('copp_contingent.msg_import_range',
                    value=number, minimum=minimum, maximum=maximum))
            return None
        return number


# Lookups --------------------------------------------------------------------

def group_key(name):
    return re.sub(r'[\s\-‐–—]+', '-', normalize(name))
