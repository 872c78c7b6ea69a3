from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class GraduationValidationError(ValidationError):
    pass


class DocumentError(UserError):
    "A document on education cannot be issued, cancelled or changed"


class BlankError(UserError):
    "A blank of strict accountability cannot be used"


class AttestationError(UserError):
    "The final state attestation cannot be changed"


class FrdoError(UserError):
    "Nothing can be sent to ФИС ФРДО"
