from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class TrainingValidationError(ValidationError):
    pass


class TrainingError(UserError):
    pass


class ApplicationError(UserError):
    pass


class ApplicationValidationError(ValidationError):
    pass


class QuotaError(UserError):
    pass


class ScanError(ValidationError):
    pass


class OrderError(UserError):
    pass


class DocumentError(UserError):
    pass


class FrdoError(UserError):
    pass
