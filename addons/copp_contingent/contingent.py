"""The contingent on a date, computed from the movement log in one SQL query.

A row is (college, specialty, course, form of study, funding). For a period
[from_date, date]:

- at start: students active (studying or on academic leave) in the row on the
  eve of the period (the movement in force on from_date - 1);
- on the date: students active in the row (the movement in force on date);
- arrived: movements of the period that bring a student into the row, from
  outside (enrolled, reinstated) or from another row (transferred in:
  transfer, course transfer, return from leave into another group);
- departed: movements of the period that take a student out of the row
  (expelled, graduated, transferred out).

Each movement carries the student's attributes before and after it, so the
sums telescope: «на начало + прибыло − выбыло = на конец» in every row, and a
student enrolled and expelled within the period counts in both columns.
"""
import datetime as dt
import io

from sql import Literal, Null, Union, Window
from sql.aggregate import Sum
from sql.conditionals import Case
from sql.functions import CurrentTimestamp, RowNumber

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from copp.company import context_college
from copp.labels import SelectionLabelMixin, selection_label
from copp.specialty import STUDY_FORMS

from .student import FUNDINGS

ACTIVE = ['studying', 'academic_leave']
MEASURES = ['start_total', 'enrolled', 'reinstated', 'transferred_in',
    'expelled', 'graduated', 'transferred_out', 'studying', 'on_leave']


def _int(value):
    return int(value or 0)


class ContingentContext(ModelView):
    "Contingent on a date"
    __name__ = 'copp.contingent.context'

    date = fields.Date("On Date", required=True)
    from_date = fields.Date("Period From",
        domain=[('from_date', '<=', Eval('date'))],
        help="The start of the period of arrivals and departures "
        "(the beginning of the academic year by default).")
    company = fields.Many2One('company.company', "College",
        domain=[('institution_kind', '=', 'college')],
        help="Empty for every college you work with.")

    @classmethod
    def default_date(cls):
        return Transaction().context.get('date') or Pool().get(
            'ir.date').today()

    @classmethod
    def default_from_date(cls):
        pool = Pool()
        AcademicYear = pool.get('copp.academic.year')
        date = cls.default_date()
        context_from = Transaction().context.get('from_date')
        if context_from:
            return context_from
        year = AcademicYear.find(date)
        if year:
            return year.start_date
        return dt.date(AcademicYear.starting_year(date), 9, 1)

    @classmethod
    def default_company(cls):
        return context_college()


def period():
    "(from_date, date, company) of the context"
    pool = Pool()
    Context = pool.get('copp.contingent.context')
    context = Transaction().context
    date = context.get('date') or Context.default_date()
    from_date = context.get('from_date') or Context.default_from_date()
    if isinstance(date, str):
        date = dt.date.fromisoformat(date)
    if isinstance(from_date, str):
        from_date = dt.date.fromisoformat(from_date)
    if from_date > date:
        from_date = date
    # The ministry's or the ЦОПП's own company (also the session's company
    # of their users when a view has no filter form) has no students: it
    # means the region.
    return from_date, date, context_college()


def _companies_filter():
    "The companies the user works with (None: no restriction)"
    pool = Pool()
    User = pool.get('res.user')
    transaction = Transaction()
    if transaction.user == 0 or not transaction.check_access:
        return None
    return list(User.get_companies())


class ContingentMixin:
    "Rows of the contingent grouped by `_dimensions`"
    __slots__ = ()
    _dimensions = ['company', 'specialty', 'course', 'study_form', 'funding']

    company = fields.Many2One('company.company', "College", readonly=True)
    start_total = fields.Integer("At Start", readonly=True,
        help="Students and students on academic leave on the eve of the "
        "period.")
    enrolled = fields.Integer("Enrolled", readonly=True)
    reinstated = fields.Integer("Reinstated", readonly=True)
    transferred_in = fields.Integer("Transferred In", readonly=True)
    arrived = fields.Integer("Arrived", readonly=True)
    expelled = fields.Integer("Expelled", readonly=True)
    graduated = fields.Integer("Graduated", readonly=True)
    transferred_out = fields.Integer("Transferred Out", readonly=True)
    departed = fields.Integer("Departed", readonly=True)
    studying = fields.Integer("Studying", readonly=True)
    on_leave = fields.Integer("On Academic Leave", readonly=True)
    total = fields.Integer("Total", readonly=True,
        help="Studying and on academic leave on the date.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [(d, 'ASC') for d in cls._dimensions] + [('id', 'ASC')]

    @classmethod
    def contingent_query(cls, from_date, date, company=None,
            companies=None):
        """UNION ALL of three set-based scans of the log: who is in each row
        on the eve of the period, who is in it on the date, and the
        movements of the period that enter or leave a row"""
        pool = Pool()
        Movement = pool.get('copp.contingent.movement')
        dims = cls._dimensions

        def where(table):
            condition = Literal(True)
            if company:
                condition &= table.company == company
            if companies is not None:
                condition &= table.company.in_(companies or [-1])
            return condition

        def columns(table):
            return [table.state] + [getattr(table, d) for d in dims]

        zero, one = Literal(0), Literal(1)

        def flag(condition):
            return Case((condition, one), else_=zero)

        def measures(**values):
            return [values.get(m, zero).as_(m) for m in MEASURES]

        _, end = Movement.effective_query(date, columns, where)
        _, start = Movement.effective_query(
            from_date - dt.timedelta(days=1), columns, where)
        end_side = end.select(
            *[getattr(end, d).as_(d) for d in dims],
            *measures(
                studying=flag(end.state == 'studying'),
                on_leave=flag(end.state == 'academic_leave')),
            where=end.state.in_(ACTIVE))
        start_side = start.select(
            *[getattr(start, d).as_(d) for d in dims],
            *measures(start_total=one),
            where=start.state.in_(ACTIVE))

        def changed(table):
            condition = Literal(False)
            for dim in dims:
                if dim != 'company':
                    condition |= (
                        getattr(table, 'from_' + dim) != getattr(table, dim))
            return condition

        arrival = Movement.__table__()
        in_period = ((arrival.date >= from_date) & (arrival.date <= date)
            & where(arrival))
        was_out = ((arrival.from_state == Null)
            | ~arrival.from_state.in_(ACTIVE))
        arrivals = arrival.select(
            *[getattr(arrival, d).as_(d) for d in dims],
            *measures(
                enrolled=flag(arrival.kind == 'enrolment'),
                reinstated=flag(arrival.kind == 'reinstatement'),
                transferred_in=flag(~arrival.kind.in_(
                        ['enrolment', 'reinstatement']))),
            where=in_period & arrival.state.in_(ACTIVE)
            & (was_out | changed(arrival)))
        departure = Movement.__table__()
        in_period = ((departure.date >= from_date)
            & (departure.date <= date) & where(departure))
        departures = departure.select(
            *[(departure.company if d == 'company'
                    else getattr(departure, 'from_' + d)).as_(d)
                for d in dims],
            *measures(
                expelled=flag(departure.state == 'expelled'),
                graduated=flag(departure.state == 'graduated'),
                transferred_out=flag(departure.state.in_(ACTIVE))),
            where=in_period & departure.from_state.in_(ACTIVE)
            & (~departure.state.in_(ACTIVE) | changed(departure)))
        return Union(end_side, start_side, arrivals, departures, all_=True)

    @classmethod
    def _all_dimensions(cls):
        return ['company', 'specialty', 'course', 'study_form', 'funding']

    @classmethod
    def compute(cls, date, from_date=None, company=None):
        """The rows of the report as dicts, in one query (the xlsx export,
        the API and the benchmark; the client reads the table_query)"""
        context = {'date': date, 'from_date': from_date or date,
            'company': company}
        with Transaction().set_context(**context):
            # Without the id window of the table_query: nobody reads ids.
            query = cls._report_query(with_ids=False)
        names = [c.output_name for c in query.columns]
        cursor = Transaction().connection.cursor()
        cursor.execute(*query)
        return [dict(zip(names, row)) for row in cursor]

    @classmethod
    def table_query(cls):
        return cls._report_query(with_ids=True)

    @classmethod
    def _report_query(cls, with_ids):
        from_date, date, company = period()
        union = cls.contingent_query(from_date, date, company,
            _companies_filter())
        dims = [getattr(union, d) for d in cls._dimensions]
        sums = {m: Sum(getattr(union, m)) for m in MEASURES}
        columns = []
        if with_ids:
            window = Window([], order_by=dims)
            columns = [RowNumber(window=window).as_('id'),
                Literal(0).as_('create_uid'),
                CurrentTimestamp().as_('create_date'),
                Literal(None).as_('write_uid'),
                Literal(None).as_('write_date')]
        return union.select(*columns,
            *[d.as_(n) for d, n in zip(dims, cls._dimensions)],
            *[s.as_(m) for m, s in sums.items()],
            (sums['enrolled'] + sums['reinstated']
                + sums['transferred_in']).as_('arrived'),
            (sums['expelled'] + sums['graduated']
                + sums['transferred_out']).as_('departed'),
            (sums['studying'] + sums['on_leave']).as_('total'),
            group_by=dims)


class ContingentReport(
        SelectionLabelMixin, ContingentMixin, ModelSQL, ModelView):
    "Contingent on a date"
    __name__ = 'copp.contingent.report'

    specialty = fields.Many2One('copp.specialty', "Specialty", readonly=True)
    course = fields.Integer("Course", readonly=True)
    study_form = fields.Selection(STUDY_FORMS, "Form of Study",
        readonly=True)
    funding = fields.Selection(FUNDINGS, "Funding", readonly=True)
    funding_label = selection_label("Funding")


class ContingentCollege(ContingentMixin, ModelSQL, ModelView):
    "Contingent by college"
    __name__ = 'copp.contingent.report.college'
    _dimensions = ['company']


class Spo1(ModelSQL, ModelView):
    """СПО-1, section 2.1: students by specialty, form of study and course"""
    __name__ = 'copp.contingent.spo1'

    company = fields.Many2One('company.company', "College", readonly=True)
    specialty = fields.Many2One('copp.specialty', "Specialty", readonly=True)
    code = fields.Char("Code", readonly=True)
    study_form = fields.Selection(STUDY_FORMS, "Form of Study",
        readonly=True)
    admitted = fields.Integer("Admitted", readonly=True,
        help="Enrolled to the first course during the period.")
    total = fields.Integer("Total", readonly=True)
    course_1 = fields.Integer("Course 1", readonly=True)
    course_2 = fields.Integer("Course 2", readonly=True)
    course_3 = fields.Integer("Course 3", readonly=True)
    course_4 = fields.Integer("Course 4", readonly=True)
    course_5 = fields.Integer("Course 5 and Beyond", readonly=True)
    budget = fields.Integer("Budget", readonly=True,
        help="Funded by the budget, targeted training included.")
    targeted = fields.Integer("Targeted", readonly=True)
    contract = fields.Integer("Contract", readonly=True)
    women = fields.Integer("Women", readonly=True)
    on_leave = fields.Integer("On Academic Leave", readonly=True)
    graduated = fields.Integer("Graduated", readonly=True,
        help="Graduated during the period.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('company', 'ASC'), ('code', 'ASC'),
            ('study_form', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Movement = pool.get('copp.contingent.movement')
        Student = pool.get('copp.student')
        Party = pool.get('party.party')
        Specialty = pool.get('copp.specialty')
        from_date, date, company = period()
        companies = _companies_filter()

        def restrict(table):
            condition = Literal(True)
            if company:
                condition &= table.company == company
            if companies is not None:
                condition &= table.company.in_(companies or [-1])
            return condition

        _, end = Movement.effective_query(date, lambda t: [
                t.student, t.company, t.specialty, t.study_form, t.course,
                t.funding, t.state], restrict)
        student = Student.__table__()
        party = Party.__table__()
        zero, one = Literal(0), Literal(1)

        def flag(condition):
            return Case((condition, one), else_=zero)

        current = end.join(student, condition=student.id == end.student
            ).join(party, condition=party.id == student.party
            ).select(
                end.company, end.specialty, end.study_form,
                zero.as_('admitted'), one.as_('total'),
                *[flag(end.course == i).as_(f'course_{i}')
                    for i in range(1, 5)],
                flag(end.course >= 5).as_('course_5'),
                flag(end.funding.in_(['budget', 'targeted'])).as_('budget'),
                flag(end.funding == 'targeted').as_('targeted'),
                flag(end.funding == 'contract').as_('contract'),
                flag(party.gender == 'female').as_('women'),
                flag(end.state == 'academic_leave').as_('on_leave'),
                zero.as_('graduated'),
                where=end.state.in_(ACTIVE))
        movement = Movement.__table__()
        in_period = ((movement.date >= from_date) & (movement.date <= date)
            & restrict(movement))
        events = movement.select(
            movement.company, movement.specialty, movement.study_form,
            flag((movement.kind == 'enrolment')
                & (movement.course == 1)).as_('admitted'),
            zero.as_('total'),
            *[zero.as_(f'course_{i}') for i in range(1, 6)],
            zero.as_('budget'), zero.as_('targeted'), zero.as_('contract'),
            zero.as_('women'), zero.as_('on_leave'),
            flag(movement.state == 'graduated').as_('graduated'),
            where=in_period & (
                ((movement.kind == 'enrolment') & (movement.course == 1))
                | (movement.state == 'graduated')))
        union = Union(current, events, all_=True)
        specialty = Specialty.__table__()
        measures = ['admitted', 'total', 'course_1', 'course_2', 'course_3',
            'course_4', 'course_5', 'budget', 'targeted', 'contract', 'women',
            'on_leave', 'graduated']
        dims = [union.company, union.specialty, union.study_form]
        query = union.join(specialty,
            condition=specialty.id == union.specialty)
        return query.select(
            RowNumber(window=Window([], order_by=dims)).as_('id'),
            Literal(0).as_('create_uid'),
            CurrentTimestamp().as_('create_date'),
            Literal(None).as_('write_uid'),
            Literal(None).as_('write_date'),
            union.company.as_('company'),
            union.specialty.as_('specialty'),
            specialty.code.as_('code'),
            union.study_form.as_('study_form'),
            *[Sum(getattr(union, m)).as_(m) for m in measures],
            group_by=dims + [specialty.code])


class ContingentExportStart(ModelView):
    "Export the contingent"
    __name__ = 'copp.contingent.export.start'

    date = fields.Date("On Date", required=True)
    from_date = fields.Date("Period From", required=True,
        domain=[('from_date', '<=', Eval('date'))])
    company = fields.Many2One('company.company', "College",
        domain=[('institution_kind', '=', 'college')],
        help="Empty for every college you work with.")

    @classmethod
    def default_date(cls):
        return Pool().get('copp.contingent.context').default_date()

    @classmethod
    def default_from_date(cls):
        return Pool().get('copp.contingent.context').default_from_date()

    @classmethod
    def default_company(cls):
        return context_college()


class ContingentExportResult(ModelView):
    "Export the contingent"
    __name__ = 'copp.contingent.export.result'

    file = fields.Binary("File", readonly=True, filename='filename')
    filename = fields.Char("File Name", readonly=True)


class ContingentExport(Wizard):
    "Export the contingent to xlsx"
    __name__ = 'copp.contingent.export'

    start = StateView('copp.contingent.export.start',
        'copp_contingent.contingent_export_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Export", 'export', 'tryton-ok', default=True),
            ])
    export = StateTransition()
    result = StateView('copp.contingent.export.result',
        'copp_contingent.contingent_export_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def transition_export(self):
        start = self.start
        data = export_xlsx(start.date, start.from_date,
            start.company.id if start.company else None)
        self.result.file = data
        self.result.filename = gettext('copp_contingent.msg_export_filename',
            date=start.date.isoformat())
        return 'result'

    def default_result(self, fields):
        return {
            'file': self.result.file,
            'filename': self.result.filename,
            }


def _labels(Model, names):
    "Translated field labels and selections"
    definitions = Model.fields_get(names)
    labels = {n: definitions[n]['string'] for n in names}
    selections = {n: dict(definitions[n]['selection'])
        for n in names if 'selection' in definitions[n]}
    return labels, selections


def _export_rows(Model, names, date, from_date, company):
    """The rows of a sheet as dicts with the names of the many2one values:
    the contingent in one query (compute), the names in one read a model"""
    pool = Pool()
    if hasattr(Model, 'compute'):
        rows = Model.compute(date, from_date, company)
    else:
        rows = Model.search_read([], fields_names=list(names))
    for name in names:
        field = Model._fields[name]
        if field._type != 'many2one':
            continue
        Target = pool.get(field.model_name)
        ids = {r[name] for r in rows if r[name]}
        names_by_id = {r['id']: r['rec_name']
            for r in Target.read(list(ids), ['rec_name'])}
        for r in rows:
            r[name] = names_by_id.get(r[name], '')
    return rows


def export_xlsx(date, from_date, company=None):
    """The contingent on date with the period's movements as an xlsx
    workbook (bytes): detail, by college and СПО-1 sheets"""
    from copp.xlsx import workbook as xlsx_workbook
    from trytond.i18n import gettext
    pool = Pool()
    Report = pool.get('copp.contingent.report')
    College = pool.get('copp.contingent.report.college')
    Spo1 = pool.get('copp.contingent.spo1')
    buffer = io.BytesIO()
    workbook = xlsx_workbook(buffer, {'in_memory': True})
    bold = workbook.add_format({'bold': True, 'text_wrap': True,
            'valign': 'top', 'border': 1, 'bg_color': '#E8EEF7'})
    cell = workbook.add_format({'border': 1})
    title = workbook.add_format({'bold': True, 'font_size': 13})
    header_text = gettext('copp_contingent.msg_export_title',
        date=date.strftime('%d.%m.%Y'),
        from_date=from_date.strftime('%d.%m.%Y'))
    measures = ['start_total', 'enrolled', 'reinstated', 'transferred_in',
        'arrived', 'expelled', 'graduated', 'transferred_out', 'departed',
        'studying', 'on_leave', 'total']
    context = {'date': date, 'from_date': from_date, 'company': company}
    with Transaction().set_context(**context):
        sheets = [
            (gettext('copp_contingent.msg_export_sheet_detail'), Report,
                ['company', 'specialty', 'course', 'study_form', 'funding']
                + measures),
            (gettext('copp_contingent.msg_export_sheet_college'), College,
                ['company'] + measures),
            (gettext('copp_contingent.msg_export_sheet_spo1'), Spo1,
                ['company', 'code', 'specialty', 'study_form', 'admitted',
                    'total', 'course_1', 'course_2', 'course_3', 'course_4',
                    'course_5', 'budget', 'targeted', 'contract', 'women',
                    'on_leave', 'graduated']),
            ]
        for sheet_name, Model, names in sheets:
            sheet = workbook.add_worksheet(sheet_name[:31])
            labels, selections = _labels(Model, names)
            sheet.write(0, 0, header_text, title)
            for col, name in enumerate(names):
                sheet.write(2, col, labels[name], bold)
                sheet.set_column(col, col,
                    40 if name == 'specialty' else
                    24 if name == 'company' else 12)
            totals = [0] * len(names)
            row = 3
            for values in _export_rows(Model, names, date, from_date,
                    company):
                for col, name in enumerate(names):
                    value = values[name]
                    if name in selections:
                        value = selections[name].get(value, value)
                    if isinstance(value, int) and name not in {
                            'course', 'company', 'specialty'}:
                        totals[col] += value
                    sheet.write(row, col, value, cell)
                row += 1
            sheet.write(row, 0, gettext('copp_contingent.msg_export_total'),
                bold)
            for col, name in enumerate(names):
                if name in measures or name.startswith('course_') or name in {
                        'admitted', 'budget', 'targeted', 'contract',
                        'women'}:
                    sheet.write(row, col, totals[col], bold)
            sheet.freeze_panes(3, 0)
    workbook.close()
    return buffer.getvalue()
