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
    name = forms.CharField(required=True, max_length=250)
    okved = forms.CharField(max_length=8,
        pattern=r'^\d{2}(\.\d(\d(\.\d{1,2})?)?)?$',
        pattern_message='copp_employer.msg_form_okved')
    industry = forms.ChoiceField()
    employees = forms.IntegerField(min=0, max=1000000)
    size = forms.ChoiceField()
    district = forms.ChoiceField(required=True, choices=DISTRICTS)
    postal_code = forms.CharField(max_length=6, pattern=r'^\d{6}$',
        pattern_message='copp_employer.msg_form_postal_code')
    city = forms.CharField(max_length=100)
    street = forms.CharField(max_length=250)
    phone = forms.CharField(max_length=40, pattern=r'^[0-9+()\-\s]{5,40}$',
        pattern_message='copp_portal.msg_form_phone')
    email = forms.EmailField()
    website = forms.CharField(max_length=200,
        pattern=r'^(https?://)?[\w.-]+\.[a-zа-яё]{2,}(/\S*)?$',
        pattern_message='copp_employer.msg_form_website')
    description = forms.TextField(max_length=4000)

    def clean(self):
        okved = self.values.get('okved')
        if okved and not okved_section(okved):
            self.add_error('okved', gettext('copp_employer.msg_form_okved'))


@partner_route('/partner/organization', methods=['GET', 'POST'])
def organization(portal, employer):
    Employer = portal.pool.get('copp.employer')
    Contact = portal.pool.get('copp.employer.contact')
    fields = list(OrganizationForm.field_names())
    form = OrganizationForm(portal,
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
    name = forms.CharField(required=True, max_length=150)
    position = forms.CharField(max_length=150)
    phone = forms.CharField(max_length=40, pattern=r'^[0-9+()\-\s]{5,40}$',
        pattern_message='copp_portal.msg_form_phone')
    email = forms.EmailField()
    main = forms.BooleanField()
    note = forms.CharField(max_length=250)


def _contact_page(portal, employer, contact=None):
    Contact = portal.pool.get('copp.employer.contact')
    form = ContactForm(portal, initial={
            f: getattr(contact, f) for f in ContactForm.field_names()} if contact
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
