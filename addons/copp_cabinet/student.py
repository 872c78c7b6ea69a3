"""The student's file shows the state of the student's cabinet account and
of each representative's; the clerk invites or sends the invitation again
(one student here, a group or a selection with the wizard invite.py)."""
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, In
from trytond.transaction import without_check_access

from .account import account_of_person, account_states

ACCOUNT_STATES = [
    ('none', "No Account"),
    ('invited', "Invited"),
    ('active', "Active"),
    ('locked', "Locked"),
    ]


class Student(metaclass=PoolMeta):
    __name__ = 'copp.student'

    cabinet_state = fields.Function(fields.Selection(ACCOUNT_STATES,
            "Cabinet Account",
            help="The student's account of the personal cabinet: none, "
            "invited (the link sent, no password yet), active, or locked "
            "(disabled, or logins delayed after failures)."),
        'get_cabinet_state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'cabinet_invite': {
                    'invisible': ~In(Eval('state'), ['applicant',
                            'studying', 'academic_leave']),
                    'depends': ['state'],
                    'icon': 'tryton-email',
                    },
                })

    @classmethod
    def get_cabinet_state(cls, students, name):
        return account_states(students)

    @classmethod
    @ModelView.button_action('copp_cabinet.wizard_invite')
    def cabinet_invite(cls, students):
        pass


class StudentRepresentative(metaclass=PoolMeta):
    __name__ = 'copp.student.representative'

    cabinet_state = fields.Function(fields.Selection(ACCOUNT_STATES,
            "Cabinet Account"), 'get_cabinet_state')

    @classmethod
    def get_cabinet_state(cls, representatives, name):
        pool = Pool()
        User = pool.get('web.user')
        result = {}
        with without_check_access():
            users = {r.id: account_of_person(r.party)
                for r in representatives}
            known = [u for u in users.values() if u]
            states = User.get_state(known, 'state') if known else {}
        for representative in representatives:
            user = users[representative.id]
            if user is None:
                result[representative.id] = 'none'
            elif states[user.id] == 'disabled':
                result[representative.id] = 'locked'
            elif states[user.id] in {'active', 'invited'}:
                result[representative.id] = states[user.id]
            else:
                result[representative.id] = 'none'
        return result

    @classmethod
    def delete(cls, representatives):
        "The former representative no longer reads the child"
        pool = Pool()
        User = pool.get('web.user')
        links = [(r.party, r.student.party) for r in representatives
            if r.party and r.student.party]
        super().delete(representatives)
        with without_check_access():
            for party, child in links:
                user = account_of_person(party)
                if user and child in user.secondary_parties:
                    User.write([user], {'secondary_parties': [
                                ('remove', [child.id])]})


def describe(outcomes):
    "The text of the result of an invitation for the clerk"
    lines = []
    for outcome in outcomes:
        lines.append(gettext(f'copp_cabinet.msg_outcome_{outcome.status}',
                name=outcome.name, email=outcome.email or '—',
                role=gettext(f'copp_cabinet.msg_role_{outcome.role}')))
    return '\n'.join(lines)

