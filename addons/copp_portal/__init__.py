# The routes register themselves on trytond.wsgi.app when imported.
from . import middleware, routes  # noqa: F401
