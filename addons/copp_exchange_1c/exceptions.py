from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class ExchangeValidationError(ValidationError):
    pass


class ExchangeUserError(UserError):
    pass


class ExchangeError(Exception):
    """An incoming message refused: the translated error is recorded in the
    journal, nothing of the message is applied"""
