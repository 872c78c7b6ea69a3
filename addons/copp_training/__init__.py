from . import apply_routes, routes  # noqa: F401
