# The player's pages (/cabinet/scorm/…) register their routes on
# trytond.wsgi.app when imported.
from . import routes  # noqa: F401
