"""News of the public site: /news (published news, newest first, by
pages), /news/<id> and its picture /news/<id>/image. An unpublished or
future-dated item is a 404 on every route (its picture too)."""
from trytond.protocols.wrappers import Response

from copp_portal.portal import portal_route, register_menu

from .news import image_type
from .sanitize import body_html, plain_text

register_menu('public', '/news', 'copp_site.msg_nav_news', sequence=40)

PAGE_SIZE = 10


def news_view(item, full=False):
    view = {
        'id': item.id,
        'title': item.title,
        'date': item.date,
        'summary': item.summary or plain_text(item.body, limit=300),
        'has_image': bool(item.image_id or item.image),
        'image_alt': item.image_alt or '',
        'provider': item.company.party.name,
        }
    if full:
        view['body'] = body_html(item.body)
    return view


def _public_news(portal, news_id):
    News = portal.pool.get('copp.news')
    items = News.search([('id', '=', news_id)] + News.public_domain(),
        limit=1)
    if not items:
        portal.not_found()
    return items[0]


@portal_route('/news', model='copp.news', public_cache=True)
def news_list(portal):
    News = portal.pool.get('copp.news')
    page = portal.paginate('copp.news', News.public_domain(),
        order=[('date', 'DESC'), ('id', 'DESC')], size=PAGE_SIZE,
        args={'page': portal.request.args.get('page')})
    return portal.render('site/news_list.html', page=page,
        items=[news_view(n) for n in page.items])


@portal_route('/news/<int:news_id>', model='copp.news', public_cache=True)
def news_page(portal, news_id):
    item = _public_news(portal, news_id)
    return portal.render('site/news.html', item=news_view(item, full=True))


@portal_route('/news/<int:news_id>/image', model='copp.news')
def news_image(portal, news_id):
    item = _public_news(portal, news_id)
    data = item.image
    mime = image_type(data)
    if not mime:
        portal.not_found()
    response = Response(bytes(data), content_type=mime)
    response.headers['Cache-Control'] = 'public, max-age=600'
    response.headers['Content-Security-Policy'] = (
        "default-src 'none'; frame-ancestors 'none'")
    return response
