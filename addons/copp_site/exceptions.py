from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class NewsValidationError(ValidationError):
    pass


class OpenDataError(UserError):
    pass
