"""ФИС ФРДО export of 5 000 documents on education (copp_graduation).

setup:    5 000 issued diplomas of the first college for its demo
          students (one SQL INSERT in slices; every tenth a targeted
          one, every fiftieth a duplicate of the previous one), all of
          them valid, rolled back with the bench's transaction;
measured: copp_graduation.frdo_export.prepare() — one query per 1 000
          documents, the 46 columns of each and every rule of the
          registry's checker — and frdo.frdo_xlsx() writing the sheet
          «Шаблон»;
baseline: the same SELECT in hand-written SQL and xlsxwriter writing the
          raw values, without the rules.
The goal is at most 3 s.

    copp bench frdo_export --repeat 3
"""
import datetime as dt
import io
import time

DESCRIPTION = "Выгрузка 5 000 документов об образовании в ФИС ФРДО"
GOAL_SECONDS = 3.0
DOCUMENTS = 5000
LAST_NAMES = ["Иванова", "Петрова", "Смирнова", "Кузнецова", "Попова",
    "Соколова", "Лебедева", "Козлова", "Новикова", "Морозова", "Волкова"]
FIRST_NAMES = ["Анна", "Мария", "Елена", "Ольга", "Дарья", "Ксения",
    "Полина"]


def _snils(number):
    from copp.identifiers import snils
    digits = f'{number:09d}'
    return snils.format(digits + f'{snils.checksum(digits + "00"):02d}')


def setup(ctx):
    pool = ctx.pool
    Company = pool.get('company.company')
    Specialty = pool.get('copp.specialty')
    Document = pool.get('copp.graduation.document')
    college, = Company.search([('institution_kind', '=', 'college')],
        order=[('id', 'ASC')], limit=1)
    Student = pool.get('copp.student')
    specialty, = Specialty.search([], order=[('id', 'ASC')], limit=1)
    # the recipients: students of the demo college (a document needs one)
    students = [s.id for s in Student.search([
                ('company', '=', college.id)], order=[('id', 'ASC')],
            limit=500)]
    table = Document.__table__()
    columns = ['company', 'student', 'kind', 'status', 'state', 'honours',
        'series', 'number', 'registration_number', 'issue_date', 'specialty',
        'qualification', 'program_name', 'admission_year',
        'graduation_year', 'duration_years', 'last_name', 'first_name',
        'patronymic', 'birth_date', 'gender', 'snils', 'citizenship',
        'study_form', 'form_at_end', 'funding', 'targeted',
        'targeted_number', 'targeted_date', 'targeted_org', 'targeted_ogrn',
        'targeted_kpp', 'employer_name', 'employer_ogrn', 'employer_kpp',
        'employer_region']
    rows = []
    for i in range(DOCUMENTS):
        targeted = i % 10 == 0
        rows.append([college.id, students[i % len(students)], 'diploma',
                'original', 'issued', i % 7 == 0,
                '116224', f'{9000000 + i:07d}', f'2026-B{i:05d}',
                dt.date(2026, 6, 30), specialty.id, "Программист",
                f"{specialty.code} {specialty.name}", 2022, 2026, 3.83,
                LAST_NAMES[i % len(LAST_NAMES)],
                FIRST_NAMES[i % len(FIRST_NAMES)], "Сергеевна",
                dt.date(2006, 1 + i % 12, 1 + i % 28),
                'female', _snils(600_000_000 + i * 7), '643', 'full_time',
                'full_time', 'targeted' if targeted else 'budget', targeted,
                'ЦО-1' if targeted else None,
                dt.date(2022, 8, 20) if targeted else None,
                "АО «Завод»" if targeted else None,
                '1026200000000' if targeted else None,
                '623401001' if targeted else None,
                "АО «Завод»" if targeted else None,
                '1026200000000' if targeted else None,
                '623401001' if targeted else None,
                "Рязанская область" if targeted else None])
    cursor = ctx.cursor
    for start in range(0, len(rows), 500):
        cursor.execute(*table.insert(
                [getattr(table, c) for c in columns], rows[start:start + 500]))
    cursor.execute(*table.select(table.id,
            where=table.registration_number.like('2026-B%'),
            order_by=[table.id]))
    ids = [r[0] for r in cursor]
    # every fiftieth a duplicate of the previous one
    for i in range(1, len(ids), 50):
        cursor.execute(*table.update([table.status, table.original],
                ['duplicate', ids[i - 1]], where=table.id == ids[i]))
    print(f"  документов: {len(ids)}")
    return {'ids': ids}


def measured(ctx, state):
    from copp_graduation.frdo import frdo_xlsx
    from copp_graduation.frdo_export import prepare
    start = time.perf_counter()
    rows, valid, report = prepare(state['ids'])
    data = frdo_xlsx(rows)
    elapsed = time.perf_counter() - start
    # the data set is valid: every document goes to the file
    assert len(valid) == len(state['ids']), report[:3]
    print(f"  выгрузка: {len(valid)} документов, отклонено "
        f"{len(report)} замечаний, {len(data) // 1024} КБ "
        f"за {elapsed:.2f} с")


def baseline(ctx, state):
    import xlsxwriter
    from copp_graduation.frdo import HEADERS
    from copp_graduation.frdo_export import DOCUMENT_COLUMNS
    pool = ctx.pool
    Document = pool.get('copp.graduation.document')
    table = Document.__table__()
    cursor = ctx.cursor
    ids = state['ids']
    cursor.execute(*table.select(
            *[getattr(table, c) for c in DOCUMENT_COLUMNS],
            where=table.id.in_(ids)))
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {'in_memory': True,
            'constant_memory': True})
    sheet = book.add_worksheet("Шаблон")
    sheet.write_row(0, 0, HEADERS)
    for r, row in enumerate(cursor, 1):
        sheet.write_row(r, 0, [str(v) if v is not None else '' for v in row])
    book.close()
