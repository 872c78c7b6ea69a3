"""The public programme catalogue: /programs (search, filters, pages) and
/programs/<id> (the programme, its modules and the cohorts open for
applications). Routes run as root: they read published programmes and
public cohorts only (catalogue.py), anything else is a 404."""
import urllib.parse

from copp_portal.portal import Page, page_number, portal_route, register_menu

from . import catalogue
from .catalogue import (
    DURATIONS, FEDERAL_PROJECT_LABELS, FORMAT_LABELS, FUNDINGS, PAGE_SIZE)
from .sanitize import text_html

register_menu('public', '/programs', 'copp_site.msg_nav_programs',
    sequence=10)


def labels():
    "The translated labels of the kinds, audiences and documents"
    return {
        'kinds': catalogue.selection_labels('copp.program', 'kind'),
        'audiences': catalogue.selection_labels('copp.program', 'audience'),
        }


def program_card(program, cohorts, kinds, audiences):
    "What a card of the list shows of a programme (catalogue.program_rows)"
    federal = program.get('federal_project')
    return {
        'id': program['id'],
        'name': program['name'],
        'kind': kinds.get(program['kind'], ''),
        'kind_code': program['kind'],
        'format': FORMAT_LABELS.get(program['format'], ''),
        'hours': program['hours'],
        'college': program['college'],
        'college_id': program['company'],
        'college_name': program['college_name'],
        'free': program['free'],
        'price': None if program['free'] else program['price'],
        'federal': FEDERAL_PROJECT_LABELS.get(federal) if federal else None,
        'audience': [audiences[a] for a in (program['audience'] or [])
            if a in audiences],
        'cohorts': cohorts,
        'next': cohorts[0] if cohorts else None,
        }


def _lines(text):
    return [line.strip(' \t-•–') for line in (text or '').splitlines()
        if line.strip(' \t-•–')]


def program_page_view(program, cohorts, kinds, audiences):
    view = program_card(catalogue.program_rows([program.id])[0], cohorts,
        kinds, audiences)
    modules = []
    for module in getattr(program, 'modules', None) or []:
        modules.append({
                'name': module.name,
                'theory': module.hours_theory or 0,
                'practice': module.hours_practice or 0,
                'self': getattr(module, 'hours_self', 0) or 0,
                'hours': module.hours or 0,
                'assessment': _assessment(module),
                })
    document = None
    if getattr(program, 'document_kind', None) not in (None, 'none'):
        document = program.document_kind_label
    view.update({
            'description': text_html(program.description),
            'competencies': _lines(program.competencies),
            'requirements': text_html(program.requirements),
            'modules': modules,
            'modules_total': {k: sum(m[k] for m in modules)
                for k in ['theory', 'practice', 'self', 'hours']},
            'document': document,
            'qualification': getattr(program, 'qualification', None),
            'rank': getattr(program, 'rank', None),
            'specialty': program.specialty.rec_name
            if program.specialty else None,
            })
    return view


def _assessment(module):
    value = getattr(module, 'assessment', None)
    if not value:
        return ''
    labels = dict(module.fields_get(['assessment'])['assessment'][
            'selection'])
    return labels.get(value, '')


@portal_route('/programs', model='copp.program', public_cache=True)
def programs(portal):
    names = labels()
    date = catalogue.today()
    filters = catalogue.parse_filters(portal.request.args, names['kinds'],
        names['audiences'])
    ids, total, number = catalogue.find_page(filters,
        page_number(portal.request.args.get('page')), date)
    cohorts = catalogue.public_cohorts(ids, date)
    items = [program_card(p, cohorts.get(p['id'], []), names['kinds'],
            names['audiences']) for p in catalogue.program_rows(ids)]
    args = {k: v for k, v in filters.items() if v not in ('', None)}
    page = Page(items, number, PAGE_SIZE, total, args=args,
        path=portal.path)
    return portal.render('site/programs.html', page=page, items=items,
        filters=filters, kinds=names['kinds'],
        audiences=names['audiences'], formats=FORMAT_LABELS,
        durations=[(d[0], d[1]) for d in DURATIONS], fundings=FUNDINGS,
        colleges=catalogue.college_options(date),
        months=catalogue.month_options(date),
        has_cohorts=catalogue.model('copp.training.cohort') is not None,
        filtered=bool(args),
        query=urllib.parse.urlencode(args))


@portal_route('/programs/<int:program_id>', model='copp.program',
    public_cache=True)
def program_page(portal, program_id):
    Program = portal.pool.get('copp.program')
    programs = Program.search([('id', '=', program_id),
            ('state', '=', 'published')], limit=1)
    if not programs:
        portal.not_found()
    program, = programs
    names = labels()
    cohorts = catalogue.public_cohorts([program.id])
    view = program_page_view(program, cohorts.get(program.id, []),
        names['kinds'], names['audiences'])
    return portal.render('site/program.html', program=view,
        has_cohorts=catalogue.model('copp.training.cohort') is not None)
