from trytond.exceptions import UserError, UserWarning
from trytond.model.exceptions import ValidationError


class ContingentValidationError(ValidationError):
    pass


class OrderError(UserError):
    "An order cannot be signed, cancelled or changed"


class OrderWarning(UserWarning):
    pass


class StudentChangeError(UserError):
    "A student's state or group was changed outside an order"


class ImportFileError(UserError):
    "A file to import has errors; nothing was imported"
