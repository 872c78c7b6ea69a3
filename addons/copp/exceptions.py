from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class InvalidSpecialtyCode(ValidationError):
    pass


class InvalidDates(ValidationError):
    pass


class InvalidProgram(ValidationError):
    pass


class CoppUserError(UserError):
    pass


class SecurityEventModificationError(UserError):
    pass


class PasswordPolicyError(UserError):
    pass


class SecondFactorError(UserError):
    pass


class HistoryError(UserError):
    "A version cannot be restored"
