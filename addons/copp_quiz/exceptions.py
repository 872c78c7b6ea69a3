from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class QuizValidationError(ValidationError):
    pass


class QuizError(UserError):
    "A quiz cannot be attempted (closed, attempts used up, no questions)"
    pass
