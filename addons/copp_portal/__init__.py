# The routes register themselves on trytond.wsgi.app when imported.
from . import routes  # noqa: F401
