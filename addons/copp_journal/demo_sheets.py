"""Demo journal: closed grade sheets of the past terms with their debts and
retakes (inserted in bulk, signed), and the closed months."""
import datetime as dt

from trytond import backend
from trytond.transaction import Transaction

from .demo_bulk import _reserve_ids, _Writer
from .sheet import sheet_digest


class _SheetDemo:
    "Grade sheets, retakes and closed months of demo._Demo"

    def sheets(self, terms):
        pool = self.pool
        Sheet = pool.get('copp.journal.sheet')
        Line = pool.get('copp.journal.sheet.line')
        Sequence = pool.get('ir.sequence')
        ModelData = pool.get('ir.model.data')
        cursor = Transaction().connection.cursor()
        rnd = self.random
        sheet_rows, retakes = [], []
        for term in terms:
            for group in self.groups:
                students = self.students.get(group.id, [])
                for workload in self.load[(group.id, term.id)]:
                    assessment = workload.line.assessment
                    if not assessment or assessment == 'other' or (
                            not students):
                        continue
                    date = term.end_date - dt.timedelta(
                        days=rnd.randint(2, 12))
                    sheet_rows.append([workload, group, term, assessment,
                            date])
        ids = _reserve_ids(cursor, Sheet._table, len(sheet_rows))
        sequence = Sequence(ModelData.get_id('copp_journal',
                'sequence_sheet'))
        sheet_writer = _Writer(Sheet, ['id', 'number', 'company', 'kind',
                'group', 'line', 'term', 'workload', 'teacher', 'assessment',
                'date', 'state', 'signed_by', 'signed_at', 'signature',
                'original', 'create_uid', 'create_date'])
        line_rows = []  # written after their sheets
        now = self.now
        def signature(number, kind, workload, group, term, assessment, date,
                lines):
            return sheet_digest(number, group.company.id, kind, group.id,
                group.name, workload.line.id, workload.line.index, term.id,
                assessment, date,
                workload.teacher.id if workload.teacher else None, lines)

        for sheet_id, (workload, group, term, assessment, date) in zip(
                ids, self.env.progress(sheet_rows, desc="Ведомости",
                    unit="вед.")):
            number = f'{date.year}-{sheet_id:06d}'
            lines = [(s, self._grade(s, assessment))
                for s in self.students[group.id]]
            sheet_writer.add([sheet_id, number, group.company.id, 'regular',
                    group.id, workload.line.id, term.id, workload.id,
                    workload.teacher.id if workload.teacher else None,
                    assessment, date, 'closed', None, now,
                    signature(number, 'regular', workload, group, term,
                        assessment, date, lines), None, 0, now])
            for student, grade in lines:
                line_rows.append([sheet_id, student, grade, 0, now])
                if grade in {'2', 'fail', 'absent'}:
                    retakes.append((sheet_id, number, workload, group, term,
                            assessment, date, student))
        # Retakes: most debtors passed their retake, some have one pending.
        if backend.name == 'postgresql':
            retake_ids = _reserve_ids(cursor, Sheet._table, len(retakes))
        else:
            start = max(ids, default=0) + 1
            retake_ids = list(range(start, start + len(retakes)))
        for retake_id, (original, number, workload, group, term, assessment,
                date, student) in zip(retake_ids, retakes):
            closed = rnd.random() < 0.7
            retake_date = date + dt.timedelta(days=rnd.randint(14, 40))
            grade = None
            if closed:
                grade = ('pass' if assessment == 'credit' else
                    rnd.choice(['3', '3', '4']))
                if rnd.random() < 0.1:
                    grade = 'fail' if assessment == 'credit' else '2'
            retake_number = f'{retake_date.year}-{retake_id:06d}'
            sheet_writer.add([retake_id, retake_number, group.company.id,
                    'retake', group.id, workload.line.id, term.id,
                    workload.id,
                    workload.teacher.id if workload.teacher else None,
                    assessment, retake_date, 'closed' if closed else 'open',
                    None, now if closed else None,
                    signature(retake_number, 'retake', workload, group, term,
                        assessment, retake_date, [(student, grade)])
                    if closed else None, original, 0, now])
            line_rows.append([retake_id, student, grade, 0, now])
        self.sheet_count = sheet_writer.close()
        line_writer = _Writer(Line, ['sheet', 'student', 'grade',
                'create_uid', 'create_date'])
        for row in line_rows:
            line_writer.add(row)
        line_writer.close()
        number_next = (max(ids + retake_ids) + 1) if ids else None
        if number_next:
            Sequence.write([sequence], {'number_next': number_next})

    def _grade(self, student, assessment):
        rnd = self.random
        ability = self.ability[student]
        if rnd.random() < 0.015 + self.truancy[student] / 3:
            return 'absent'
        if assessment == 'credit':
            return 'fail' if rnd.random() > 0.93 + ability / 15 else 'pass'
        score = ability + rnd.gauss(0, 0.18)
        return ('5' if score > 0.7 else '4' if score > 0.42
            else '3' if score > 0.12 else '2')

    def periods(self, terms, current):
        "The months of the past terms are closed by the registrar's office"
        Period = self.pool.get('copp.journal.period')
        values = []
        for term in terms:
            if term == current:
                continue
            month = term.start_date.replace(day=1)
            while month <= term.end_date:
                for college in self.colleges:
                    values.append({'company': college.id, 'month': month,
                            'state': 'closed', 'closed_at': self.now})
                month = (month + dt.timedelta(days=32)).replace(day=1)
        if values:
            Period.create(values)
