"""Run with the code BEFORE the move of portal accounts to web.user
(copp.portal.user, copp.portal.event): makes accounts with some history —
failed logins that lock an account, a session, a changed password, a
pending invitation — and prints what the migrated database must still have
(JSON).

    PYTHONPATH=<old addons> python old_portal_activity.py <database> <out.json>
"""
import datetime as dt
import json
import sys

from trytond.pool import Pool
from trytond.transaction import Transaction

FIRST, SECOND = 'Migracija-2026-pervyj', 'Migracija-2026-vtoroj'
THROTTLED_FROM = '10.9.9.9'


def main(database, out):
    Pool(database).init()
    facts = {}
    with Transaction().start(database, 0, context={'language': 'ru'}):
        pool = Pool()
        Party = pool.get('party.party')
        User = pool.get('copp.portal.user')
        Session = pool.get('copp.portal.session')
        Token = pool.get('copp.portal.token')
        org_a, org_b = Party.create([{'name': "ООО «Миграция А»"},
                {'name': "ООО «Миграция Б»"}])
        anna, boris, cora = User.create([
                {'name': "Анна Миграционная", 'email': 'anna@mig.example',
                    'organization': org_a.id},
                {'name': "Борис Миграционный", 'email': 'boris@mig.example',
                    'organization': org_b.id, 'position': "Кадровик",
                    'phone': '+7 900 111-22-33'},
                {'name': "Кора Приглашённая", 'email': 'cora@mig.example',
                    'organization': org_b.id},
                ])
        for user in [anna, boris]:
            user.set_password(FIRST)
            user.email_valid = True
            user.consent_date = dt.datetime(2025, 9, 1, 10, 0)
            user.save()
        boris.set_password(SECOND)
        # Six wrong passwords of anna from one address: the old code locks
        # her account (locked_until); the log keeps the failures, from
        # which the new code makes a login from that address wait.
        reasons = [User.authenticate('anna@mig.example', f'wrong-{attempt}',
                ip_address=THROTTLED_FROM)[1] for attempt in range(6)]
        assert reasons[-1] == 'locked', reasons
        facts['locked_until'] = User(anna.id).locked_until.isoformat()
        _, session_key = Session.open(anna, '10.1.1.1', 'Migration test')
        Event = pool.get('copp.portal.event')
        last, = Event.search([('kind', '=', 'login_failed'),
                ('email', '=', 'anna@mig.example')],
            order=[('date', 'DESC'), ('id', 'DESC')], limit=1)
        facts['wait_moment'] = last.date.isoformat()
        invitation_key = cora.send_invitation()
        users = User.search([('active', 'in', [True, False])],
            order=[('id', 'ASC')])
        facts['accounts'] = [{
                'id': u.id, 'email': u.email, 'name': u.name,
                'organization': u.organization.id if u.organization else None,
                'party': u.party.id if u.party else None,
                'password_hash': u.password_hash,
                'email_valid': bool(u.email_valid), 'active': u.active,
                'consent': bool(u.consent_date),
                } for u in users]
        events = Event.search([], order=[('id', 'ASC')])
        facts['events'] = [[e.id, e.kind, e.user.id if e.user else None,
                e.email] for e in events]
        facts['ids'] = {'anna': anna.id, 'boris': boris.id, 'cora': cora.id}
        facts['session_key'] = session_key
        facts['invitation_key'] = invitation_key
        facts['passwords'] = {'first': FIRST, 'second': SECOND}
        facts['throttled_from'] = THROTTLED_FROM
        facts['tokens'] = len(Token.search([]))
        Transaction().tasks.clear()
    with open(out, 'w', encoding='utf-8') as fp:
        json.dump(facts, fp, ensure_ascii=False, indent=1)


if __name__ == '__main__':
    main(*sys.argv[1:3])
