from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class PackageUnpackError(UserError):
    "A refused SCORM zip (limits, unsafe entries, manifest)"


class ScormValidationError(ValidationError):
    pass


class ScormCommitError(UserError):
    "Values posted by a player refused (the SCORM data model)"
