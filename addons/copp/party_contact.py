"""A person's addresses and contact mechanisms are personal data: their reads
and searches on behalf of a user are logged (copp.personal_data.log), not
those of organizations. They follow the record rule of their party
(__access__ of the party module)."""
from trytond.pool import PoolMeta

from .party_access import person_subrecords
from .personal_data import PersonalDataMixin

ADDRESS_FIELDS = {'rec_name', 'full_address', 'party_name', 'attn',
    'street', 'street_unstructured', 'street_name', 'street_single_line',
    'building_name', 'building_number', 'unit_number', 'floor_number',
    'room_number', 'post_box', 'private_bag', 'post_office', 'postal_code',
    'city', 'name'}
CONTACT_FIELDS = {'rec_name', 'value', 'value_compact', 'name', 'comment',
    'email', 'website', 'skype', 'sip', 'other_value', 'url'}


class Address(PersonalDataMixin, metaclass=PoolMeta):
    __name__ = 'party.address'
    _personal_data_fields = ADDRESS_FIELDS

    @classmethod
    def _personal_data_ids(cls, ids):
        return person_subrecords(cls, ids)


class ContactMechanism(PersonalDataMixin, metaclass=PoolMeta):
    __name__ = 'party.contact_mechanism'
    _personal_data_fields = CONTACT_FIELDS

    @classmethod
    def _personal_data_ids(cls, ids):
        return person_subrecords(cls, ids)
