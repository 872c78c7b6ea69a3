"""Demo journal: the curricula of the demo groups' specialties (lines of the
ФГОС СПО plans scaled to a semester's hours) and the teaching load of each
group and term, the demo teacher prep1 included."""
import datetime as dt
import zlib
from collections import defaultdict

from .demo_data import GENERAL, GENERIC, PROFESSIONAL, PROFILES

# Classroom hours of a semester of full-time study
SEMESTER_HOURS = 600


class _CurriculumDemo:
    """Curricula and teaching load of demo._Demo (fills self.curriculum,
    self.teachers and self.load)"""

    def curricula(self):
        Curriculum = self.pool.get('copp.journal.curriculum')
        Line = self.pool.get('copp.journal.curriculum.line')
        keys = sorted({(g.company.id, g.specialty.id, g.study_form,
                    g.admission_year, g.basis) for g in self.groups})
        specialties = {g.specialty.id: g.specialty for g in self.groups}
        values = []
        for company, specialty_id, form, year, basis in keys:
            specialty = specialties[specialty_id]
            values.append({
                    'name': f"{specialty.code} {specialty.name[:60]}, "
                    f"набор {year}",
                    'company': company, 'specialty': specialty_id,
                    'study_form': form, 'admission_year': year,
                    'basis': basis, 'state': 'approved',
                    'approval_date': dt.date(year, 8, 25),
                    'lines': [('create', self._lines(specialty, basis))],
                    })
        created = []
        for start in self.env.progress(range(0, len(values), 50),
                desc="Учебные планы", unit="×50"):
            created += Curriculum.create(values[start:start + 50])
        Line.link_modules(created)
        self.curriculum_count = len(created)
        self.curriculum = {
            (c.company.id, c.specialty.id, c.study_form, c.admission_year,
                c.basis): c for c in created}

    def _lines(self, specialty, basis):
        disciplines, modules = PROFILES.get(specialty.code[:2], GENERIC)
        shift = 0 if basis == '9' else -2  # 11 classes: no general part
        lines, sequence = [], 0
        for index, name, semesters, theory, practice, last, other in GENERAL:
            for semester in semesters:
                if semester + shift < 1:
                    continue
                sequence += 10
                lines.append({'index': index, 'name': name,
                        'semester': semester + shift, 'sequence': sequence,
                        'hours_theory': theory or None,
                        'hours_practice': practice or None,
                        'hours_self': 4,
                        'assessment': last if semester == semesters[-1]
                        else other})
        for kind, number, semester, theory, practice, assessment in (
                PROFESSIONAL):
            if semester + shift < 1:
                continue
            sequence += 10
            if kind == 'ОП':
                index, name = f'ОП.{number:02d}', disciplines[number - 1]
            elif kind == 'ПМ':
                index, name = f'ПМ.{number:02d}', modules[number - 1]
            elif kind == 'МДК':
                index = f'МДК.{number:02d}.01'
                name = modules[number - 1]
            elif kind == 'ПДП':
                index, name = 'ПДП', "Производственная практика "\
                    "(преддипломная)"
            else:
                index = f'{kind}.{number:02d}'
                name = ("Учебная практика" if kind == 'УП'
                    else "Производственная практика")
            lines.append({'index': index, 'name': name,
                    'semester': semester + shift, 'sequence': sequence,
                    'hours_theory': theory or None,
                    'hours_practice': practice or None,
                    'hours_self': 6 if theory else None,
                    'assessment': assessment})
        # A semester of full-time study is about 17 weeks × 36 hours.
        by_semester = defaultdict(list)
        for line in lines:
            if line['hours_theory'] or line['hours_practice']:
                by_semester[line['semester']].append(line)
        for semester_lines in by_semester.values():
            total = sum((l['hours_theory'] or 0) + (l['hours_practice'] or 0)
                for l in semester_lines)
            factor = SEMESTER_HOURS / total
            for line in semester_lines:
                for field in ['hours_theory', 'hours_practice']:
                    if line[field]:
                        line[field] = max(2, int(line[field] * factor / 2) * 2)
        return lines

    def workloads(self, terms):
        pool = self.pool
        Employee = pool.get('company.employee')
        Workload = pool.get('copp.journal.workload')
        from .curriculum import semester_of
        from copp.demo import POSITIONS_TEACHER
        for college in self.colleges:
            teachers = Employee.search([('company', '=', college.id),
                    ('position', 'in', POSITIONS_TEACHER)],
                order=[('id', 'ASC')])
            self.teachers[college.id] = teachers
        values = []
        for term in terms:
            for group in self.groups:
                curriculum = self.curriculum[(group.company.id,
                        group.specialty.id, group.study_form,
                        group.admission_year, group.basis)]
                semester = semester_of(group.admission_year, term)
                teachers = self.teachers.get(group.company.id) or []
                for line in curriculum.lines:
                    if line.semester != semester or line.kind == 'module':
                        continue
                    teacher = None
                    if teachers:
                        # The same teacher keeps a discipline of a group.
                        key = f'{group.id}:{line.index}'.encode()
                        teacher = teachers[zlib.crc32(key) % len(teachers)]
                    values.append({'company': group.company.id,
                            'term': term.id, 'group': group.id,
                            'line': line.id,
                            'teacher': teacher.id if teacher else None,
                            'hours_planned': line.classroom_hours or None})
        created = []
        for start in self.env.progress(range(0, len(values), 500),
                desc="Педагогическая нагрузка", unit="×500"):
            created += Workload.create(values[start:start + 500])
        for workload in created:
            self.load[(workload.group.id, workload.term.id)].append(workload)
        self.workload_count = len(created)

    def give_prep1_a_load(self, term):
        "prep1 teaches three disciplines in two groups of the first college"
        pool = self.pool
        User = pool.get('res.user')
        Workload = pool.get('copp.journal.workload')
        users = User.search([('login', '=', 'prep1')])
        if not users or not users[0].employee:
            return
        employee = users[0].employee
        groups = [g for g in self.groups
            if g.company == employee.company][:2]
        chosen = []
        for group in groups:
            loads = [w for w in self.load[(group.id, term.id)]
                if w.line.kind != 'edu_practice']
            chosen += loads[:2 if group == groups[0] else 1]
        if chosen:
            Workload.write(chosen, {'teacher': employee.id})
