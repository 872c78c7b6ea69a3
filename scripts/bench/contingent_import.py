"""Import of 30 000 students from xlsx (copp_contingent), all validations on.

measured: copp_contingent.importers.import_data() on a generated workbook of
          30 000 students of the database's active groups (reading the xlsx,
          validating every row — СНИЛС checksum, dates, required fields,
          duplicates in the file and against the database, groups — and the
          bulk creation of persons, students and enrolment movements);
baseline: a raw COPY (PostgreSQL; executemany on SQLite) of the same rows
          into a temporary table of text columns.
Each run is undone with a savepoint, so the repetitions import the same file.
The goal is ≥ 1 000 rows/s: 30 000 rows in at most 30 s.

    copp bench contingent_import --repeat 3
"""
import datetime as dt
import io
import time

DESCRIPTION = "Импорт 30 000 студентов из xlsx с полной проверкой"
GOAL_SECONDS = 30.0
ROWS = 30000
HEADER = ["Колледж", "Фамилия", "Имя", "Отчество", "Дата рождения", "Пол",
    "СНИЛС", "Группа", "Финансирование", "Дата зачисления",
    "Номер приказа о зачислении", "Телефон", "Адрес регистрации"]


def _snils(number):
    from copp.identifiers import snils
    digits = f'{number:09d}'
    return snils.format(digits + f'{snils.checksum(digits + "00"):02d}')


def setup(ctx):
    import xlsxwriter
    pool = ctx.pool
    Group = pool.get('copp.study.group')
    groups = Group.search([('active', '=', True)])
    assert groups, "run copp demo first"
    rows = []
    for i in range(ROWS):
        group = groups[i % len(groups)]
        rows.append([group.company.short_name, f"Импортов{i % 97}",
                f"Иван{i % 31}", "Петрович",
                f"{1 + i % 28:02d}.{1 + i % 12:02d}.{2007 + i % 3}",
                "М" if i % 2 else "Ж", _snils(700_000_000 + i * 3),
                group.name, "бюджет" if i % 4 else "договор",
                f"01.09.{group.admission_year}", f"{i % 50 + 1}-к",
                "+7 910 000-00-00", "г. Рязань, ул. Ленина, д. 1"])
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {'in_memory': True,
            'constant_memory': True})
    sheet = workbook.add_worksheet("Студенты")
    for r, row in enumerate([HEADER] + rows):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    workbook.close()
    data = buffer.getvalue()
    print(f"  файл: {ROWS} строк, {len(data) // 1024} КБ, групп {len(groups)}")
    cursor = ctx.cursor
    cursor.execute("CREATE TEMPORARY TABLE bench_import_rows ("
        + ', '.join(f'c{i} TEXT' for i in range(len(HEADER))) + ")")
    return {'data': data, 'rows': rows}


def _savepoint(ctx, name):
    ctx.cursor.execute(f'SAVEPOINT {name}')


def _rollback(ctx, name):
    ctx.cursor.execute(f'ROLLBACK TO SAVEPOINT {name}')


def measured(ctx, state):
    from copp_contingent.importers import import_data
    _savepoint(ctx, 'bench_import')
    start = time.perf_counter()
    try:
        import_data(ctx.pool, state['data'], 'bench.xlsx')
    finally:
        elapsed = time.perf_counter() - start
        _rollback(ctx, 'bench_import')
    print(f"  импорт: {ROWS} строк за {elapsed:.1f} с — "
        f"{ROWS / elapsed:,.0f} строк/с".replace(',', ' '))


def baseline(ctx, state):
    _savepoint(ctx, 'bench_copy')
    start = time.perf_counter()
    cursor = ctx.cursor
    if ctx.settings.backend == 'postgresql':
        with cursor.copy("COPY bench_import_rows FROM STDIN") as copy:
            for row in state['rows']:
                copy.write_row(row)
    else:
        cursor.executemany("INSERT INTO bench_import_rows VALUES ("
            + ', '.join('?' * len(HEADER)) + ")", state['rows'])
    elapsed = time.perf_counter() - start
    _rollback(ctx, 'bench_copy')
    print(f"  COPY: {ROWS} строк за {elapsed:.2f} с — "
        f"{ROWS / elapsed:,.0f} строк/с".replace(',', ' '))
