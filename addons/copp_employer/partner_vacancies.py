"""The vacancies of the partner portal (/partner/vacancies…): every query
is filtered by the portal user's employer (another organization's record
answers 404)."""
from trytond.exceptions import UserError
from trytond.i18n import gettext

from copp_portal import forms

from .partner_routes import (
    PAGE_SIZE, contact_choices, partner_route, selection,
    specialty_choices, today)


# Vacancies -------------------------------------------------------------

class VacancyForm(forms.Form):
    position = forms.CharField(required=True, max_length=150)
    specialty = forms.ChoiceField(coerce=int)
    employment = forms.ChoiceField(required=True, default='full')
    schedule = forms.ChoiceField(required=True, default='full_day')
    experience = forms.ChoiceField(required=True, default='none')
    salary_from = forms.NumberField(min=0, max=10000000, digits=0)
    salary_to = forms.NumberField(min=0, max=10000000, digits=0)
    quantity = forms.IntegerField(required=True, min=1, max=1000, default=1)
    district = forms.ChoiceField(required=True)
    address = forms.CharField(max_length=250)
    for_students = forms.BooleanField(default=True)
    requirements = forms.TextField(required=True, max_length=5000)
    duties = forms.TextField(max_length=5000)
    conditions = forms.TextField(max_length=5000)
    contact = forms.ChoiceField(coerce=int)
    valid_until = forms.DateField(min=lambda: today())

    def clean(self):
        low, high = self.values.get('salary_from'), self.values.get(
            'salary_to')
        if low is not None and high is not None and low > high:
            self.add_error('salary_to',
                gettext('copp_employer.msg_form_salary_range'))


def vacancy_form(portal, employer, vacancy=None):
    initial = {}
    if vacancy:
        initial = {name: getattr(vacancy, name) for name in VacancyForm.field_names()}
        for name in ['specialty', 'contact']:
            initial[name] = initial[name].id if initial[name] else None
    else:
        initial = {'district': employer.district,
            'address': employer.full_address or None}
    return VacancyForm(portal, initial=initial, choices={
            'specialty': specialty_choices(),
            'employment': selection('copp.vacancy', 'employment'),
            'schedule': selection('copp.vacancy', 'schedule'),
            'experience': selection('copp.vacancy', 'experience'),
            'district': selection('copp.vacancy', 'district'),
            'contact': contact_choices(employer),
            })


@partner_route('/partner/vacancies')
def vacancies(portal, employer):
    state = portal.request.args.get('state')
    domain = [('employer', '=', employer.id)]
    if state in {'draft', 'published', 'closed'}:
        domain.append(('state', '=', state))
    else:
        state = None
    page = portal.paginate('copp.vacancy', domain, size=PAGE_SIZE)
    return portal.render('partner/vacancies.html', page=page, state=state,
        states=selection('copp.vacancy', 'state'))


@partner_route('/partner/vacancies/new', methods=['GET', 'POST'])
def vacancy_new(portal, employer):
    Vacancy = portal.pool.get('copp.vacancy')
    form = vacancy_form(portal, employer)
    if form.submitted and form.validate():
        try:
            vacancy, = Vacancy.create([dict(form.values,
                        employer=employer.id)])
        except UserError as exc:
            form.add_error(None, exc.message)
        else:
            portal.log('record_created', record=vacancy)
            publish = portal.request.form.get('action') == 'publish'
            if publish:
                try:
                    Vacancy.publish([vacancy])
                except UserError as exc:
                    portal.flash(exc.message, 'error')
                else:
                    portal.log('state_changed', record=vacancy,
                        details='published')
            portal.flash(gettext('copp_employer.msg_vacancy_published'
                    if vacancy.state == 'published'
                    else 'copp_employer.msg_vacancy_saved'))
            return portal.redirect(f'/partner/vacancies/{vacancy.id}')
    return portal.render('partner/vacancy_form.html',
        status=422 if form.submitted else 200, form=form, vacancy=None)


@partner_route('/partner/vacancies/<int:vacancy_id>')
def vacancy(portal, employer, vacancy_id):
    record = portal.owned('copp.vacancy', vacancy_id, field='employer',
        value=employer)
    return portal.render('partner/vacancy.html', vacancy=record)


@partner_route('/partner/vacancies/<int:vacancy_id>/edit',
    methods=['GET', 'POST'])
def vacancy_edit(portal, employer, vacancy_id):
    Vacancy = portal.pool.get('copp.vacancy')
    record = portal.owned('copp.vacancy', vacancy_id, field='employer',
        value=employer)
    if record.state == 'closed':
        portal.flash(gettext('copp_employer.msg_vacancy_closed_readonly'),
            'error')
        return portal.redirect(f'/partner/vacancies/{record.id}')
    form = vacancy_form(portal, employer, record)
    if form.submitted and form.validate():
        try:
            Vacancy.write([record], dict(form.values))
        except UserError as exc:
            form.add_error(None, exc.message)
        else:
            portal.log('record_changed', record=record)
            portal.flash(gettext('copp_employer.msg_vacancy_saved'))
            return portal.redirect(f'/partner/vacancies/{record.id}')
    return portal.render('partner/vacancy_form.html',
        status=422 if form.submitted else 200, form=form, vacancy=record)


def _vacancy_transition(portal, employer, vacancy_id, method, message):
    Vacancy = portal.pool.get('copp.vacancy')
    record = portal.owned('copp.vacancy', vacancy_id, field='employer',
        value=employer)
    before = record.state
    try:
        getattr(Vacancy, method)([record])
    except UserError as exc:
        portal.rollback = True
        portal.flash(exc.message, 'error')
    else:
        record = Vacancy(record.id)
        if record.state != before:
            portal.log('state_changed', record=record, details=(
                    f'{before} → {record.state}'))
            portal.flash(gettext(message))
    return portal.redirect(f'/partner/vacancies/{record.id}')


@partner_route('/partner/vacancies/<int:vacancy_id>/publish',
    methods=['POST'])
def vacancy_publish(portal, employer, vacancy_id):
    return _vacancy_transition(portal, employer, vacancy_id, 'publish',
        'copp_employer.msg_vacancy_published')


@partner_route('/partner/vacancies/<int:vacancy_id>/close', methods=['POST'])
def vacancy_close(portal, employer, vacancy_id):
    return _vacancy_transition(portal, employer, vacancy_id, 'close',
        'copp_employer.msg_vacancy_closed')


@partner_route('/partner/vacancies/<int:vacancy_id>/draft', methods=['POST'])
def vacancy_draft(portal, employer, vacancy_id):
    return _vacancy_transition(portal, employer, vacancy_id, 'draft',
        'copp_employer.msg_vacancy_unpublished')
