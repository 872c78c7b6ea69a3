from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class SurveyValidationError(ValidationError):
    pass


class SurveyError(UserError):
    pass
