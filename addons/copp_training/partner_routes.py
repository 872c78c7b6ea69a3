"""Partner portal pages of copp_training: an employer sends its staff to a
cohort in one go. /partner/training lists the cohorts open for
applications (the public ones and the employer's own corporate ones) and
the employer's applications with their stages; /partner/training/<cohort>
/apply takes one line per person («Фамилия Имя Отчество; дд.мм.гггг;
СНИЛС; e-mail; должность»): every line is checked first, then each becomes
an application «Заявка работодателя» in the stage «новая», paid by the
employer (free when the programme is). The ЦОПП checks them as any other
application; the scans are brought to it. Another employer's corporate
cohort, or one that takes no applications, is a 404."""
import datetime as dt
import re

from trytond.i18n import gettext
from trytond.pool import Pool

from copp.identifiers import snils as snils_validator
from copp_employer.partner_routes import partner_route
from copp_portal import forms
from copp_portal.portal import register_menu

from .application import ACTIVE_STATES, normalize_snils

register_menu('partner', '/partner/training',
    'copp_training.msg_nav_partner_training', sequence=45)

MAX_LINES = 50
EMAIL = re.compile(r'^[^@\s;]+@[^@\s;]+\.[^@\s;]+$')
NAME = re.compile(r"^[А-ЯЁа-яё][А-ЯЁа-яё' -]*$")


def cohort_domain(employer, date):
    "The cohorts the employer may send its staff to"
    return [
        ('state', '=', 'open'),
        ('end_date', '>=', date),
        ['OR', ('application_deadline', '=', None),
            ('application_deadline', '>=', date)],
        ('program.state', '=', 'published'),
        ['OR', ('employer', '=', None), ('employer', '=', employer.id)],
        ]


class StaffForm(forms.Form):
    staff = forms.TextField(required=True, max_length=10000)
    consent = forms.BooleanField(required=True)

    def clean(self):
        text = self.values.get('staff')
        if not text:
            return
        people, errors = parse_staff(text)
        if errors:
            self.add_error('staff', ' '.join(errors))
        self.people = people


def parse_staff(text):
    """([{last_name, first_name, patronymic, birth_date, snils, email,
    workplace}], [Russian errors naming the lines])"""
    people, errors = [], []
    lines = [l for l in text.splitlines() if l.strip()]
    if len(lines) > MAX_LINES:
        return [], [gettext('copp_training.msg_partner_too_many',
                    limit=MAX_LINES)]
    seen = set()
    for number, line in enumerate(lines, 1):
        parts = [p.strip() for p in line.split(';')] + [''] * 5
        name, birth, snils, email, position = parts[:5]
        names = name.split()
        person = {}
        if not 2 <= len(names) <= 3 or not all(
                NAME.match(n) for n in names):
            errors.append(gettext('copp_training.msg_partner_line_name',
                    line=number))
            continue
        try:
            person['birth_date'] = dt.datetime.strptime(
                birth, '%d.%m.%Y').date()
        except ValueError:
            errors.append(gettext('copp_training.msg_partner_line_birth',
                    line=number))
            continue
        snils = normalize_snils(snils)
        if not snils or not snils_validator.is_valid(snils):
            errors.append(gettext('copp_training.msg_partner_line_snils',
                    line=number))
            continue
        if snils in seen:
            errors.append(gettext('copp_training.msg_partner_line_twice',
                    line=number))
            continue
        seen.add(snils)
        if email and not EMAIL.match(email):
            errors.append(gettext('copp_training.msg_partner_line_email',
                    line=number))
            continue
        person.update(last_name=names[0], first_name=names[1],
            patronymic=names[2] if len(names) > 2 else None, snils=snils,
            email=email.lower() or None, workplace=position[:250] or None)
        people.append(person)
    return people, errors


def _today():
    return Pool().get('ir.date').today()


@partner_route('/partner/training')
def training(portal, employer):
    pool = portal.pool
    Cohort = pool.get('copp.training.cohort')
    Application = pool.get('copp.training.application')
    cohorts = Cohort.search(cohort_domain(employer, _today()),
        order=[('start_date', 'ASC'), ('id', 'ASC')], limit=100)
    taken = Cohort.seats_taken([c.id for c in cohorts])
    page = portal.paginate('copp.training.application',
        [('employer', '=', employer.id), ('source', '=', 'employer')],
        order=[('id', 'DESC')], size=20,
        args={'page': portal.request.args.get('page')})
    return portal.render('partner/training.html', cohorts=[{
                'id': c.id, 'program': c.program.name,
                'organization': c.company.rec_name,
                'start': c.start_date, 'end': c.end_date,
                'place': c.place or '', 'corporate': bool(c.employer),
                'free': max((c.seats or 0) - taken.get(c.id, 0), 0),
                } for c in cohorts],
        page=page)


@partner_route('/partner/training/<int:cohort_id>/apply',
    methods=['GET', 'POST'])
def apply(portal, employer, cohort_id):
    pool = portal.pool
    Cohort = pool.get('copp.training.cohort')
    Application = pool.get('copp.training.application')
    cohorts = Cohort.search([('id', '=', cohort_id)]
        + cohort_domain(employer, _today()), limit=1)
    if not cohorts:
        portal.not_found()
    cohort, = cohorts
    form = StaffForm(portal)
    if form.submitted and form.validate():
        program = cohort.program
        snils = [p['snils'] for p in form.people]
        applied = {a.snils for a in Application.search([
                    ('program', '=', program.id),
                    ('snils', 'in', snils),
                    ('state', 'in', list(ACTIVE_STATES)),
                    ])}
        if applied:
            form.add_error('staff', gettext(
                    'copp_training.msg_partner_applied',
                    snils=', '.join(sorted(applied))))
        else:
            applications = Application.create([dict(person,
                        company=cohort.company.id, program=program.id,
                        cohort=cohort.id, source='employer',
                        employer=employer.id,
                        funding='budget' if program.free else 'employer',
                        consent=True) for person in form.people])
            for application in applications:
                portal.log('record_created', record=application)
            portal.flash(gettext('copp_training.msg_partner_sent',
                    count=len(applications)))
            return portal.redirect('/partner/training')
    return portal.render('partner/training_apply.html',
        status=422 if form.submitted else 200, form=form, cohort={
            'id': cohort.id, 'program': cohort.program.name,
            'organization': cohort.company.rec_name,
            'start': cohort.start_date, 'end': cohort.end_date,
            'place': cohort.place or '',
            })
