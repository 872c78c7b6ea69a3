"""The supplement of a diploma built from the closed grade sheets.

A line per discipline, МДК, module and practice of the group's curriculum
(a discipline taught over several semesters is one line with the hours of
every semester), a line per course work, then the ГИА. The grade of a
line is that of the latest closed sheet of the student (by date, then
sheet): the last attempt counts. One query reads every sheet line of every
student at once.
"""
from collections import defaultdict

from trytond.pool import Pool
from trytond.transaction import Transaction

from copp_journal.tools import reduce_ids

SECTION_OF_KIND = {
    'general': 'discipline', 'discipline': 'discipline', 'mdk': 'discipline',
    'other': 'discipline', 'module': 'module',
    'edu_practice': 'practice', 'work_practice': 'practice',
    }
SECTION_ORDER = {'discipline': 1, 'module': 2, 'practice': 3,
    'course_work': 4, 'gia': 5}
COURSE_ASSESSMENTS = {'course_work', 'course_project'}


def _hours(line):
    if line.hours_total:
        return line.hours_total
    return (line.hours_theory or 0) + (line.hours_practice or 0) + (
        line.hours_self or 0)


def last_attempts(student_ids, line_ids):
    """{(student, curriculum line): (grade, date, sheet)} of the latest
    closed sheet line"""
    pool = Pool()
    Sheet = pool.get('copp.journal.sheet')
    SheetLine = pool.get('copp.journal.sheet.line')
    sheet, line = Sheet.__table__(), SheetLine.__table__()
    cursor = Transaction().connection.cursor()
    result = {}
    if not student_ids or not line_ids:
        return result
    cursor.execute(*line.join(sheet, condition=line.sheet == sheet.id
            ).select(line.student, sheet.line, line.grade, sheet.date,
            sheet.id,
            where=(sheet.state == 'closed')
            & reduce_ids(line.student, list(student_ids))
            & reduce_ids(sheet.line, list(line_ids))))
    for student, cline, grade, date, sheet_id in cursor:
        key = (student, cline)
        if key not in result or (date, sheet_id) > result[key][1:]:
            result[key] = (grade, date, sheet_id)
    return result


def supplement_lines(students_groups, gia=None):
    """{student id: [line values]} for [(student id, group)]; gia is
    {student id: [(name of the test, grade)]}"""
    pool = Pool()
    Curriculum = pool.get('copp.journal.curriculum')
    gia = gia or {}
    curricula = {}
    for _, group in students_groups:
        if group and group.id not in curricula:
            curricula[group.id] = Curriculum.find(group)
    line_ids = {l.id for c in curricula.values() if c for l in c.lines}
    attempts = last_attempts([s for s, _ in students_groups], line_ids)
    result = {}
    for student, group in students_groups:
        curriculum = curricula.get(group.id) if group else None
        entries = {}
        gia_hours = 0
        for line in (curriculum.lines if curriculum else []):
            if line.kind == 'final_attestation':
                gia_hours += _hours(line)
                continue
            key = (line.index, None)
            entry = entries.setdefault(key, {
                    'section': SECTION_OF_KIND.get(line.kind, 'discipline'),
                    'index': line.index, 'name': line.name, 'hours': 0,
                    'semester': 0, 'attempt': None,
                    })
            entry['hours'] += _hours(line)
            if line.semester >= entry['semester']:
                entry['semester'] = line.semester
                entry['name'] = line.name
            if line.assessment in COURSE_ASSESSMENTS:
                # The course work is a line of its own with its grade
                entry = entries.setdefault((line.index, 'course_work'), {
                        'section': 'course_work', 'index': line.index,
                        'name': line.name, 'hours': 0, 'semester': 0,
                        'attempt': None,
                        })
            attempt = attempts.get((student, line.id))
            if attempt and (entry['attempt'] is None
                    or attempt[1:] > entry['attempt'][1:]):
                entry['attempt'] = attempt
        values = []
        for entry in sorted(entries.values(), key=lambda e: (
                    SECTION_ORDER[e['section']], e['index'])):
            attempt = entry['attempt']
            values.append({
                    'kind': entry['section'],
                    'index': entry['index'],
                    'name': entry['name'],
                    'hours': entry['hours'] or None
                    if entry['section'] != 'course_work' else None,
                    'grade': attempt[0] if attempt else None,
                    'sheet': attempt[2] if attempt else None,
                    })
        for number, (name, grade) in enumerate(gia.get(student, [])):
            values.append({
                    'kind': 'gia', 'index': "ГИА",
                    'name': "Государственная итоговая аттестация: " + name,
                    'hours': (gia_hours or None) if number == 0 else None,
                    'grade': grade, 'sheet': None,
                    })
        for sequence, value in enumerate(values, 1):
            value['sequence'] = sequence
        result[student] = values
    return result
