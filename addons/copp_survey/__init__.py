# The survey pages of the portal and of the partner portal register their
# routes on trytond.wsgi.app when imported.
from . import routes  # noqa: F401
