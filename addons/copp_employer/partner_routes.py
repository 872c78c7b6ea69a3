"""The partner portal (/partner/…): an employer's users keep their
organization's profile, contacts, vacancies and training orders, and see
their practice places and agreements.

Every query is filtered by the employer of the portal user in the query
itself: a record of another organization answers 404, on GET and on POST."""
from functools import wraps

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.transaction import Transaction

from copp_portal import forms
from copp_portal.portal import portal_route, register_menu

from .catalog import DISTRICTS, okved_section, size_of
from .training_order import STAGE_PATH

register_menu('partner', '/partner/', 'copp_employer.msg_nav_dashboard',
    sequence=10)
register_menu('partner', '/partner/organization',
    'copp_employer.msg_nav_organization', sequence=20)
register_menu('partner', '/partner/vacancies',
    'copp_employer.msg_nav_vacancies', sequence=30)
register_menu('partner', '/partner/orders', 'copp_employer.msg_nav_orders',
    sequence=40)
register_menu('partner', '/partner/practice',
    'copp_employer.msg_nav_practice', sequence=50)
register_menu('partner', '/partner/agreements',
    'copp_employer.msg_nav_agreements', sequence=60)

PAGE_SIZE = 20


def current_employer(portal):
    "The employer the portal user acts for (403 when there is none)"
    Employer = portal.pool.get('copp.employer')
    employer = Employer.of_portal_user(portal.user)
    if employer is None or not employer.active:
        portal.forbidden(gettext('copp_employer.msg_portal_not_employer'))
    return employer


def partner_route(rule, methods=('GET',)):
    """A page of the partner portal: `func(portal, employer, **values)`.
    It needs a logged-in portal user who acts for an active employer; the
    stage changes it makes are recorded with that portal user."""
    def decorator(func):
        @wraps(func)
        def handler(portal, **kwargs):
            employer = current_employer(portal)
            with Transaction().set_context(portal_user=portal.user.id):
                return func(portal, employer, **kwargs)
        portal_route(rule, methods=methods, login=True,
            model='copp.employer')(handler)
        return func
    return decorator


def selection(model, field, empty=False):
    "The translated choices of a Selection field"
    Model = Pool().get(model)
    choices = Model.fields_get([field])[field]['selection']
    return [(v, l) for v, l in choices if empty or v is not None]


def specialty_choices():
    Specialty = Pool().get('copp.specialty')
    return [(s.id, f'{s.code} {s.name}') for s in Specialty.search([
                ('company', '=', None),
                ], order=[('code', 'ASC')])]


def program_choices():
    Program = Pool().get('copp.program')
    return [(p.id, p.name) for p in Program.search([
                ('state', '=', 'published'),
                ], order=[('name', 'ASC')])]


def contact_choices(employer):
    Contact = Pool().get('copp.employer.contact')
    return [(c.id, c.rec_name) for c in Contact.search([
                ('employer', '=', employer.id)])]


def today():
    return Pool().get('ir.date').today()


def _posted(portal):
    return portal.request.form if portal.request.method == 'POST' else None


# Dashboard ---------------------------------------------------------------

@partner_route('/partner/')
def dashboard(portal, employer):
    pool = portal.pool
    Vacancy = pool.get('copp.vacancy')
    Order = pool.get('copp.training.order')
    Place = pool.get('copp.employer.practice_place')
    Agreement = pool.get('copp.employer.agreement')
    Contact = pool.get('copp.employer.contact')
    vacancy_counts = {state: Vacancy.search_count([
                ('employer', '=', employer.id), ('state', '=', state)])
        for state in ['draft', 'published', 'closed']}
    open_orders = Order.search_count([('employer', '=', employer.id),
            ('state', 'not in', ['completed', 'declined'])])
    date = today()
    current_places = Place.search([('employer', '=', employer.id),
            ('end_date', '>=', date)])
    active_agreements = Agreement.search_count([
            ('employer', '=', employer.id), ('state', '=', 'active')])
    recent_orders = Order.search([('employer', '=', employer.id)], limit=5)
    recent_vacancies = Vacancy.search([('employer', '=', employer.id)],
        limit=5, order=[('write_date', 'DESC NULLS LAST'),
            ('create_date', 'DESC')])
    return portal.render('partner/dashboard.html', employer=employer,
        vacancy_counts=vacancy_counts, open_orders=open_orders,
        current_places=current_places,
        students=sum(p.occupied for p in current_places),
        active_agreements=active_agreements, recent_orders=recent_orders,
        recent_vacancies=recent_vacancies,
        has_contacts=bool(Contact.search_count([
                    ('employer', '=', employer.id)])))


# Organization and contacts ----------------------------------------------

class OrganizationForm(forms.Form):
    name = forms.Char(required=True, max_length=250)
    okved = forms.Char(max_length=8,
        pattern=r'^\d{2}(\.\d(\d(\.\d{1,2})?)?)?$',
        pattern_message='copp_employer.msg_form_okved')
    industry = forms.Choice()
    employees = forms.Integer(min=0, max=1000000)
    size = forms.Choice()
    district = forms.Choice(required=True, choices=DISTRICTS)
    postal_code = forms.Char(max_length=6, pattern=r'^\d{6}$',
        pattern_message='copp_employer.msg_form_postal_code')
    city = forms.Char(max_length=100)
    street = forms.Char(max_length=250)
    phone = forms.Char(max_length=40, pattern=r'^[0-9+()\-\s]{5,40}$',
        pattern_message='copp_portal.msg_form_phone')
    email = forms.Email()
    website = forms.Char(max_length=200,
        pattern=r'^(https?://)?[\w.-]+\.[a-zа-яё]{2,}(/\S*)?$',
        pattern_message='copp_employer.msg_form_website')
    description = forms.Text(max_length=4000)

    def clean(self):
        okved = self.values.get('okved')
        if okved and not okved_section(okved):
            self.add_error('okved', gettext('copp_employer.msg_form_okved'))


@partner_route('/partner/organization', methods=['GET', 'POST'])
def organization(portal, employer):
    Employer = portal.pool.get('copp.employer')
    Contact = portal.pool.get('copp.employer.contact')
    fields = list(OrganizationForm.fields)
    form = OrganizationForm(_posted(portal),
        initial={f: getattr(employer, f) for f in fields},
        choices={
            'industry': selection('copp.employer', 'industry'),
            'size': selection('copp.employer', 'size'),
            'district': selection('copp.employer', 'district'),
            })
    if form.submitted and form.validate():
        values = dict(form.values)
        if values.get('okved') and not values.get('industry'):
            values['industry'] = okved_section(values['okved'])
        if values.get('employees') is not None and not values.get('size'):
            values['size'] = size_of(values['employees'])
        try:
            Employer.write([employer], values)
        except UserError as exc:
            form.add_error(None, exc.message)
        else:
            portal.log('record_changed', record=employer)
            portal.flash(gettext('copp_employer.msg_organization_saved'))
            return portal.redirect('/partner/organization')
    contacts = Contact.search([('employer', '=', employer.id)])
    return portal.render('partner/organization.html',
        status=422 if form.submitted else 200, employer=employer, form=form,
        contacts=contacts)


class ContactForm(forms.Form):
    name = forms.Char(required=True, max_length=150)
    position = forms.Char(max_length=150)
    phone = forms.Char(max_length=40, pattern=r'^[0-9+()\-\s]{5,40}$',
        pattern_message='copp_portal.msg_form_phone')
    email = forms.Email()
    main = forms.Boolean()
    note = forms.Char(max_length=250)


def _contact_page(portal, employer, contact=None):
    Contact = portal.pool.get('copp.employer.contact')
    form = ContactForm(_posted(portal), initial={
            f: getattr(contact, f) for f in ContactForm.fields} if contact
        else {})
    if form.submitted and form.validate():
        values = dict(form.values)
        try:
            if contact:
                Contact.write([contact], values)
                portal.log('record_changed', record=contact)
            else:
                contact, = Contact.create([dict(values,
                            employer=employer.id)])
                portal.log('record_created', record=contact)
            if values.get('main'):
                others = Contact.search([('employer', '=', employer.id),
                        ('id', '!=', contact.id), ('main', '=', True)])
                Contact.write(others, {'main': False})
        except UserError as exc:
            form.add_error(None, exc.message)
        else:
            portal.flash(gettext('copp_employer.msg_contact_saved'))
            return portal.redirect('/partner/organization#contacts')
    return portal.render('partner/contact_form.html',
        status=422 if form.submitted else 200, form=form, contact=contact)


@partner_route('/partner/organization/contacts/new', methods=['GET', 'POST'])
def contact_new(portal, employer):
    return _contact_page(portal, employer)


@partner_route('/partner/organization/contacts/<int:contact_id>',
    methods=['GET', 'POST'])
def contact_edit(portal, employer, contact_id):
    contact = portal.owned('copp.employer.contact', contact_id,
        field='employer', value=employer)
    return _contact_page(portal, employer, contact)


@partner_route('/partner/organization/contacts/<int:contact_id>/delete',
    methods=['POST'])
def contact_delete(portal, employer, contact_id):
    Contact = portal.pool.get('copp.employer.contact')
    contact = portal.owned('copp.employer.contact', contact_id,
        field='employer', value=employer)
    portal.log('record_deleted', details=contact.rec_name,
        record=employer)
    Contact.delete([contact])
    portal.flash(gettext('copp_employer.msg_contact_deleted'))
    return portal.redirect('/partner/organization#contacts')


# Vacancies -------------------------------------------------------------

class VacancyForm(forms.Form):
    position = forms.Char(required=True, max_length=150)
    specialty = forms.Choice(coerce=int)
    employment = forms.Choice(required=True, default='full')
    schedule = forms.Choice(required=True, default='full_day')
    experience = forms.Choice(required=True, default='none')
    salary_from = forms.Number(min=0, max=10000000, digits=0)
    salary_to = forms.Number(min=0, max=10000000, digits=0)
    quantity = forms.Integer(required=True, min=1, max=1000, default=1)
    district = forms.Choice(required=True)
    address = forms.Char(max_length=250)
    for_students = forms.Boolean(default=True)
    requirements = forms.Text(required=True, max_length=5000)
    duties = forms.Text(max_length=5000)
    conditions = forms.Text(max_length=5000)
    contact = forms.Choice(coerce=int)
    valid_until = forms.Date(min=lambda: today())

    def clean(self):
        low, high = self.values.get('salary_from'), self.values.get(
            'salary_to')
        if low is not None and high is not None and low > high:
            self.add_error('salary_to',
                gettext('copp_employer.msg_form_salary_range'))


def vacancy_form(portal, employer, vacancy=None):
    initial = {}
    if vacancy:
        initial = {name: getattr(vacancy, name) for name in VacancyForm.fields}
        for name in ['specialty', 'contact']:
            initial[name] = initial[name].id if initial[name] else None
    else:
        initial = {'district': employer.district,
            'address': employer.full_address or None}
    return VacancyForm(_posted(portal), initial=initial, choices={
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


# Training orders ---------------------------------------------------------

class OrderForm(forms.Form):
    specialty = forms.Choice(coerce=int)
    program = forms.Choice(coerce=int)
    quantity = forms.Integer(required=True, min=1, max=1000)
    deadline = forms.Date(required=True, min=lambda: today())
    comment = forms.Text(max_length=5000)
    contact = forms.Choice(coerce=int)

    def clean(self):
        if (not self.values.get('specialty') and not self.values.get(
                    'program') and 'specialty' not in self.errors
                and 'program' not in self.errors):
            self.add_error('specialty',
                gettext('copp_employer.msg_form_order_subject'))


def order_form(portal, employer, order=None):
    initial = {}
    if order:
        initial = {name: getattr(order, name) for name in OrderForm.fields}
        for name in ['specialty', 'program', 'contact']:
            initial[name] = initial[name].id if initial[name] else None
    return OrderForm(_posted(portal), initial=initial, choices={
            'specialty': specialty_choices(),
            'program': program_choices(),
            'contact': contact_choices(employer),
            })


@partner_route('/partner/orders')
def orders(portal, employer):
    state = portal.request.args.get('state')
    domain = [('employer', '=', employer.id)]
    states = selection('copp.training.order', 'state')
    if state in dict(states):
        domain.append(('state', '=', state))
    else:
        state = None
    page = portal.paginate('copp.training.order', domain, size=PAGE_SIZE)
    return portal.render('partner/orders.html', page=page, state=state,
        states=states)


@partner_route('/partner/orders/new', methods=['GET', 'POST'])
def order_new(portal, employer):
    Order = portal.pool.get('copp.training.order')
    form = order_form(portal, employer)
    if form.submitted and form.validate():
        try:
            order, = Order.create([dict(form.values, employer=employer.id)])
        except UserError as exc:
            form.add_error(None, exc.message)
        else:
            portal.log('record_created', record=order)
            portal.flash(gettext('copp_employer.msg_order_created',
                    number=order.number))
            return portal.redirect(f'/partner/orders/{order.id}')
    return portal.render('partner/order_form.html',
        status=422 if form.submitted else 200, form=form, order=None)


@partner_route('/partner/orders/<int:order_id>')
def order(portal, employer, order_id):
    record = portal.owned('copp.training.order', order_id, field='employer',
        value=employer)
    states = dict(selection('copp.training.order', 'state'))
    return portal.render('partner/order.html', order=record, states=states,
        stage_path=STAGE_PATH)


@partner_route('/partner/orders/<int:order_id>/edit', methods=['GET', 'POST'])
def order_edit(portal, employer, order_id):
    Order = portal.pool.get('copp.training.order')
    record = portal.owned('copp.training.order', order_id, field='employer',
        value=employer)
    if not record.editable:
        portal.flash(gettext('copp_employer.msg_order_not_editable'),
            'error')
        return portal.redirect(f'/partner/orders/{record.id}')
    form = order_form(portal, employer, record)
    if form.submitted and form.validate():
        try:
            Order.write([record], dict(form.values))
        except UserError as exc:
            form.add_error(None, exc.message)
        else:
            portal.log('record_changed', record=record)
            portal.flash(gettext('copp_employer.msg_order_saved'))
            return portal.redirect(f'/partner/orders/{record.id}')
    return portal.render('partner/order_form.html',
        status=422 if form.submitted else 200, form=form, order=record)


# Practice and agreements -------------------------------------------------

@partner_route('/partner/practice')
def practice(portal, employer):
    page = portal.paginate('copp.employer.practice_place',
        [('employer', '=', employer.id)], size=PAGE_SIZE)
    return portal.render('partner/practice.html', page=page, today=today())


@partner_route('/partner/practice/<int:place_id>')
def practice_place(portal, employer, place_id):
    place = portal.owned('copp.employer.practice_place', place_id,
        field='employer', value=employer)
    return portal.render('partner/practice_place.html', place=place)


@partner_route('/partner/agreements')
def agreements(portal, employer):
    page = portal.paginate('copp.employer.agreement', [
            ('employer', '=', employer.id),
            ('state', '!=', 'draft'),
            ], size=PAGE_SIZE)
    return portal.render('partner/agreements.html', page=page,
        states=dict(selection('copp.employer.agreement', 'state')),
        kinds=dict(selection('copp.employer.agreement', 'kind')))


@partner_route('/partner/agreements/<int:agreement_id>')
def agreement(portal, employer, agreement_id):
    record = portal.owned('copp.employer.agreement', agreement_id,
        field='employer', value=employer, domain=[('state', '!=', 'draft')])
    return portal.render('partner/agreement.html', agreement=record,
        states=dict(selection('copp.employer.agreement', 'state')),
        kinds=dict(selection('copp.employer.agreement', 'kind')))
