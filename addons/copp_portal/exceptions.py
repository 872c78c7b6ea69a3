from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError


class PortalPasswordError(UserError):
    pass


class PortalUserValidationError(ValidationError):
    pass


class PortalEventModificationError(AccessError):
    pass


class PortalInvitationError(UserError):
    pass


class PortalConsentError(UserError):
    pass


class PortalAccountError(UserError):
    pass
