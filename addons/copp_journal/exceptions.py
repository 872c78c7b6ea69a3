from trytond.exceptions import UserError, UserWarning
from trytond.model.exceptions import AccessError, ValidationError


class JournalError(UserError):
    "A journal operation is not possible"


class JournalClosedError(JournalError):
    "The period or the grade sheet of a lesson is closed"


class JournalValidationError(ValidationError):
    pass


class JournalFutureWarning(UserWarning):
    "A mark or an absence on a lesson that has not taken place yet"


class SheetError(UserError):
    pass


class CurriculumImportError(UserError):
    "A row or a column of an imported curriculum is wrong"


class JournalAccessError(AccessError):
    pass
