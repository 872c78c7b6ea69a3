"""The import template: data/students_template.xlsx.

Regenerate it after changing the columns:
    python -m copp_contingent.template
"""
import io
from pathlib import Path

from .importers import GROUP_COLUMNS, STUDENT_COLUMNS

TEMPLATE = Path(__file__).parent / 'data' / 'students_template.xlsx'

GROUP_EXAMPLE = {
    'college': "РКЭ", 'name': "ИСП-11", 'specialty': "09.02.07",
    'study_form': "очная", 'basis': "9", 'admission_year': 2026,
    'course': 1, 'graduation_year': 2030, 'curator': "",
    'size_limit': 25,
    }
STUDENT_EXAMPLE = {
    'college': "РКЭ", 'last_name': "Иванов", 'first_name': "Иван",
    'patronymic': "Петрович", 'birth_date': "14.03.2010", 'gender': "М",
    'snils': "112-233-445 95", 'citizenship': "643",
    'id_document_kind': "Паспорт РФ", 'id_document_series': "6124",
    'id_document_number': "123456",
    'id_document_issuer': "УМВД России по Рязанской области",
    'id_document_date': "20.03.2024", 'id_document_issuer_code': "620-001",
    'registration_address': "390000, г. Рязань, ул. Ленина, д. 1, кв. 1",
    'actual_address': "390000, г. Рязань, ул. Ленина, д. 1, кв. 1",
    'phone': "+7 910 000-00-00", 'email': "ivanov@example.ru",
    'state': "обучается", 'group': "ИСП-11", 'specialty': "09.02.07",
    'funding': "бюджет", 'study_form': "очная",
    'enrolment_date': "01.09.2026", 'document_number': "125-к",
    'document_date': "25.08.2026", 'record_book': "",
    'previous_school': "МБОУ «Школа № 1» г. Рязани",
    'previous_document_kind': "Аттестат об основном общем образовании",
    'previous_document_number': "06224000012345",
    'previous_graduation_year': 2026, 'average_mark': "4,35",
    'representative_name': "Иванова Мария Сергеевна",
    'representative_relation': "мать",
    'representative_phone': "+7 910 000-00-01",
    }
NOTES = [
    ("Лист «Студенты»", "одна строка — один обучающийся; первая строка — "
        "заголовки (порядок столбцов любой, лишние столбцы пропускаются)."),
    ("Лист «Группы»", "необязателен: новые группы создаются до студентов, "
        "и строки студентов могут на них ссылаться."),
    ("Обязательные столбцы", "отмечены «*» в заголовке (звёздочку можно "
        "оставить или убрать)."),
    ("Колледж", "краткое наименование или ИНН; можно не заполнять, если "
        "импорт выполняется в колледже пользователя."),
    ("Даты", "ДД.ММ.ГГГГ или формат даты Excel."),
    ("Пол", "М / Ж."),
    ("СНИЛС", "11 цифр с контрольным числом, например 112-233-445 95; "
        "в файле и в колледже не повторяется."),
    ("Финансирование", "бюджет / договор / целевое."),
    ("Состояние", "обучается (по умолчанию) / абитуриент."),
    ("Форма обучения", "очная / очно-заочная / заочная."),
    ("База", "9 / 11 (классов)."),
    ("Ошибки", "если хотя бы одна строка содержит ошибку, не загружается "
        "ничего; в отчёте указаны строка и столбец каждой ошибки."),
    ]


def template_bytes():
    from copp.xlsx import workbook as xlsx_workbook
    buffer = io.BytesIO()
    workbook = xlsx_workbook(buffer, {'in_memory': True})
    header = workbook.add_format({'bold': True, 'bg_color': '#DDEBF7',
            'border': 1, 'text_wrap': True, 'valign': 'top'})
    text = workbook.add_format({'num_format': '@'})
    for title, columns, example in [
            ("Студенты", STUDENT_COLUMNS, STUDENT_EXAMPLE),
            ("Группы", GROUP_COLUMNS, GROUP_EXAMPLE)]:
        sheet = workbook.add_worksheet(title)
        for col, column in enumerate(columns):
            sheet.write(0, col, column.header + ('*' if column.required
                    else ''), header)
            sheet.write(1, col, example.get(column.key, ''), text)
            sheet.set_column(col, col, max(14, min(40,
                        len(column.header) + 4)), text)
        sheet.freeze_panes(1, 0)
        sheet.set_row(0, 45)
    sheet = workbook.add_worksheet("Пояснения")
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 100)
    for row, (name, note) in enumerate(NOTES):
        sheet.write(row, 0, name, header)
        sheet.write(row, 1, note)
    workbook.close()
    return buffer.getvalue()


def main():
    TEMPLATE.parent.mkdir(exist_ok=True)
    TEMPLATE.write_bytes(template_bytes())
    print(TEMPLATE)


if __name__ == '__main__':
    main()
