# The public events pages and the check-in page register their routes on
# trytond.wsgi.app when imported.
from . import routes  # noqa: F401
