# The survey pages of the portal, of the partner portal and the results pages
# register their routes on trytond.wsgi.app when imported.
from . import partner_routes, results_routes, routes  # noqa: F401
