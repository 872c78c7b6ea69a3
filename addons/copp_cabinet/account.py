"""The college invites its students and their legal representatives to the
cabinet: a portal account (web.user) for the student's person, to the
e-mail on the student's file; for a representative, an account of the
representative's person with the child's person as a secondary party (a
parent of two children has one account with both).

Nothing is merged silently: an e-mail already used by the account of
another person is not taken over; the clerk sees it in the result
(«адрес занят другой учётной записью») and resolves it.

`invite_student(student, representatives=True)` returns a list of
`Outcome` (who, status, detail); statuses: 'invited' (a new account or a
new link), 'resent' (the account exists without a password: a new link),
'linked' (an active account got this child), 'active' (nothing to do),
'no_email', 'email_taken'."""
from collections import namedtuple

from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.transaction import without_check_access

from copp_portal.user import normalize_email, valid_email

Outcome = namedtuple('Outcome', ['name', 'role', 'status', 'email'])
STATUSES = ['invited', 'resent', 'linked', 'active', 'no_email',
    'email_taken']


def _same_name(a, b):
    def norm(text):
        return ' '.join((text or '').lower().replace('ё', 'е').split())
    return norm(a) == norm(b)


def _accounts_by(domain):
    User = Pool().get('web.user')
    return User.search(domain, order=[('id', 'ASC')])


def _send(user, student, role):
    "An invitation to the cabinet (the link sets the password)"
    user.send_invitation(template='cabinet_invitation',
        subject=gettext('copp_cabinet.msg_email_invitation_subject'),
        student=student, role=role, college=student.company.rec_name)


def account_of_person(party):
    "The active account of a person, if any"
    if not party:
        return None
    users = _accounts_by([('party', '=', party.id)])
    return users[0] if users else None


def invite_student(student, representatives=True, resend=True):
    "Invite the student (and the representatives): a list of Outcome"
    outcomes = []
    with without_check_access():
        outcomes.append(_invite_person(student, student.party,
                student.email, student.rec_name, 'student', None, resend))
        if representatives:
            for representative in student.representatives:
                outcomes.append(invite_representative(representative,
                        resend=resend))
    return outcomes


def invite_representative(representative, resend=True):
    pool = Pool()
    Party = pool.get('party.party')
    Representative = pool.get('copp.student.representative')
    student = representative.student
    email = normalize_email(representative.email)
    with without_check_access():
        if not representative.party:
            if not valid_email(email):
                return Outcome(representative.name, 'representative',
                    'no_email', representative.email)
            # The person of an account with this e-mail and this name is
            # the representative (a parent of two children); otherwise a
            # new person.
            party = None
            for user in _accounts_by([('email', '=', email)]):
                if user.party and _same_name(user.party.name,
                        representative.name):
                    party = user.party
            if party is None:
                party, = Party.create([{'name': representative.name,
                            'contact_mechanisms': [('create', [
                                        {'type': 'email', 'value': email}])],
                            }])
            Representative.write([representative], {'party': party.id})
        return _invite_person(student, representative.party, email,
            representative.name, 'representative', student.party, resend)


def _invite_person(student, party, email, name, role, child, resend):
    pool = Pool()
    User = pool.get('web.user')
    email = normalize_email(email)
    user = account_of_person(party)
    if user is None:
        if not valid_email(email):
            return Outcome(name, role, 'no_email', email or '')
        taken = _accounts_by([('email', '=', email)])
        if taken:
            taken, = taken
            if taken.party and taken.party != party:
                return Outcome(name, role, 'email_taken', email)
            User.write([taken], {'party': party.id})
            user = taken
        else:
            user, = User.create([{'email': email, 'name': name,
                        'party': party.id}])
            if child:
                User.write([user], {'secondary_parties': [
                            ('add', [child.id])]})
            _send(user, student, role)
            return Outcome(name, role, 'invited', email)
    linked = False
    if child and child not in user.secondary_parties:
        User.write([user], {'secondary_parties': [('add', [child.id])]})
        linked = True
    if user.has_password:
        if linked:
            return Outcome(name, role, 'linked', user.email)
        return Outcome(name, role, 'active', user.email)
    if not resend and not linked:
        return Outcome(name, role, 'active', user.email)
    _send(user, student, role)
    return Outcome(name, role, 'resent' if not linked else 'invited',
        user.email)


def account_states(students):
    """{student id: 'none' | 'invited' | 'active' | 'locked'}: the state of
    the account of each student's person, set-based"""
    pool = Pool()
    User = pool.get('web.user')
    Configuration = pool.get('copp.portal.configuration')
    parties = {s.id: s.party.id for s in students if s.party}
    with without_check_access():
        users = User.search([('party', 'in', list(set(parties.values()))),
                ('active', 'in', [True, False])],
            order=[('active', 'ASC'), ('id', 'ASC')])
        by_party = {u.party.id: u for u in users}
        states = User.get_state(users, 'state') if users else {}
        failed = User.get_failed_logins(users, 'failed_logins') if users \
            else {}
    limit = Configuration.settings().max_failed_logins
    result = {}
    for student in students:
        user = by_party.get(parties.get(student.id))
        if user is None:
            result[student.id] = 'none'
            continue
        state = states[user.id]
        if state == 'disabled' or failed.get(user.id, 0) >= limit:
            result[student.id] = 'locked'
        elif state == 'active':
            result[student.id] = 'active'
        elif state == 'invited':
            result[student.id] = 'invited'
        else:
            result[student.id] = 'none'
    return result
