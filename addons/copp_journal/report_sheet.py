"""The grade sheet and the retake sheet as a printable xlsx form."""
from collections import defaultdict

from trytond.report import Report

from .reports import ASSESSMENT_TITLES, GRADE_WORDS, _Book, _fmt
from .sheet import compute_stats


# The grade sheet --------------------------------------------------------

def sheet_xlsx(sheets):
    book = _Book()
    for sheet_record in sheets:
        ws = book.sheet(f"Ведомость {sheet_record.number or sheet_record.id}")
        retake = sheet_record.kind != 'regular'
        ws.merge_range(0, 0, 0, 4, sheet_record.company.full_name
            or sheet_record.company.rec_name, book.bold)
        title = ("НАПРАВЛЕНИЕ НА ПЕРЕСДАЧУ" if sheet_record.kind == 'retake'
            else "ВЕДОМОСТЬ КОМИССИОННОЙ ПЕРЕСДАЧИ"
            if sheet_record.kind == 'commission'
            else "ЭКЗАМЕНАЦИОННАЯ ВЕДОМОСТЬ"
            if sheet_record.assessment in {'exam', 'qualification_exam'}
            else "ЗАЧЁТНАЯ ВЕДОМОСТЬ")
        ws.merge_range(2, 0, 2, 4, f"{title} № {sheet_record.number or ''}",
            book.title)
        info = [
            ("Группа", sheet_record.group.rec_name),
            ("Дисциплина (МДК, практика)",
                f"{sheet_record.line.index} {sheet_record.line.name}"),
            ("Семестр", f"{sheet_record.line.semester} "
                f"({sheet_record.term.rec_name})"),
            ("Форма аттестации",
                ASSESSMENT_TITLES.get(sheet_record.assessment, '')),
            ("Преподаватель (экзаменатор)",
                sheet_record.teacher.rec_name if sheet_record.teacher
                else ''),
            ("Дата", _fmt(sheet_record.date)),
            ]
        if retake and sheet_record.original:
            info.append(("Основная ведомость",
                    sheet_record.original.number or ''))
        row = 4
        for label, value in info:
            ws.write(row, 0, label, book.bold)
            ws.merge_range(row, 1, row, 4, value)
            row += 1
        row += 1
        for col, title in enumerate(["№", "Фамилия, имя, отчество",
                    "№ зачётной книжки", "Оценка", "Подпись экзаменатора"]):
            ws.write(row, col, title, book.head)
        counts = defaultdict(int)
        lines = sorted(sheet_record.lines,
            key=lambda l: (l.student.rec_name or '').lower())
        for number, line in enumerate(lines, 1):
            row += 1
            counts[line.grade] += 1
            ws.write(row, 0, number, book.center)
            ws.write(row, 1, line.student.rec_name, book.cell)
            ws.write(row, 2, line.student.record_book or '', book.center)
            ws.write(row, 3, GRADE_WORDS.get(line.grade, ''), book.cell)
            ws.write(row, 4, '', book.cell)
        stats = compute_stats(counts)
        row += 2
        summary = []
        if sheet_record.pass_fail:
            summary += [("Зачтено", stats['count_pass']),
                ("Не зачтено", stats['count_fail'])]
        else:
            summary += [("«5»", stats['count_5']), ("«4»", stats['count_4']),
                ("«3»", stats['count_3']), ("«2»", stats['count_2'])]
        summary += [("Неявка", stats['count_absent']),
            ("Успеваемость, %", stats['success_rate']),
            ("Качество, %", stats['quality_rate'])]
        if not sheet_record.pass_fail:
            summary.append(("Средний балл", stats['average']))
        for label, value in summary:
            ws.write(row, 1, label, book.bold)
            ws.write(row, 2, float(value) if value is not None else '')
            row += 1
        row += 1
        ws.write(row, 1, "Экзаменатор ____________ / "
            + (sheet_record.teacher.rec_name if sheet_record.teacher else '')
            + " /")
        row += 2
        ws.write(row, 1, "Заведующий отделением ____________")
        if sheet_record.state == 'closed':
            row += 2
            signer = (sheet_record.signed_by.rec_name
                if sheet_record.signed_by else '')
            signed_at = (f"{sheet_record.signed_at:%d.%m.%Y %H:%M}"
                if sheet_record.signed_at else '')
            ws.write(row, 0, f"Ведомость закрыта и подписана: {signer}, "
                f"{signed_at}. Контрольная сумма SHA-256: "
                f"{sheet_record.signature}", book.small)
        ws.set_column(0, 0, 5)
        ws.set_column(1, 1, 38)
        ws.set_column(2, 2, 18)
        ws.set_column(3, 3, 22)
        ws.set_column(4, 4, 22)
    return book.close()


class SheetReport(Report):
    "Grade Sheet (xlsx)"
    __name__ = 'copp.journal.sheet.report'
    __string__ = "Grade Sheet (xlsx)"

    @classmethod
    def _execute(cls, records, header, data, action):
        return 'xlsx', sheet_xlsx(records)
