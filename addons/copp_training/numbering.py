"""Registers of a training provider (the ЦОПП or a college): the numbers
of the cohorts' orders per calendar year («12-по») and the book of
documents on qualification and training issued per calendar year
(«Д-2026-0001»): strict sequences made on first use, taken without gaps
(copp_contingent's `RegisterMixin`)."""
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool

from copp_contingent.numbering import RegisterMixin

KINDS = [
    ('order', "Orders"),
    ('document', "Documents"),
    ]


class Numbering(RegisterMixin, ModelSQL, ModelView):
    "Training Register"
    __name__ = 'copp.training.numbering'
    __string__ = "Training Register"
    _unique_message = 'copp_training.msg_numbering_unique'

    company = fields.Many2One('company.company', "Organization",
        required=True, ondelete='CASCADE', readonly=True)
    kind = fields.Selection(KINDS, "Kind", required=True, readonly=True)
    year = fields.Integer("Year", required=True, readonly=True)

    @classmethod
    def _sequence_values(cls, kind, year, organization):
        ModelData = Pool().get('ir.model.data')
        if kind == 'order':
            return {
                'name': gettext('copp_training.msg_numbering_orders',
                    organization=organization, year=year),
                'sequence_type': ModelData.get_id(
                    'copp_training', 'sequence_type_order'),
                'suffix': '-по', 'padding': 0,
                }
        return {
            'name': gettext('copp_training.msg_numbering_documents',
                organization=organization, year=year),
            'sequence_type': ModelData.get_id(
                'copp_training', 'sequence_type_document'),
            'prefix': f'Д-{year}-', 'padding': 4,
            }

    @classmethod
    def take(cls, company, kind, date, count=1):
        "`count` numbers of the register of the year of `date`, no gaps"
        return cls._take(cls._sequence(company, kind, date.year), count,
            date)
