"""Who signs in: the person (party.party) of an ЕСИА account.

1. an account already linked (by an earlier sign-in or by a clerk) signs in
   as its person;
2. else the СНИЛС (confirmed by ЕСИА) finds the person among the persons of
   the system (students, representatives, event participants…): one person
   with the same birth date and first name is linked; several persons, or a
   different birth date or first name, open a conflict for a clerk;
3. nobody has the СНИЛС: persons with the same name and birth date but no
   СНИЛС on file open a conflict too (they may be the same person); else a
   new person is created from ЕСИА's data.

Nothing is merged or overwritten silently: a linked person only gains what
it lacked (the СНИЛС, the birth date)."""
from trytond.pool import Pool

from copp.identifiers import snils as snils_number

SIGN_IN, CONFLICT, REFUSED = 'sign_in', 'conflict', 'refused'


def normalize(text):
    "A name compared without case, ё/е and extra spaces"
    return ' '.join((text or '').lower().replace('ё', 'е').split())


def same_name(party, identity, parts=('last_name', 'first_name')):
    return all(normalize(getattr(party, p)) == normalize(identity.get(p))
        for p in parts)


def resolve(identity):
    """(outcome, account, party, conflict) for the data ЕСИА gave (client.
    person): outcome SIGN_IN (party set), CONFLICT (a clerk must resolve it
    first) or REFUSED (a clerk refused the link)"""
    pool = Pool()
    Account = pool.get('copp.esia.account')
    Conflict = pool.get('copp.esia.conflict')
    account = Account.record(identity)
    if account.party:
        account.link_records(account.party)
        return SIGN_IN, account, account.party, None
    if Conflict.refused(account):
        return REFUSED, account, None, None
    reason, parties = find_person(identity)
    if reason:
        conflict = Conflict.open_for(account, reason, parties)
        return CONFLICT, account, None, conflict
    if parties:
        party, = parties
        complete_person(party, identity)
    else:
        party = create_person(identity)
    Account.link([account], party)
    account.link_records(party)
    return SIGN_IN, account, party, None


def find_person(identity):
    """(conflict reason or None, persons): ([], None) no person, ([p], None)
    the person, (reason, persons) a conflict"""
    Party = Pool().get('party.party')
    code = snils_number.format(snils_number.compact(identity['snils']))
    persons = Party.search([('snils', '=', code)], order=[('id', 'ASC')])
    if len(persons) > 1:
        return 'several', persons
    if persons:
        person, = persons
        birth_date = identity.get('birth_date')
        if person.birth_date and birth_date and (
                person.birth_date != birth_date):
            return 'birth_date', persons
        if not same_name(person, identity, ['first_name']):
            return 'name', persons
        return None, persons
    birth_date = identity.get('birth_date')
    if not birth_date:
        return None, []
    namesakes = [p for p in Party.search([
                ('birth_date', '=', birth_date),
                ], order=[('id', 'ASC')])
        if same_name(p, identity) and not p.snils and (
            not p.patronymic or not identity.get('patronymic')
            or same_name(p, identity, ['patronymic']))]
    if namesakes:
        return 'no_snils', namesakes
    return None, []


def complete_person(party, identity):
    "Give the person what ЕСИА confirmed and it lacks (never overwrite)"
    values = {}
    if not party.birth_date and identity.get('birth_date'):
        values['birth_date'] = identity['birth_date']
    if not party.gender and identity.get('gender'):
        values['gender'] = identity['gender']
    if values:
        party.__class__.write([party], values)


def create_person(identity):
    "A new person from ЕСИА's data"
    pool = Pool()
    Party = pool.get('party.party')
    values = {
        'last_name': identity['last_name'],
        'first_name': identity['first_name'],
        'patronymic': identity.get('patronymic'),
        'birth_date': identity.get('birth_date'),
        'gender': identity.get('gender'),
        }
    if identity.get('email'):
        values['contact_mechanisms'] = [('create', [{
                        'type': 'email', 'value': identity['email']}])]
    party, = Party.create([values])
    Party.write([party], {'snils': snils_number.format(
                snils_number.compact(identity['snils']))})
    return party
