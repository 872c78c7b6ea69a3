"""With copp_event: a citizen signing in through ЕСИА finds the event
registrations made with their confirmed e-mail and name (the registration
gets the person; nothing else changes), and a conflict says where the
persons found are registered."""
from sql.functions import Lower

from trytond.i18n import gettext
from trytond.pool import Pool, PoolMeta

from .linking import same_name


class Account(metaclass=PoolMeta):
    __name__ = 'copp.esia.account'

    def link_records(self, party):
        super().link_records(party)
        pool = Pool()
        Registration = pool.get('copp.event.registration')
        if not self.email:
            return
        table = Registration.__table__()
        query = table.select(table.id,
            where=(table.party == None)  # noqa: E711
            & (Lower(table.email) == self.email.lower()))
        registrations = [r for r in Registration.search([
                    ('id', 'in', query)])
            if same_name(r, {'last_name': self.last_name,
                    'first_name': self.first_name})
            and (not r.birth_date or not self.birth_date
                or r.birth_date == self.birth_date)]
        if registrations:
            Registration.write(registrations, {'party': party.id})


class Candidate(metaclass=PoolMeta):
    __name__ = 'copp.esia.conflict.candidate'

    @classmethod
    def _describe_parts(cls, party):
        pool = Pool()
        Registration = pool.get('copp.event.registration')
        parts = super()._describe_parts(party)
        registrations = Registration.search([('party', '=', party.id)],
            order=[('id', 'DESC')], limit=3)
        for registration in registrations:
            parts.append(gettext('copp_esia.msg_candidate_registration',
                    event=registration.event.name))
        return parts
