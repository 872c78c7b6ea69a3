# The public events pages, the tickets and the check-in page register their
# routes on trytond.wsgi.app when imported.
from . import checkin_routes, duplicates, routes, ticket_routes  # noqa: F401
