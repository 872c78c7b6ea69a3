from . import routes  # noqa: F401  the SOAP service of 1C
