from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class QuestionValidationError(ValidationError):
    pass


class QuestionImportError(UserError):
    pass
