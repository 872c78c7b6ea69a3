"""The grade sheet and the retake sheet as a printable xlsx form."""
from collections import defaultdict

from trytond.i18n import gettext
from trytond.report import Report

from .reports import _Book, _fmt, assessment_titles, grade_words
from .sheet import compute_stats


# The grade sheet --------------------------------------------------------

def _title(sheet_record):
    number = sheet_record.number or ''
    if sheet_record.kind == 'retake':
        return gettext('copp_journal.msg_report_sheet_title_retake',
            number=number)
    elif sheet_record.kind == 'commission':
        return gettext('copp_journal.msg_report_sheet_title_commission',
            number=number)
    elif sheet_record.assessment in {'exam', 'qualification_exam'}:
        return gettext('copp_journal.msg_report_sheet_title_exam',
            number=number)
    return gettext('copp_journal.msg_report_sheet_title_credit',
        number=number)


def sheet_xlsx(sheets):
    book = _Book()
    words = grade_words()
    assessments = assessment_titles()
    for sheet_record in sheets:
        ws = book.sheet(gettext('copp_journal.msg_report_sheet_name',
                number=sheet_record.number or sheet_record.id))
        retake = sheet_record.kind != 'regular'
        ws.merge_range(0, 0, 0, 4, sheet_record.company.full_name
            or sheet_record.company.rec_name, book.bold)
        ws.merge_range(2, 0, 2, 4, _title(sheet_record), book.title)
        teacher = (sheet_record.teacher.rec_name if sheet_record.teacher
            else '')
        info = [
            (gettext('copp_journal.msg_report_group'),
                sheet_record.group.rec_name),
            (gettext('copp_journal.msg_report_sheet_discipline'),
                f"{sheet_record.line.index} {sheet_record.line.name}"),
            (gettext('copp_journal.msg_report_semester'),
                f"{sheet_record.line.semester} "
                f"({sheet_record.term.rec_name})"),
            (gettext('copp_journal.msg_report_assessment'),
                assessments.get(sheet_record.assessment, '')),
            (gettext('copp_journal.msg_report_sheet_teacher'), teacher),
            (gettext('copp_journal.msg_report_date'),
                _fmt(sheet_record.date)),
            ]
        if retake and sheet_record.original:
            info.append((gettext('copp_journal.msg_report_original_sheet'),
                    sheet_record.original.number or ''))
        row = 4
        for label, value in info:
            ws.write(row, 0, label, book.bold)
            ws.merge_range(row, 1, row, 4, value)
            row += 1
        row += 1
        for col, title in enumerate([
                    gettext('copp_journal.msg_report_number'),
                    gettext('copp_journal.msg_report_full_name'),
                    gettext('copp_journal.msg_report_record_book'),
                    gettext('copp_journal.msg_report_grade'),
                    gettext('copp_journal.msg_report_examiner_signature'),
                    ]):
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
            ws.write(row, 3, words.get(line.grade, ''), book.cell)
            ws.write(row, 4, '', book.cell)
        stats = compute_stats(counts)
        row += 2
        summary = []
        if sheet_record.pass_fail:
            summary += [
                (gettext('copp_journal.msg_report_count_pass'),
                    stats['count_pass']),
                (gettext('copp_journal.msg_report_count_fail'),
                    stats['count_fail'])]
        else:
            summary += [(gettext('copp_journal.msg_report_count_grade',
                        grade=grade), stats[f'count_{grade}'])
                for grade in ['5', '4', '3', '2']]
        summary += [
            (gettext('copp_journal.msg_report_count_absent'),
                stats['count_absent']),
            (gettext('copp_journal.msg_report_success_rate'),
                stats['success_rate']),
            (gettext('copp_journal.msg_report_quality_rate'),
                stats['quality_rate'])]
        if not sheet_record.pass_fail:
            summary.append((gettext('copp_journal.msg_report_average'),
                    stats['average']))
        for label, value in summary:
            ws.write(row, 1, label, book.bold)
            ws.write(row, 2, float(value) if value is not None else '')
            row += 1
        row += 1
        ws.write(row, 1, gettext('copp_journal.msg_report_examiner',
                teacher=teacher))
        row += 2
        ws.write(row, 1, gettext('copp_journal.msg_report_head_of_department'))
        if sheet_record.state == 'closed':
            row += 2
            signer = (sheet_record.signed_by.rec_name
                if sheet_record.signed_by else '')
            signed_at = (f"{sheet_record.signed_at:%d.%m.%Y %H:%M}"
                if sheet_record.signed_at else '')
            ws.write(row, 0, gettext('copp_journal.msg_report_sheet_signed',
                    signer=signer, signed_at=signed_at,
                    signature=sheet_record.signature), book.small)
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
