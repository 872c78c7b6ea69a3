# The partner portal and the public vacancies register their routes on
# trytond.wsgi.app when imported.
from . import partner_routes, public_routes  # noqa: F401
