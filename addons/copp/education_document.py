"""What the documents on education share, whatever their level (the СПО
diplomas and certificates of copp_graduation, the ДПО and ПО documents of
copp_training): an original or a duplicate, drafted, issued under a
registration number of the organization's book and perhaps cancelled;
found by its registration number, number or holder's last name; only a
draft may be deleted; a copy starts again as a draft."""
from trytond.i18n import gettext
from trytond.model import fields
from trytond.pyson import Eval

from copp.workflow import state_button

STATUSES = [
    ('original', "Original"),
    ('duplicate', "Duplicate"),
    ]
STATES = [
    ('draft', "Draft"),
    ('issued', "Issued"),
    ('cancelled', "Cancelled"),
    ]


class EducationDocumentMixin:
    """The status and state of a document on education, issued by the
    button `issue` (the model's method). The model names
    the fields a copy starts without (`_copy_reset`), the message that an
    issued document cannot be deleted (`_delete_message`, with the
    document) and its exception (`_error`)"""
    __slots__ = ()
    _copy_reset = ()
    _delete_message = None
    _error = None

    status = fields.Selection(STATUSES, "Status", required=True,
        states={'readonly': Eval('state') != 'draft'})
    state = fields.Selection(STATES, "State", required=True, readonly=True,
        sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._transitions |= {('draft', 'issued'), ('issued', 'cancelled')}
        cls._buttons.update({
                'issue': state_button('tryton-ok', shown_in=['draft']),
                })

    @classmethod
    def default_status(cls):
        return 'original'

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('registration_number', operator, operand, *extra),
            ('number', operator, operand, *extra),
            ('last_name', operator, operand, *extra),
            ]

    @classmethod
    def check_modification(cls, mode, documents, values=None,
            external=False):
        super().check_modification(
            mode, documents, values=values, external=external)
        if mode == 'delete':
            for document in documents:
                if document.state != 'draft':
                    raise cls._error(gettext(cls._delete_message,
                            document=document.rec_name))

    @classmethod
    def copy(cls, documents, default=None):
        default = default.copy() if default else {}
        for name in cls._copy_reset:
            default.setdefault(name, None)
        default.setdefault('state', 'draft')
        return super().copy(documents, default=default)
