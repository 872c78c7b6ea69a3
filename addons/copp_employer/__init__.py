# The partner portal and the public vacancies register their routes on
# trytond.wsgi.app when imported.
from . import (  # noqa: F401
    partner_orders, partner_routes, partner_vacancies, public_routes)
