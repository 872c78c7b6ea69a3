"""Staff accounts (ФСТЭК 21: ИАФ, УПД): password policy and history, the
current password to change one's own, idle and maximum session age on every
call, throttled logins that lock nobody else out, the TOTP second factor with
recovery codes, and the append-only security log — through JSON-RPC of
trytond's dispatcher, and unit tests of the pieces."""
import datetime as dt
import io
import re

import pyotp

from trytond import config
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase, with_transaction
from trytond.transaction import Transaction

from copp import password_policy, totp
from copp.exceptions import PasswordPolicyError
from copp.login_attempt import growing_delay

from .rpc_tools import RpcClient, RpcError
from .tools import create_college, create_user

PASSWORD = 'Ryazan-College-2026'
ADMIN_PASSWORD = 'Admin-Secret-2026'
ADMIN_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'


def _set(section, option, value):
    "Set a configuration option, returning how to restore it"
    if not config.has_section(section):
        config.add_section(section)
    old = config.get(section, option, default=None)
    config.set(section, option, str(value))

    def restore():
        if old is None:
            config._config.remove_option(section, option)
            config._cache_clear()
        else:
            config.set(section, option, old)
    return restore


class AccountsTestCase(RouteTestCase):
    "Staff accounts through JSON-RPC"
    module = 'copp'
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        pool = Pool()
        User = pool.get('res.user')
        college = create_college("Рязанский колледж", "РК")
        ministry = create_college("Министерство", "Минобр", kind='ministry')
        users = [
            create_user('clerk', [college], ['group_registrar']),
            create_user('teacher', [college], ['group_teacher']),
            create_user('minobr', [ministry, college], ['group_ministry']),
            ]
        User.write(users, {'password': PASSWORD})
        admin, = User.search([('login', '=', 'admin')])
        with Transaction().set_user(0):
            User.write([admin], {'password': ADMIN_PASSWORD})
        User.totp_write(admin.id, secret=ADMIN_SECRET)

    def setUp(self):
        super().setUp()
        # copp.conf: 30 minutes idle, 12 hours at most.
        # The first delay of a throttled login: a minute, longer than any
        # step of a test (the delays are ended by moving failures back).
        for restore in [_set('session', 'timeout', 1800),
                _set('session', 'max_age', 43200),
                _set('copp', 'login_delay_base', 60)]:
            self.addCleanup(restore)
        self._clear_attempts()

    @staticmethod
    def _clear_attempts():
        with Transaction().start(DB_NAME, 0) as transaction:
            table = Pool().get('res.user.login.attempt').__table__()
            transaction.connection.cursor().execute(*table.delete())
            User = Pool().get('res.user')
            for login in ['admin', 'clerk', 'teacher', 'minobr']:
                user, = User.search([('login', '=', login)])
                User.totp_write(user.id, last_step=None)

    def admin(self, remote_addr='10.0.0.9'):
        client = RpcClient(remote_addr)
        client.login('admin', ADMIN_PASSWORD,
            code=pyotp.TOTP(ADMIN_SECRET).now())
        return client

    @staticmethod
    def events(kind, login=None):
        with Transaction().start(DB_NAME, 0):
            Event = Pool().get('copp.security.event')
            domain = [('kind', '=', kind)]
            if login:
                domain.append(('login', '=', login))
            return [(e.kind, e.user.login if e.user else None, e.ip_address)
                for e in Event.search(domain)]

    # Passwords (finding 11) ---------------------------------------------
    def test_weak_passwords_refused_when_set(self):
        "12345678, password, qwertyui and friends are refused by the server"
        client = self.admin()
        clerk_id = self._user_id('clerk')
        for weak in ['12345678', 'password', 'qwertyui', 'qwerty12',
                'Password2026!', 'aaaaaaaaaaaaaa', '123456789012',
                'clerkclerk', 'clerk']:
            with self.assertRaises(RpcError, msg=weak) as cm:
                client.call('model.res.user.write', [clerk_id],
                    {'password': weak})
            self.assertEqual(cm.exception.kind, 'UserError')
            self.assertRegex(cm.exception.message, '[а-яА-Я]')
        client.call('model.res.user.write', [clerk_id],
            {'password': 'Новый пароль учебной части'})
        RpcClient().login('clerk', 'Новый пароль учебной части')
        self._forget_passwords('clerk')

    def test_own_password_needs_the_current_one(self):
        "The preferences change one's password only with the current one"
        client = RpcClient()
        client.login('teacher', PASSWORD)
        new = 'Teacher-New-Pass-2027'
        with self.assertRaises(RpcError) as cm:
            client.call('model.res.user.set_preferences', {'password': new})
        self.assertIn('текущий пароль', cm.exception.message)
        with self.assertRaises(RpcError) as cm:
            client.call('model.res.user.set_preferences',
                {'password': new, 'password_current': 'wrong-one-2026'})
        self.assertIn('неверен', cm.exception.message)
        # Nor through a write of one's own record (no write access anyway).
        with self.assertRaises(RpcError):
            client.call('model.res.user.write', [client.session[1]],
                {'password': new})
        client.call('model.res.user.set_preferences',
            {'password': new, 'password_current': PASSWORD})
        RpcClient().login('teacher', new)
        self.assertTrue(self.events('password_changed'))
        # Back, through the history: the old one was used just now.
        client = RpcClient()
        client.login('teacher', new)
        with self.assertRaises(RpcError) as cm:
            client.call('model.res.user.set_preferences',
                {'password': PASSWORD, 'password_current': new})
        self.assertIn('последних', cm.exception.message)
        self._forget_passwords('teacher')

    @with_transaction()
    def test_password_history_of_five(self):
        "None of the last five passwords again; the sixth is allowed"
        pool = Pool()
        User = pool.get('res.user')
        user = create_user('history', [create_college("К", "К")],
            ['group_teacher'])
        passwords = [f'History-Pass-{n}-2026' for n in range(6)]
        for password in passwords:
            User.write([user], {'password': password})
        for password in passwords[1:]:
            with self.assertRaises(PasswordPolicyError):
                User.write([user], {'password': password})
        User.write([user], {'password': passwords[0]})

    def test_policy(self):
        "The rules of the policy, one by one"
        check = password_policy.check
        for weak in ['short-1', 'qwertyuiop12', 'Qwerty123456',
                'password2026', 'йцукенгшщзхъ', '111111111111',
                'abcdefghijkl', 'abababababab', 'Dragon-2026!', 'x' * 129]:
            with self.assertRaises(PasswordPolicyError, msg=weak):
                check(weak)
        with self.assertRaises(PasswordPolicyError):
            check('Ivan Petrovich', name='Ivan Petrovich')
        with self.assertRaises(PasswordPolicyError):
            check('ivan.petrov@college.ru', email='ivan.petrov@college.ru')
        with self.assertRaises(PasswordPolicyError):
            check('ivan.petrov2026', email='ivan.petrov@college.ru')
        for good in ['uch1-demo-2026', 'minobr-demo-2026',
                'correct horse battery staple', 'Рязань-весна-2026',
                'k7#Qm2$xP9wL']:
            check(good, login='uch1', name="Иванова Анна",
                email='anna@college.ru')

    # Sessions (finding 10) ----------------------------------------------
    def _age_session(self, key, idle=None, age=None):
        "Move the session's activity and creation into the past"
        with Transaction().start(DB_NAME, 0) as transaction:
            Session = Pool().get('ir.session')
            table = Session.__table__()
            now = dt.datetime.now()
            columns, values = [], []
            if idle is not None:
                columns.append(table.write_date)
                values.append(now - idle)
            if age is not None:
                columns.append(table.create_date)
                values.append(now - age)
            transaction.connection.cursor().execute(*table.update(
                    columns, values, where=table.key == key))
            Session._session_reset_cache.clear()

    def test_idle_session_refused(self):
        "A session idle for more than [session] timeout is refused and ended"
        client = RpcClient()
        _, key = client.login('clerk', PASSWORD)
        self.assertTrue(client.call('model.res.user.get_preferences', True))
        self._age_session(key, idle=dt.timedelta(minutes=29))
        self.assertTrue(client.call('model.res.user.get_preferences', True))
        self._age_session(key, idle=dt.timedelta(minutes=31))
        self.assertIsNone(client.call('model.res.user.get_preferences', True))
        self.assertEqual(client.status, 401)
        # Ended: a fresh activity date does not bring it back.
        self._age_session(key, idle=dt.timedelta(0))
        self.assertIsNone(client.call('model.res.user.get_preferences', True))
        self.assertIn(('session_expired', 'clerk', '10.0.0.1'),
            self.events('session_expired'))

    def test_session_maximum_age(self):
        "An active session is refused after [session] max_age"
        client = RpcClient()
        _, key = client.login('clerk', PASSWORD)
        self._age_session(key, idle=dt.timedelta(minutes=1),
            age=dt.timedelta(hours=11, minutes=59))
        self.assertTrue(client.call('model.res.user.get_preferences', True))
        self._age_session(key, idle=dt.timedelta(minutes=1),
            age=dt.timedelta(hours=12, minutes=1))
        self.assertIsNone(client.call('model.res.user.get_preferences', True))
        self.assertEqual(client.status, 401)

    def test_session_activity_written_rarely(self):
        """The check writes the session's activity only when older than a
        tenth of the timeout (3 minutes), not on every call"""
        client = RpcClient()
        _, key = client.login('clerk', PASSWORD)

        def write_date():
            with Transaction().start(DB_NAME, 0):
                Session = Pool().get('ir.session')
                session, = Session.search([('key', '=', key)])
                return session.write_date
        self._age_session(key, idle=dt.timedelta(minutes=2))
        before = write_date()
        client.call('model.res.user.get_preferences', True)
        self.assertEqual(write_date(), before)
        self._age_session(key, idle=dt.timedelta(minutes=4))
        before = write_date()
        client.call('model.res.user.get_preferences', True)
        self.assertGreater(write_date(), before)

    # Throttling (finding 12) --------------------------------------------
    def _fail(self, login, times, remote_addr):
        client = RpcClient(remote_addr)
        for _ in range(times):
            self.assertIsNone(client.try_login(
                    login, {'password': 'wrong-password-0'}))
        return client.status

    def _backdate_attempts(self, seconds):
        "Every failure recorded so far happened `seconds` ago"
        with Transaction().start(DB_NAME, 0) as transaction:
            table = Pool().get('res.user.login.attempt').__table__()
            transaction.connection.cursor().execute(*table.update(
                    [table.create_date],
                    [dt.datetime.now() - dt.timedelta(seconds=seconds)]))

    def test_throttle_per_login_and_address(self):
        """Failures delay the next attempts of that login from that address
        only, by a growing delay: the user logs in from elsewhere"""
        self.assertEqual(self._fail('clerk', 5, '10.1.1.1'), 401)
        attacker = RpcClient('10.1.1.1')
        self.assertIsNone(attacker.try_login('clerk', {'password': PASSWORD}))
        self.assertEqual(attacker.status, 429)
        RpcClient('10.2.2.2').login('clerk', PASSWORD)
        RpcClient('10.1.1.1').login('teacher', PASSWORD)
        self.assertTrue(self.events('login_throttled', 'clerk'))
        # The delay ends (a minute after the 5th failure, two after the 6th…).
        self._backdate_attempts(61)
        self.assertIsNone(attacker.try_login(
                'clerk', {'password': 'wrong-password-1'}))
        self.assertEqual(attacker.status, 401)
        self._backdate_attempts(61)
        self.assertIsNone(attacker.try_login('clerk', {'password': PASSWORD}))
        self.assertEqual(attacker.status, 429)
        self._backdate_attempts(121)
        attacker.login('clerk', PASSWORD)

    def test_failures_elsewhere_lock_nobody_out(self):
        """Seven wrong passwords from one address (finding 12: they locked
        the account everywhere for the timeout) do not stop the owner"""
        self._fail('teacher', 7, '10.1.2.1')
        RpcClient('10.1.2.2').login('teacher', PASSWORD)

    def test_growing_delay(self):
        now = dt.datetime(2026, 3, 2, 10, 0)
        self.assertEqual(growing_delay(4, 5, now, now, base=1), 0)
        self.assertEqual(
            [growing_delay(n, 5, now, now, cap=900, base=1)
                for n in range(5, 16)],
            [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900])
        self.assertEqual(growing_delay(
                7, 5, now - dt.timedelta(seconds=3), now, cap=900, base=1), 1)
        self.assertEqual(growing_delay(6, 5, now, now, cap=900, base=60),
            120)

    def test_address_limit_spares_known_devices(self):
        """Past max_attempt_ip_network failures an address waits, but not
        the browsers that logged in before (device cookie), nor others"""
        self.addCleanup(_set('session', 'max_attempt_ip_network', 6))
        client = RpcClient('10.3.3.3')
        client.login('teacher', PASSWORD)
        cookie = client.call('model.res.user.device.renew', None)
        for n in range(6):
            self._fail(f'nobody{n}', 1, '10.3.3.3')
        newcomer = RpcClient('10.3.3.3')
        self.assertIsNone(newcomer.try_login('clerk', {'password': PASSWORD}))
        self.assertEqual(newcomer.status, 429)
        RpcClient('10.3.3.3').login('teacher', PASSWORD, device_cookie=cookie)
        RpcClient('10.4.4.4').login('clerk', PASSWORD)

    def test_login_under_attack_needs_second_factor(self):
        """Failures of a login from many addresses: a password alone no
        longer opens it, a known device does"""
        self.addCleanup(_set('copp', 'login_attack_attempts', 6))
        client = RpcClient('10.5.5.5')
        client.login('teacher', PASSWORD)
        cookie = client.call('model.res.user.device.renew', None)
        for n in range(6):
            self._fail('teacher', 1, f'10.6.6.{n}')
        stranger = RpcClient('10.7.7.7')
        self.assertIsNone(stranger.try_login('teacher',
                {'password': PASSWORD}))
        self.assertEqual(stranger.status, 401)
        self.assertTrue(self.events('second_factor_missing', 'teacher'))
        RpcClient('10.7.7.7').login('teacher', PASSWORD,
            device_cookie=cookie)

    def test_wrong_password_message(self):
        "After a refusal the password question says why (issue 13)"
        client = RpcClient('10.8.8.8')
        with self.assertRaises(RpcError) as cm:
            client.try_login('clerk', {})
        self.assertEqual(cm.exception.kind, 'LoginException')
        self.assertNotIn('Неверн', cm.exception.message)
        self.assertIsNone(client.try_login('clerk', {'password': 'wrong-1'}))
        with self.assertRaises(RpcError) as cm:
            client.try_login('clerk', {})
        self.assertIn('Неверн', cm.exception.message)
        self.assertIn('clerk', cm.exception.message)

    # Second factor (build 4) --------------------------------------------
    def test_totp_required_enrolled_at_first_login(self):
        """The ministry must have a second factor: the first login gives the
        key, a code of it completes the login and enables it"""
        client = RpcClient('10.9.9.9')
        with self.assertRaises(RpcError) as cm:
            client.try_login('minobr', {'password': PASSWORD})
        self.assertEqual(cm.exception.kind, 'LoginException')
        self.assertEqual(cm.exception.error[1][0], 'totp_code')
        message = cm.exception.message
        key = ''.join(re.findall(r'\b[A-Z2-7]{4}\b', message))
        self.assertEqual(len(key), 32)
        self.assertIsNone(client.try_login('minobr',
                {'password': PASSWORD, 'totp_code': '000000'}))
        client.login('minobr', PASSWORD, code=pyotp.TOTP(key).now())
        self.assertTrue(self.events('totp_enrolled'))
        with Transaction().start(DB_NAME, 0):
            User = Pool().get('res.user')
            minobr, = User.search([('login', '=', 'minobr')])
            self.assertTrue(minobr.totp_enabled)
            User.totp_reset([minobr])

    def test_totp_code_checked_once(self):
        "An enrolled account: a code is asked, checked, and used once"
        client = RpcClient()
        with self.assertRaises(RpcError) as cm:
            client.try_login('admin', {'password': ADMIN_PASSWORD})
        self.assertEqual(cm.exception.error[1][0], 'totp_code')
        self.assertIsNone(client.try_login('admin',
                {'password': ADMIN_PASSWORD, 'totp_code': '12345'}))
        self.assertIn(('second_factor_failed', 'admin', '10.0.0.1'),
            self.events('second_factor_failed'))
        code = pyotp.TOTP(ADMIN_SECRET).now()
        client.login('admin', ADMIN_PASSWORD, code=code)
        self.assertIsNone(client.try_login('admin',
                {'password': ADMIN_PASSWORD, 'totp_code': code}))
        self.assertEqual(client.status, 401)

    def test_recovery_code_works_once(self):
        "A recovery code replaces the TOTP code, once"
        with Transaction().start(DB_NAME, 0):
            User = Pool().get('res.user')
            RecoveryCode = Pool().get('copp.recovery_code')
            admin, = User.search([('login', '=', 'admin')])
            codes = RecoveryCode.issue(admin)
        self.assertEqual(len(set(codes)), 10)
        client = RpcClient()
        client.login('admin', ADMIN_PASSWORD, code=codes[3].upper())
        self.assertIsNone(client.try_login('admin',
                {'password': ADMIN_PASSWORD, 'totp_code': codes[3]}))
        self.assertEqual(client.status, 401)
        client.login('admin', ADMIN_PASSWORD, code=codes[4])
        self.assertEqual(len(self.events('recovery_code_used')), 2)

    def test_secrets_not_readable(self):
        "Nobody reads or searches the TOTP secret or the recovery codes"
        client = self.admin()
        admin_id = client.session[1]
        for method, *params in [
                ('model.copp.totp.secret.search_read', [], 0, None, None,
                    ['secret']),
                ('model.copp.totp.secret.search',
                    [('secret', 'like', 'J%')], 0, None, None),
                ('model.copp.recovery_code.search_read', [], 0, None, None,
                    ['code_hash']),
                ('model.copp.password.history.search_read', [], 0, None,
                    None, ['password_hash']),
                ]:
            try:
                result = client.call(method, *params)
            except RpcError:
                continue
            self.assertIsNone(result, method)
            self.assertEqual(client.status, 403, method)

    @with_transaction()
    def test_totp_setup_wizard(self):
        "The preferences' wizard: QR code, a first code, ten recovery codes"
        pool = Pool()
        User = pool.get('res.user')
        Setup = pool.get('copp.totp.setup', type='wizard')
        RecoveryCode = pool.get('copp.recovery_code')
        user = create_user('volunteer', [create_college("В", "В")],
            ['group_teacher'])
        with Transaction().set_user(user.id):
            session_id, _, _ = Setup.create()
            setup = Setup(session_id)
            start = setup.default_start(None)
            self.assertFalse(start['enabled'])
            self.assertFalse(start['required'])
            self.assertTrue(start['qr'].startswith(b'\x89PNG'))
            key = start['key'].replace(' ', '')
            setup.start.code = '000000'
            with self.assertRaises(Exception):
                setup.transition_enrol()
            setup.start.code = pyotp.TOTP(key).now()
            self.assertEqual(setup.transition_enrol(), 'codes')
            codes = setup.default_codes(None)['codes'].split('\n')
        self.assertEqual(len(codes), 10)
        self.assertTrue(User(user.id).totp_enabled)
        self.assertEqual(RecoveryCode.remaining(user), 10)
        self.assertTrue(RecoveryCode.use(user, codes[0]))
        self.assertFalse(RecoveryCode.use(user, codes[0]))

    def test_totp_helpers(self):
        secret = totp.new_secret()
        now = 1_800_000_000
        code = totp.code_at(secret, now)
        step = totp.matching_step(secret, code, now=now)
        self.assertEqual(step, now // 30)
        self.assertEqual(
            totp.matching_step(secret, code, now=now + 30), step)
        self.assertIsNone(totp.matching_step(secret, code, now=now + 90))
        self.assertIsNone(
            totp.matching_step(secret, code, after=step, now=now))
        self.assertIn('otpauth://totp/', totp.provisioning_uri(secret, 'u'))

    # The security log ---------------------------------------------------
    def test_security_log_append_only(self):
        "Logins and failures are logged; nobody changes or deletes them"
        RpcClient('10.10.0.1').login('clerk', PASSWORD)
        RpcClient('10.10.0.1').try_login('clerk', {'password': 'wrong-2'})
        logins = self.events('login', 'clerk')
        self.assertIn(('login', 'clerk', '10.10.0.1'), logins)
        self.assertIn(('login_failed', 'clerk', '10.10.0.1'),
            self.events('login_failed', 'clerk'))
        client = self.admin()
        ids = client.call('model.copp.security.event.search',
            [('login', '=', 'clerk')], 0, None, None)
        self.assertTrue(ids)
        with self.assertRaises(RpcError):
            client.call('model.copp.security.event.write', ids[:1],
                {'details': "стёрто"})
        with self.assertRaises(RpcError):
            client.call('model.copp.security.event.delete', ids[:1])
        with self.assertRaises(RpcError):
            client.call('model.copp.security.event.create',
                [{'kind': 'login'}])
        with Transaction().start(DB_NAME, 0):
            Event = Pool().get('copp.security.event')
            with self.assertRaises(Exception):
                Event.write(Event.browse(ids[:1]), {'details': "стёрто"})
            with self.assertRaises(Exception):
                Event.delete(Event.browse(ids[:1]))
        # A clerk does not read it.
        clerk = RpcClient('10.10.0.2')
        clerk.login('clerk', PASSWORD)
        with self.assertRaises(RpcError):
            clerk.call('model.copp.security.event.search', [], 0, None, None)

    def test_exports_logged(self):
        "An export by a user is an event: who, which model, which fields"
        client = RpcClient('10.12.0.1')
        client.login('clerk', PASSWORD)
        ids = client.call('model.company.company.search', [], 0, None, None)
        client.call('model.company.company.export_data', ids, ['rec_name'])
        client.call('model.company.company.export_data_domain', [],
            ['rec_name'])
        events = self.events('export')
        self.assertEqual(
            [e for e in events if e[1] == 'clerk' and e[2] == '10.12.0.1'],
            [('export', 'clerk', '10.12.0.1')] * 2)

    def test_role_changes_logged(self):
        "Granting and revoking a role, and rights changes, are logged"
        client = self.admin()
        pool_ids = {}
        with Transaction().start(DB_NAME, 0):
            ModelData = Pool().get('ir.model.data')
            pool_ids['group'] = ModelData.get_id('copp', 'group_accountant')
        clerk_id = self._user_id('clerk')
        client.call('model.res.user.write', [clerk_id],
            {'groups': [('add', [pool_ids['group']])]})
        client.call('model.res.user.write', [clerk_id],
            {'groups': [('remove', [pool_ids['group']])]})
        granted = self.events('role_granted')
        self.assertIn(('role_granted', 'clerk', '10.0.0.9'), granted)
        self.assertIn(('role_revoked', 'clerk', '10.0.0.9'),
            self.events('role_revoked'))
        access_ids = client.call('model.ir.model.access.search',
            [('model', '=', 'copp.security.event'),
                ('group', '!=', None)], 0, 1, None)
        client.call('model.ir.model.access.write', access_ids,
            {'description': "проверка"})
        self.assertTrue(self.events('rights_changed'))

    def test_security_log_xlsx(self):
        "The officer's xlsx: one row per event, texts stay texts"
        import openpyxl
        RpcClient('10.11.0.1').try_login('=HYPERLINK("x")',
            {'password': 'wrong-3'})
        with Transaction().start(DB_NAME, 0, context={'language': 'ru'}):
            from copp.security_event_export import security_log_xlsx
            Date = Pool().get('ir.date')
            data, count = security_log_xlsx(Date.today(), Date.today())
        book = openpyxl.load_workbook(io.BytesIO(data))
        sheet = book.worksheets[0]
        self.assertEqual(sheet.title, "Журнал безопасности")
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(len(rows) - 1, count)
        self.assertIn("Событие", rows[0])
        login_col = rows[0].index("Логин")
        hostile = [r for r in rows if r[login_col] == '=HYPERLINK("x")']
        self.assertTrue(hostile)
        self.assertEqual(sheet.cell(rows.index(hostile[0]) + 1,
                login_col + 1).data_type, 's')

    @staticmethod
    def _forget_passwords(login):
        "Back to PASSWORD, without the history of the test"
        with Transaction().start(DB_NAME, 0):
            User = Pool().get('res.user')
            History = Pool().get('copp.password.history')
            user, = User.search([('login', '=', login)])
            History.delete(History.search([('user', '=', user.id)]))
            User.write([user], {'password': PASSWORD})
            History.delete(History.search([('user', '=', user.id)]))

    @staticmethod
    def _user_id(login):
        with Transaction().start(DB_NAME, 0):
            User = Pool().get('res.user')
            user, = User.search([('login', '=', login)])
            return user.id
