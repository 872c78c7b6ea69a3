class CoppError(Exception):
    "An error the `copp` command reports in Russian, without a traceback"
