"""The results pages of a survey (`/survey/results/<id>/<key>`, a signed
link shown in the back office): distributions with charts, filter by
segment, the answers as xlsx, and the staffing-demand report with its chart
and xlsx."""
import datetime as dt
import urllib.parse

from trytond.i18n import gettext
from trytond.protocols.wrappers import Response as HTTPResponse

from copp_portal.portal import portal_route

from .results import distributions, number_stats, texts
from .routes import SEGMENT_LABELS
from .tokens import results_valid


# Results ------------------------------------------------------------------

def _results_survey(portal, survey_id, key):
    Survey = portal.pool.get('copp.survey')
    surveys = Survey.search([('id', '=', survey_id)], limit=1)
    if not surveys or not results_valid(surveys[0], key):
        portal.forbidden(gettext('copp_survey.msg_results_link_invalid'))
    return surveys[0]


def bars(items, total):
    """The bars of a horizontal bar chart: [{label, count, percent, width}]
    (width in % of the longest bar)"""
    top = max([c for _, c in items] or [0])
    result = []
    for label, count in items:
        result.append({
                'label': label,
                'count': count,
                'percent': round(100.0 * count / total, 1) if total else 0,
                'width': round(100.0 * count / top, 2) if top else 0,
                })
    return result


def results_view(survey, segment=None):
    "What the results page shows, question by question"
    data = distributions(survey, segment)
    questions = data['questions']
    views = []
    for number, (section, question) in enumerate(
            [(s, q) for s, qs in survey.pages for q in qs], 1):
        stats = questions.get(question.id, {'answered': 0, 'counts': {},
                'values': {}, 'dates': {}})
        answered = stats['answered']
        view = {'q': question, 'number': number, 'answered': answered,
            'section': section, 'kind': question.kind}
        counts = stats['counts']
        if question.kind in {'single', 'multiple'}:
            view['bars'] = bars([(o.text, counts.get((o.id, None), 0))
                    for o in question.options], answered)
        elif question.kind == 'matrix':
            view['columns'] = [o.text for o in question.options]
            view['rows'] = []
            for row in question.rows:
                row_counts = [counts.get((o.id, row.id), 0)
                    for o in question.options]
                row_total = sum(row_counts)
                view['rows'].append({'label': row.text,
                        'total': row_total,
                        'cells': [{'count': c, 'percent': round(
                                        100.0 * c / row_total, 1)
                                    if row_total else 0}
                            for c in row_counts]})
        elif question.kind == 'scale':
            values = stats['values']
            view['bars'] = bars([(str(v), values.get(float(v), 0))
                    for v in range(1, 11)], answered)
            view['stats'] = number_stats(values)
        elif question.kind == 'number':
            view['stats'] = number_stats(stats['values'])
        elif question.kind == 'date':
            dates = stats['dates']
            months = {}
            for value, count in dates.items():
                if isinstance(value, str):
                    value = dt.date.fromisoformat(value)
                key = f'{value.month:02d}.{value.year}'
                months[key] = months.get(key, 0) + count
            view['bars'] = bars(sorted(months.items(), key=lambda i: (
                        i[0][3:], i[0][:2])), answered)
        elif question.kind == 'text':
            total, items = texts(survey, question, segment, limit=20)
            view['texts'] = items
            view['texts_total'] = total
        views.append(view)
    return data['responses'], views


@portal_route('/survey/results/<int:survey_id>/<key>', model='copp.survey')
def results_page(portal, survey_id, key):
    survey = _results_survey(portal, survey_id, key)
    segment = portal.request.args.get('segment')
    if segment not in SEGMENT_LABELS:
        segment = None
    responses, views = results_view(survey, segment)
    base = f'/survey/results/{survey.id}/{key}'
    return portal.render('surveys/results.html', survey=survey,
        responses=responses, questions=views, segment=segment,
        segments=list(SEGMENT_LABELS.items()), base=base,
        segment_label=SEGMENT_LABELS.get(segment),
        invited=survey.invitation_count,
        answered=survey.invitation_submitted, rate=survey.response_rate)


def attachment(name, ascii_name):
    "Content-Disposition of a download named in Russian (RFC 6266)"
    return (f"attachment; filename={ascii_name}; "
        f"filename*=UTF-8''{urllib.parse.quote(name)}")


@portal_route('/survey/results/<int:survey_id>/<key>/answers.xlsx',
    model='copp.survey')
def results_xlsx(portal, survey_id, key):
    from .export import answers_xlsx
    survey = _results_survey(portal, survey_id, key)
    segment = portal.request.args.get('segment')
    if segment not in SEGMENT_LABELS:
        segment = None
    data = answers_xlsx(survey, segment)
    response = HTTPResponse(data, content_type=(
            'application/vnd.openxmlformats-officedocument.spreadsheetml'
            '.sheet'))
    response.headers['Content-Disposition'] = attachment(
        gettext('copp_survey.msg_answers_filename', survey=survey.id),
        f'survey-{survey.id}-answers.xlsx')
    return response


@portal_route('/survey/results/<int:survey_id>/<key>/demand',
    model='copp.survey')
def results_demand(portal, survey_id, key):
    from .demand import report_rows, scale_factor
    pool = portal.pool
    Specialty = pool.get('copp.specialty')
    survey = _results_survey(portal, survey_id, key)
    if survey.kind != 'labor_market':
        portal.not_found()
    rows = report_rows(survey)
    specialties = {s.id: s for s in Specialty.browse(
            [r['specialty'] for r in rows])}
    for row in rows:
        row['name'] = specialties[row['specialty']].rec_name
    top = max([max(r['estimate_three'], r['supply_three'])
            for r in rows] or [0])
    factor, answered, invited = scale_factor(survey)
    return portal.render('surveys/demand.html', survey=survey, rows=rows,
        top=top, factor=factor, answered=answered, invited=invited,
        base=f'/survey/results/{survey.id}/{key}',
        year=survey.reference_year)


@portal_route('/survey/results/<int:survey_id>/<key>/demand.xlsx',
    model='copp.survey')
def results_demand_xlsx(portal, survey_id, key):
    from .demand import report_xlsx
    survey = _results_survey(portal, survey_id, key)
    if survey.kind != 'labor_market':
        portal.not_found()
    response = HTTPResponse(report_xlsx(survey), content_type=(
            'application/vnd.openxmlformats-officedocument.spreadsheetml'
            '.sheet'))
    response.headers['Content-Disposition'] = attachment(
        gettext('copp_survey.msg_demand_filename',
            year=survey.reference_year),
        f'demand-{survey.reference_year}.xlsx')
    return response
