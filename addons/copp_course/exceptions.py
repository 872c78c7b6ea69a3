from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class CourseError(UserError):
    pass


class CourseValidationError(ValidationError):
    pass


class CourseJournalError(UserError):
    "The course grade could not be written to the journal"
