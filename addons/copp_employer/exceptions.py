from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError


class EmployerValidationError(ValidationError):
    pass


class AgreementValidationError(ValidationError):
    pass


class PracticePlaceValidationError(ValidationError):
    pass


class VacancyValidationError(ValidationError):
    pass


class TrainingOrderValidationError(ValidationError):
    pass


class TrainingOrderError(UserError):
    pass


class StageLogModificationError(AccessError):
    pass


class EmployerNotFound(UserError):
    pass
