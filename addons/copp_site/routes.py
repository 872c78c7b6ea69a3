"""The public site's home page (/portal/): what the ЦОПП offers (the kinds
of programmes with their numbers), the nearest cohorts open for
applications, the nearest events and the latest news.

sao (the back office) keeps the server's root «/»: the public home is
/portal/, the first entry of the public menu, so every portal page's brand
link leads to it (Portal.home_url). A public host name may send «/» to
/portal/ in its reverse proxy (see README.md)."""
import datetime as dt

from copp_portal.portal import portal_route, register_menu

from . import catalogue, catalogue_routes, news_routes  # noqa: F401
from . import opendata_routes  # noqa: F401
from .news_routes import news_view

register_menu('public', '/portal/', 'copp_site.msg_nav_home', sequence=1)

HOME_COHORTS = 6
HOME_EVENTS = 3
HOME_NEWS = 3
# The order of the kinds on the home page (their texts: site/home.html)
KIND_ORDER = ['advanced', 'retraining', 'vocational', 'short_school',
    'short_adult', 'career_guidance']


def upcoming_events(pool, limit):
    "The nearest published events (copp_event), as its list shows them"
    if catalogue.model('copp.event') is None:
        return []
    from copp_event.routes import event_view
    Event = pool.get('copp.event')
    now = dt.datetime.now()
    events = Event.search([
            ('state', '=', 'published'),
            ('end', '>=', now),
            ], order=[('begin', 'ASC'), ('id', 'ASC')], limit=limit)
    return [event_view(e, now) for e in events]


@portal_route('/portal/', model='copp.program', public_cache=True)
def home(portal):
    pool = portal.pool
    News = pool.get('copp.news')
    kinds = catalogue.selection_labels('copp.program', 'kind')
    counts = catalogue.kind_counts()
    offers = [{
            'code': code,
            'label': kinds.get(code, code),
            'count': counts.get(code, 0),
            } for code in KIND_ORDER
        if counts.get(code) and code in kinds]
    date = catalogue.today()
    cohorts = [c for cs in catalogue.public_cohorts(None, date,
            limit=HOME_COHORTS).values() for c in cs]
    cohorts.sort(key=lambda c: (c['start'], c['id']))
    news = News.search(News.public_domain(date),
        order=[('date', 'DESC'), ('id', 'DESC')], limit=HOME_NEWS)
    return portal.render('site/home.html', offers=offers,
        total=sum(counts.values()), cohorts=cohorts,
        has_cohorts=catalogue.model('copp.training.cohort') is not None,
        events=upcoming_events(pool, HOME_EVENTS),
        has_events=catalogue.model('copp.event') is not None,
        has_vacancies=catalogue.model('copp.vacancy') is not None,
        news=[news_view(n) for n in news])
