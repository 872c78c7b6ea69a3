from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class EventValidationError(ValidationError):
    pass


class RegistrationValidationError(ValidationError):
    pass


class EventError(UserError):
    pass
