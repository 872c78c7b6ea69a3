"""The payer of a contract: the student, a legal representative (made a
person, party.party, on signing) or an organization with INN/KPP."""
from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool
from trytond.transaction import without_check_access

from .exceptions import ContractValidationError

PAYER_KINDS = [
    ('student', "Student"),
    ('representative', "Legal Representative"),
    ('organization', "Organization"),
    ]


class ContractPayer:
    "Who pays a contract (copp.contract)"
    __slots__ = ()

    @fields.depends('student', 'payer_kind', 'payer', 'specialty',
        'subject', 'representative')
    def on_change_student(self):
        if self.student:
            if self.payer_kind == 'student':
                self.payer = self.student.party
            if self.subject == 'specialty' and not self.specialty:
                self.specialty = self.student.specialty
        if (self.representative
                and self.representative.student != self.student):
            self.representative = None

    @fields.depends('payer_kind', 'representative',
        methods=['on_change_student'])
    def on_change_payer_kind(self):
        if self.payer_kind == 'student':
            self.on_change_student()
        elif self.payer_kind == 'representative':
            self.payer = None
        else:
            self.representative = None

    @fields.depends('representative', 'payer_kind')
    def on_change_representative(self):
        if self.payer_kind == 'representative' and self.representative:
            self.payer = self._representative_party(create=False)

    def _representative_party(self, create=True):
        "The person (party) of the legal representative, made on demand"
        pool = Pool()
        Party = pool.get('party.party')
        representative = self.representative
        if not representative:
            return None
        with without_check_access():
            parties = Party.search([('name', '=', representative.name)],
                order=[('id', 'ASC')])
            # A party with the same name that already pays this student.
            if parties:
                paying = self.search([
                        ('student', '=', self.student.id),
                        ('payer', 'in', [p.id for p in parties]),
                        ], limit=1)
                if paying:
                    return paying[0].payer
            if not create:
                return None
            party, = Party.create([{'name': representative.name}])
        return party

    def _signing_payer(self):
        """The payer fixed on signing: the student's person, the legal
        representative's person (made on demand) or the organization"""
        payer = self.payer
        if self.payer_kind == 'student':
            payer = self.student.party
        elif self.payer_kind == 'representative':
            if not self.representative:
                raise ContractValidationError(gettext(
                        'copp_contract.msg_contract_representative',
                        contract=self.rec_name))
            if not payer:
                payer = self._representative_party()
        elif not payer:
            raise ContractValidationError(gettext(
                    'copp_contract.msg_contract_payer',
                    contract=self.rec_name))
        return payer
