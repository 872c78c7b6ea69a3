"""Persons held by the contracts (copp/party_access.py): a payer by the
college of the contract."""
from trytond.pool import Pool, PoolMeta


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    @classmethod
    def _person_holders(cls):
        pool = Pool()
        Contract = pool.get('copp.contract')
        contract = Contract.__table__()
        return super()._person_holders() + [
            (contract, contract.payer, contract.company, None),
            ]
