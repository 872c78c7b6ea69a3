from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class ContractValidationError(ValidationError):
    pass


class ContractError(UserError):
    pass


class PaymentValidationError(ValidationError):
    pass
