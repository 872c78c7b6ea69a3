"""Run with the current code on a database migrated from copp.portal.user
(see old_portal_activity.py): checks that every account, password hash,
login delay, session, link and security-log row survived; prints
«OK <n> accounts» or raises.

    python check_web_user.py <database> <facts.json>
"""
import datetime as dt
import json
import sys

from trytond import backend
from trytond.pool import Pool
from trytond.transaction import Transaction


def main(database, facts_path):
    with open(facts_path, encoding='utf-8') as fp:
        facts = json.load(fp)
    Pool(database).init()
    with Transaction().start(database, 0, context={'language': 'ru'}):
        pool = Pool()
        User = pool.get('web.user')
        Session = pool.get('web.user.session')
        Token = pool.get('copp.portal.token')
        Event = pool.get('copp.security.event')
        Consent = pool.get('copp.portal.consent')
        assert not backend.TableHandler.table_exist('copp_portal_user')
        assert not backend.TableHandler.table_exist('copp_portal_session')
        # Every account, with the same id, e-mail, hash, organization
        for old in facts['accounts']:
            user, = User.search([('id', '=', old['id']),
                    ('active', 'in', [True, False])])
            assert user.email == old['email'], (user.email, old)
            assert user.name == old['name'], (user.name, old)
            assert user.password_hash == old['password_hash'], old['email']
            assert user.active == old['active'], old['email']
            assert bool(user.email_valid) == old['email_valid'], old
            assert (user.organization.id if user.organization else None
                ) == old['organization'], old
            assert (user.party.id if user.party else None) == old['party']
            if old['consent']:
                assert Consent.active_for(user, 'partner_account'), old
        ids = facts['ids']
        passwords = facts['passwords']
        # The same password still logs in (the changed one: the new one)
        user, reason = User.portal_authenticate('boris@mig.example',
            passwords['second'], ip_address='10.2.2.2')
        assert user and user.id == ids['boris'], reason
        user, reason = User.portal_authenticate('boris@mig.example',
            passwords['first'], ip_address='10.2.2.2')
        assert user is None and reason == 'invalid', reason
        # The account locked by failed logins: from the address of the
        # failures a login waits (the new policy: a delay per e-mail and
        # address instead of a lock of the account); from elsewhere not
        moment = dt.datetime.fromisoformat(facts['wait_moment'])
        assert dt.datetime.fromisoformat(facts['locked_until']) > moment
        assert User.login_wait('anna@mig.example', facts['throttled_from'],
            moment) > 0
        assert User.login_wait('anna@mig.example', '10.3.3.3', moment) == 0
        # The security log: every row, in order, with its account (the
        # rows of copp.portal.event join the shared log: new ids)
        events = Event.search([('channel', '=', 'portal')],
            order=[('id', 'ASC')])
        # (the logins of boris above come after them)
        migrated = [[e.kind, e.portal_user.id if e.portal_user else None,
                e.login] for e in events][:len(facts['events'])]
        assert migrated == [row[1:] for row in facts['events']], migrated
        # The session of anna and the invitation of cora still work
        session = Session.lookup(facts['session_key'])
        assert session and session.user.id == ids['anna'], session
        token, reason = Token.check(facts['invitation_key'], 'invitation')
        assert token and token.user.id == ids['cora'], reason
        assert User(ids['cora']).state == 'invited'
        # The invitation sent to cora is in the log with her account (the
        # code of before had no e-mail outbox to check)
        invited = Event.search([('kind', '=', 'invitation_sent'),
                ('portal_user', '=', ids['cora'])])
        assert invited, facts['events']
        # New accounts get ids after the migrated ones
        new, = User.create([{'name': "Новый", 'email': 'new@mig.example'}])
        assert new.id > max(a['id'] for a in facts['accounts'])
        Transaction().rollback()
    print(f"OK {len(facts['accounts'])} accounts, "
        f"{len(facts['events'])} events")


if __name__ == '__main__':
    main(*sys.argv[1:3])
