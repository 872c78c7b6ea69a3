from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class AssignmentValidationError(ValidationError):
    pass


class SubmissionError(UserError):
    "A work that cannot be handed in (late, attempts, content)"


class SubmissionFileError(ValidationError):
    "A file refused by the assignment's limits"


class GradingError(UserError):
    pass
