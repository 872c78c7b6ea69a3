from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class ExchangeValidationError(ValidationError):
    pass


class ExchangeUserError(UserError):
    pass
