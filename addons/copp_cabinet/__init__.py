from . import (  # noqa: F401
    account_routes, applications_routes, events_routes, records_routes,
    routes, signup_routes, surveys_routes)
