"""The supplement to a diploma as a printable xlsx."""
import io

from trytond.report import Report

from .honours import GRADE_WORDS

SECTION_TITLES = {
    'discipline': "Дисциплины, междисциплинарные курсы",
    'module': "Профессиональные модули",
    'practice': "Практики",
    'course_work': "Курсовые работы (проекты)",
    'gia': "Государственная итоговая аттестация",
    }


def _date(value):
    return value.strftime('%d.%m.%Y') if value else ''


def supplement_xlsx(documents):
    from copp.xlsx import workbook as xlsx_workbook
    output = io.BytesIO()
    book = xlsx_workbook(output, {'in_memory': True})
    title = book.add_format({'bold': True, 'font_size': 13})
    bold = book.add_format({'bold': True})
    head = book.add_format({'bold': True, 'bg_color': '#DDEBF7',
            'border': 1, 'text_wrap': True})
    cell = book.add_format({'border': 1, 'text_wrap': True})
    names = set()
    for document in documents:
        name = (document.registration_number or str(document.id))[:31]
        while name in names:
            name = name[:28] + f'_{len(names)}'
        names.add(name)
        sheet = book.add_worksheet(name)
        sheet.set_paper(9)
        sheet.fit_to_pages(1, 0)
        sheet.write(0, 0, document.company.full_name
            or document.company.rec_name, bold)
        sheet.write(1, 0, "ПРИЛОЖЕНИЕ К ДИПЛОМУ О СРЕДНЕМ "
            "ПРОФЕССИОНАЛЬНОМ ОБРАЗОВАНИИ", title)
        person = ' '.join(filter(None, [document.last_name,
                    document.first_name, document.patronymic]))
        info = [
            ("Фамилия, имя, отчество", person),
            ("Дата рождения", _date(document.birth_date)),
            ("Диплом", ' '.join(filter(None, [document.series,
                            document.number])) + (
                    " (с отличием)" if document.honours else '')),
            ("Регистрационный номер", document.registration_number or ''),
            ("Дата выдачи", _date(document.issue_date)),
            ("Специальность", f"{document.specialty.code} "
                f"{document.specialty.name}" if document.specialty else ''),
            ("Квалификация", document.qualification or ''),
            ("Нормативный срок обучения, лет",
                str(document.duration_years or '').replace('.', ',')),
            ]
        row = 3
        for label, value in info:
            sheet.write(row, 0, label, bold)
            sheet.write(row, 1, value)
            row += 1
        row += 1
        for c, label in enumerate(["Индекс", "Наименование",
                    "Общее количество часов", "Итоговая оценка"]):
            sheet.write(row, c, label, head)
        section = None
        for line in document.lines:
            if line.kind != section:
                section = line.kind
                row += 1
                sheet.merge_range(row, 0, row, 3,
                    SECTION_TITLES.get(section, ''), bold)
            row += 1
            sheet.write(row, 0, line.index or '', cell)
            sheet.write(row, 1, line.name, cell)
            sheet.write(row, 2, line.hours if line.hours else '', cell)
            sheet.write(row, 3, GRADE_WORDS.get(line.grade, '').strip('«»'),
                cell)
        total = sum(l.hours or 0 for l in document.lines
            if l.kind != 'course_work')
        row += 1
        sheet.write(row, 1, "ВСЕГО часов", bold)
        sheet.write(row, 2, total, bold)
        row += 3
        sheet.write(row, 0, "Руководитель образовательной организации "
            "____________")
        row += 2
        sheet.write(row, 0, "Секретарь ____________")
        sheet.set_column(0, 0, 14)
        sheet.set_column(1, 1, 60)
        sheet.set_column(2, 3, 16)
    book.close()
    return output.getvalue()


class SupplementReport(Report):
    "Supplement to the Diploma (xlsx)"
    __name__ = 'copp.graduation.document.supplement'

    @classmethod
    def _execute(cls, records, header, data, action):
        return 'xlsx', supplement_xlsx(records)
