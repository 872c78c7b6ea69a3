"""The online application from the programme page (issue 17, item 2):
/programs/<programme>/apply?cohort=<cohort> — the button «Подать заявку»
of the public catalogue (copp_site) leads here.

The page needs a signed-in portal account: an anonymous visitor is sent
to the cabinet's login (copp_cabinet, when activated; copp_training does
not depend on it) and comes back. The form is prefilled from the
account's person: the name, birth date, gender, СНИЛС, phone and e-mail;
the applicant adds the identity document, the education, the seat wanted
(with the category for a federal project seat) and the scans, which are
checked like the back office checks them (scan.py: PDF, JPEG or PNG by
their first bytes, `[copp] training_scan_max_size` each, at most
`training_scan_max_count`). The application is created in one
transaction with its scans (`Application.submit_online`, online.py): a
refused scan or an application of the same person to the programme in
progress (the application's own duplicate check) rolls everything back
and the form says which field is wrong, in Russian.

Only published programmes and their public cohorts that take applications
(open, before the deadline, not an employer's corporate cohort): anything
else is a 404."""
import os

import wtforms
from werkzeug.datastructures import CombinedMultiDict, FileStorage

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.pool import Pool

from copp.identifiers import snils as snils_validator
from copp_portal import forms
from copp_portal.constants import LOGIN_URL
from copp_portal.portal import portal_route

from .application import DPO_LEVELS, normalize_snils
from .online import DuplicateApplicationError
from .scan import max_count, max_size, scan_problem

CABINET_LOGIN = '/cabinet/login'
CABINET_APPLICATIONS = '/cabinet/applications'
NAME = r"^[А-ЯЁа-яё][А-ЯЁа-яё' -]*$"
NAME_MESSAGE = 'copp_training.msg_online_name'
PHONE = r'^[0-9+()\-\s]{5,40}$'
# The file inputs of the scans and the kind of scan each gives
SCAN_FIELDS = [
    ('scan_passport', 'passport'),
    ('scan_snils', 'snils'),
    ('scan_diploma', 'diploma'),
    ('scan_name_change', 'name_change'),
    ('scan_eligibility', 'eligibility'),
    ]
SCAN_KIND_FIELDS = {kind: name for name, kind in SCAN_FIELDS}
# The labels of the fields, in the error summary («Фамилия: …»)
LABELS = {
    'cohort': "Поток",
    'last_name': "Фамилия",
    'first_name': "Имя",
    'patronymic': "Отчество",
    'birth_date': "Дата рождения",
    'gender': "Пол",
    'snils': "СНИЛС",
    'email': "Электронная почта",
    'phone': "Телефон",
    'address': "Адрес регистрации",
    'id_document_kind': "Документ, удостоверяющий личность",
    'id_document_series': "Серия документа",
    'id_document_number': "Номер документа",
    'id_document_issuer': "Кем выдан",
    'id_document_date': "Дата выдачи",
    'education_level': "Образование",
    'education_document_series': "Серия документа об образовании",
    'education_document_number': "Номер документа об образовании",
    'education_document_year': "Год выдачи документа об образовании",
    'education_document_surname': "Фамилия в документе об образовании",
    'workplace': "Место работы и должность",
    'funding': "Место",
    'eligibility': "Категория участника федерального проекта",
    'eligibility_employed': "Работаю сейчас",
    'scan_passport': "Скан документа, удостоверяющего личность",
    'scan_snils': "Скан СНИЛС",
    'scan_diploma': "Скан документа об образовании",
    'scan_name_change': "Скан свидетельства о смене фамилии",
    'scan_eligibility': "Скан документа о категории",
    'consent': "Согласие на обработку персональных данных",
    }
# What the applicant may choose as their seat online (an employer's seat
# is sent by the employer from the partner portal)
ONLINE_FUNDINGS = ('federal', 'budget', 'paid')


def login_url():
    "The cabinet's login page when copp_cabinet is activated"
    if 'copp_cabinet' in Pool()._modules:
        return CABINET_LOGIN
    return LOGIN_URL


def _today():
    return Pool().get('ir.date').today()


def _years_ago(years):
    "The date `years` years before today (28 February for 29 February)"
    today = _today()
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def cohort_domain(program, date):
    "The public cohorts of `program` taking applications on `date`"
    return [
        ('program', '=', program.id),
        ('state', '=', 'open'),
        ('end_date', '>=', date),
        ['OR', ('application_deadline', '=', None),
            ('application_deadline', '>=', date)],
        ('employer', '=', None),
        ]


class ScanField(forms._FieldMixin, wtforms.Field):
    "The files of one kind of scan (several pages: several files)"
    widget = wtforms.widgets.FileInput(multiple=True)

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        self.data = [f for f in valuelist
            if isinstance(f, FileStorage) and f.filename] or None

    def format(self, value):
        return ''

    def _value(self):
        return ''


class ApplyForm(forms.Form):
    cohort = forms.ChoiceField(required=True, coerce=int)
    last_name = forms.CharField(required=True, max_length=100,
        pattern=NAME, pattern_message=NAME_MESSAGE)
    first_name = forms.CharField(required=True, max_length=100,
        pattern=NAME, pattern_message=NAME_MESSAGE)
    patronymic = forms.CharField(max_length=100, pattern=NAME,
        pattern_message=NAME_MESSAGE)
    birth_date = forms.DateField(required=True,
        min=lambda: _years_ago(100), max=lambda: _years_ago(14))
    gender = forms.ChoiceField(required=True)
    snils = forms.CharField(required=True, max_length=20)
    email = forms.EmailField(required=True)
    phone = forms.CharField(max_length=40, pattern=PHONE,
        pattern_message='copp_portal.msg_form_phone')
    address = forms.TextField(max_length=500)
    id_document_kind = forms.ChoiceField(required=True)
    id_document_series = forms.CharField(max_length=20)
    id_document_number = forms.CharField(required=True, max_length=30)
    id_document_issuer = forms.CharField(required=True, max_length=250)
    id_document_date = forms.DateField(required=True, max=_today)
    education_level = forms.ChoiceField(required=True)
    education_document_series = forms.CharField(max_length=20)
    education_document_number = forms.CharField(max_length=30)
    education_document_year = forms.IntegerField(min=1940)
    education_document_surname = forms.CharField(max_length=100,
        pattern=NAME, pattern_message=NAME_MESSAGE)
    workplace = forms.CharField(max_length=250)
    funding = forms.ChoiceField(required=True)
    eligibility = forms.ChoiceField()
    eligibility_employed = forms.BooleanField()
    scan_passport = ScanField()
    scan_snils = ScanField()
    scan_diploma = ScanField()
    scan_name_change = ScanField()
    scan_eligibility = ScanField()
    consent = forms.BooleanField(required=True)

    # Set by the page before validate(): the programme and its cohorts
    program = None
    cohorts = None
    taken = None

    def clean(self):
        values = self.values
        snils = values.get('snils')
        if snils and not snils_validator.is_valid(normalize_snils(snils)):
            self.add_error('snils', gettext('copp_training.msg_online_snils'))
        cohort = self.cohorts.get(values.get('cohort'))
        if cohort is not None and (cohort.seats or 0) <= self.taken.get(
                cohort.id, 0):
            self.add_error('cohort',
                gettext('copp_training.msg_online_no_seats'))
        if values.get('funding') == 'federal':
            if not values.get('eligibility'):
                self.add_error('eligibility', gettext(
                        'copp_training.msg_online_eligibility_required'))
            if cohort is not None and not cohort.federal_seats:
                self.add_error('funding', gettext(
                        'copp_training.msg_online_no_federal_seats'))
        year = values.get('education_document_year')
        if year and year > _today().year:
            self.add_error('education_document_year', gettext(
                    'copp_portal.msg_form_max', max=_today().year))
        level = values.get('education_level')
        if level and self.program.kind in {'advanced', 'retraining'} and (
                level not in DPO_LEVELS):
            self.add_error('education_level', gettext(
                    'copp_training.msg_online_dpo_education'))
        self.clean_scans()

    def clean_scans(self):
        "Each file checked like the back office does; the scans needed"
        Application = Pool().get('copp.training.application')
        self.scans = []
        count = 0
        for name, kind in SCAN_FIELDS:
            for upload in self[name].data or []:
                count += 1
                filename = _filename(upload.filename)
                stream = upload.stream
                stream.seek(0, os.SEEK_END)
                size = stream.tell()
                stream.seek(0)
                data = stream.read() if size <= max_size() else None
                problem = scan_problem(data, size=size)
                if problem:
                    problem, details = problem
                    self.add_error(name, gettext(
                            f'copp_training.msg_online_scan_{problem}',
                            name=filename, **details))
                else:
                    self.scans.append((kind, filename, data))
        if count > max_count():
            self.add_error(None, gettext(
                    'copp_training.msg_online_scan_too_many',
                    limit=max_count()))
        values = self.values
        # The scans the back office will ask for (the same rule)
        draft = Application(
            education_level=values.get('education_level'),
            education_document_surname=values.get(
                'education_document_surname'),
            last_name=values.get('last_name'))
        needed = draft.needed_scans()
        if values.get('funding') == 'federal':
            needed.append('eligibility')
        for kind in needed:
            name = SCAN_KIND_FIELDS.get(kind)
            if name and not self[name].data:
                self.add_error(name, gettext(
                        'copp_training.msg_online_scan_required'))


def _filename(name):
    "The file's own name, without a path or control characters"
    name = (name or '').replace('\\', '/').rsplit('/', 1)[-1]
    name = ''.join(c for c in name if c.isprintable()).strip()
    return name[-120:] or 'scan'


def _choices(selection, allowed=None):
    return [(value, label) for value, label in selection
        if value and (allowed is None or value in allowed)]


def _fundings(program, cohorts):
    "The seats an applicant may ask for in the programme's cohorts"
    fundings = []
    if program.federal_project and any(c.federal_seats for c in cohorts):
        fundings.append('federal')
    fundings.append('budget' if program.free else 'paid')
    return fundings


def _initial(portal, cohort_id):
    "The form's first values: the account's person"
    pool = Pool()
    Log = pool.get('copp.personal_data.log')
    user = portal.user
    party = user.party
    initial = {
        'cohort': cohort_id,
        'email': user.email,
        'id_document_kind': 'passport_ru',
        'consent': False,
        }
    if party:
        initial.update({
                'last_name': party.last_name,
                'first_name': party.first_name,
                'patronymic': party.patronymic,
                'birth_date': party.birth_date,
                'gender': party.gender,
                'snils': party.snils,
                'phone': party.phone or user.phone,
                'email': user.email or party.email,
                })
        if not party.last_name and not party.first_name and party.name:
            parts = party.name.split()
            initial.update(dict(zip(
                        ['last_name', 'first_name', 'patronymic'], parts)))
        Log.register_portal(user, 'party.party', [party], ['last_name',
                'first_name', 'patronymic', 'birth_date', 'gender', 'snils',
                'phone', 'email'])
    return initial


def _cohort_arg(portal):
    value = portal.request.args.get('cohort')
    if value in (None, ''):
        return None
    if not value.isdigit() or len(value) > 10:
        portal.not_found()
    return int(value)


@portal_route('/programs/<int:program_id>/apply', methods=['GET', 'POST'],
    login=True, login_url=login_url, model='copp.training.application')
def apply(portal, program_id):
    pool = portal.pool
    Program = pool.get('copp.program')
    Cohort = pool.get('copp.training.cohort')
    Application = pool.get('copp.training.application')
    request = portal.request
    programs = Program.search([('id', '=', program_id),
            ('state', '=', 'published')], limit=1)
    if not programs:
        portal.not_found()
    program, = programs
    cohorts = Cohort.search(cohort_domain(program, _today()),
        order=[('start_date', 'ASC'), ('id', 'ASC')])
    by_id = {c.id: c for c in cohorts}
    cohort_id = _cohort_arg(portal)
    if cohort_id is not None and cohort_id not in by_id:
        portal.not_found()
    if cohort_id is None and len(cohorts) == 1:
        cohort_id = cohorts[0].id
    taken = Cohort.seats_taken(list(by_id))
    selections = Application.fields_get(['gender', 'id_document_kind',
            'education_level', 'funding', 'eligibility'])
    choices = {
        'cohort': [(c.id, _cohort_label(c, taken)) for c in cohorts],
        'gender': _choices(selections['gender']['selection']),
        'id_document_kind': _choices(
            selections['id_document_kind']['selection']),
        'education_level': _choices(
            selections['education_level']['selection']),
        'funding': _choices(selections['funding']['selection'],
            _fundings(program, cohorts)),
        'eligibility': _choices(selections['eligibility']['selection']),
        }
    if request.method == 'POST':
        form = ApplyForm(portal, formdata=CombinedMultiDict(
                [request.form, request.files]), choices=choices)
    else:
        form = ApplyForm(portal, initial=_initial(portal, cohort_id),
            choices=choices)
    form.program, form.cohorts, form.taken = program, by_id, taken
    if form.submitted and not cohorts:
        form.add_error('cohort', gettext('copp_training.msg_online_closed'))
    elif form.submitted and form.validate():
        values = form.values
        cohort = by_id[values['cohort']]
        data = {name: values.get(name) for name in [
                'last_name', 'first_name', 'patronymic', 'birth_date',
                'gender', 'snils', 'email', 'phone', 'address',
                'id_document_kind', 'id_document_series',
                'id_document_number', 'id_document_issuer',
                'id_document_date', 'education_level',
                'education_document_series', 'education_document_number',
                'education_document_year', 'education_document_surname',
                'workplace', 'funding']}
        if values['funding'] == 'federal':
            data['eligibility'] = values.get('eligibility')
            data['eligibility_employed'] = bool(
                values.get('eligibility_employed'))
        data.update(company=cohort.company.id, program=program.id,
            cohort=cohort.id)
        try:
            application = Application.submit_online(portal.user, data,
                form.scans)
        except DuplicateApplicationError as exc:
            portal.rollback = True
            form.add_error('snils', exc.message)
        except UserError as exc:
            # A check of the model (a scan, a value): nothing is kept
            portal.rollback = True
            form.add_error(None, exc.message)
        else:
            portal.log('record_created', record=application,
                details='online application')
            message = gettext('copp_training.msg_online_sent_flash',
                number=application.number, email=application.email)
            if 'copp_cabinet' in pool._modules:
                portal.flash(message)
                return portal.redirect(CABINET_APPLICATIONS)
            return portal.render('auth/message.html',
                title=application.number, message=message)
    status = 422 if form.submitted else 200
    return portal.render('training/apply.html', status=status, form=form,
        program=program, cohorts=cohorts, taken=taken, labels=LABELS,
        federal='federal' in _fundings(program, cohorts),
        max_size_mb=round(max_size() / 1024 / 1024, 1),
        max_count=max_count())


def _cohort_label(cohort, taken):
    "«12.05.2026 – 30.06.2026, Рязань, ул. Связи, 21 (мест: 5)»"
    free = max((cohort.seats or 0) - taken.get(cohort.id, 0), 0)
    text = ' – '.join(d.strftime('%d.%m.%Y') for d in [
            cohort.start_date, cohort.end_date] if d)
    if cohort.place:
        text += f', {cohort.place}'
    return f'{text} (свободных мест: {free})'


# The scans of an application: PDF, JPEG, PNG of [copp]
# training_scan_max_size each, at most training_scan_max_count — trytond
# refuses the body of a portal request above [request] max_size otherwise.
apply.portal_endpoint.max_request_size = (
    max_size() * max_count() + 1024 * 1024)
