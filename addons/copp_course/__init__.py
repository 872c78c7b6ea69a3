# The learner's pages of the cabinet register their routes on
# trytond.wsgi.app when imported.
from . import routes  # noqa: F401
