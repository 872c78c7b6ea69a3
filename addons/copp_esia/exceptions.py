from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class EsiaConflictError(UserError):
    pass


class EsiaValidationError(ValidationError):
    pass
