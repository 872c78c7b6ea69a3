"""Public pages of copp_training: the verification page of a document
reached by the QR code printed on it (`/verify/<key>`). The key is random
(144 bits) and given when the document is issued: the page shows only
whether the document is valid, its kind, numbers, date, the organization
and the holder's initials — no personal data. Partner pages:
partner_routes.py."""
from copp_portal.portal import portal_route

from . import partner_routes  # noqa: F401

KEY_MAX = 64


@portal_route('/verify/<key>', model='copp.training.document')
def verify(portal, key):
    Document = portal.pool.get('copp.training.document')
    from .document import verification
    if not key or len(key) > KEY_MAX:
        portal.not_found()
    documents = Document.search([
            ('verify_key', '=', key),
            ('state', 'in', ['issued', 'cancelled']),
            ], limit=1)
    if not documents:
        portal.not_found()
    response = portal.render('training/verify.html',
        info=verification(documents[0]))
    response.headers['Cache-Control'] = 'no-store'
    response.headers['X-Robots-Tag'] = 'noindex'
    return response
