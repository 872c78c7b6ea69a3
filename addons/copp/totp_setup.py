"""The set-up of one's own second factor, from the preferences: a QR code
(and the key) for an authenticator app, a first code to prove it works, ten
recovery codes shown once; new recovery codes or switching it off later
(switching off only for accounts whose roles do not require it)."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from . import totp
from .exceptions import SecondFactorError
from .user_login import PENDING_VALIDITY


class TotpSetupStart(ModelView):
    "Two-Factor Authentication"
    __name__ = 'copp.totp.setup.start'
    __string__ = "Two-Factor Authentication"

    enabled = fields.Boolean("Enabled", readonly=True)
    required = fields.Boolean("Required", readonly=True,
        help="Your roles read the personal data of more than one college.")
    qr = fields.Binary("QR Code", readonly=True)
    key = fields.Char("Key", readonly=True,
        help="For apps that cannot read the QR code.")
    code = fields.Char("Code",
        help="The 6-digit code the app shows now.")
    recovery_left = fields.Integer("Recovery Codes Left", readonly=True)

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('//group[@id="setup"]', 'states', {
                    'invisible': Bool(Eval('enabled', False)),
                    }),
            ('//group[@id="recovery"]', 'states', {
                    'invisible': ~Eval('enabled', False),
                    }),
            ]


class TotpSetupCodes(ModelView):
    "Recovery Codes"
    __name__ = 'copp.totp.setup.codes'
    __string__ = "Recovery Codes"

    codes = fields.Text("Recovery Codes", readonly=True)


class TotpSetup(Wizard):
    "Set Up Two-Factor Authentication"
    __name__ = 'copp.totp.setup'

    start = StateView('copp.totp.setup.start',
        'copp.totp_setup_start_view_form', [
            Button("Close", 'end', 'tryton-cancel'),
            Button("Switch Off", 'disable', 'tryton-clear',
                states={'invisible': (~Eval('enabled', False)
                        | Eval('required', False))}),
            Button("New Recovery Codes", 'renew', 'tryton-refresh',
                states={'invisible': ~Eval('enabled', False)}),
            Button("Enable", 'enrol', 'tryton-ok', default=True,
                states={'invisible': Bool(Eval('enabled', False))}),
            ])
    enrol = StateTransition()
    renew = StateTransition()
    disable = StateTransition()
    codes = StateView('copp.totp.setup.codes',
        'copp.totp_setup_codes_view_form', [
            Button("Done", 'end', 'tryton-ok', default=True),
            ])

    def default_start(self, fields):
        pool = Pool()
        User = pool.get('res.user')
        RecoveryCode = pool.get('copp.recovery_code')
        user = User(Transaction().user)
        state = User.totp_state(user.id)
        values = {
            'enabled': bool(state.secret),
            'required': User.totp_required_for(user.id),
            'recovery_left': RecoveryCode.remaining(user),
            'code': None,
            }
        if not state.secret:
            secret = self._pending_secret(user, state)
            values['key'] = totp.format_key(secret)
            values['qr'] = totp.qr_png(
                totp.provisioning_uri(secret, user.login))
        return values

    @staticmethod
    def _pending_secret(user, state):
        "The secret being set up: kept on the account for 15 minutes"
        User = Pool().get('res.user')
        now = dt.datetime.now()
        if state.pending and state.pending_date and (
                state.pending_date + PENDING_VALIDITY >= now):
            return state.pending
        secret = totp.new_secret()
        User.totp_write(user.id, pending=secret, pending_date=now)
        return secret

    def _check_code(self, secret, after=None):
        "The time step of the code typed, or a Russian error"
        step = totp.matching_step(secret, self.start.code, after=after)
        if step is None:
            raise SecondFactorError(gettext('copp.msg_totp_code_wrong'))
        return step

    def transition_enrol(self):
        pool = Pool()
        User = pool.get('res.user')
        RecoveryCode = pool.get('copp.recovery_code')
        Event = pool.get('copp.security.event')
        user = User(Transaction().user)
        state = User.totp_state(user.id)
        if state.secret:
            return 'start'
        if not state.pending:
            raise SecondFactorError(gettext('copp.msg_totp_code_wrong'))
        step = self._check_code(state.pending)
        User.totp_write(user.id, secret=state.pending,
            pending=None, pending_date=None, last_step=step)
        Event.log('totp_enrolled', user=user, details='preferences')
        self._new_codes = RecoveryCode.issue(user)
        Event.log('recovery_codes_issued', user=user)
        return 'codes'

    def transition_renew(self):
        pool = Pool()
        User = pool.get('res.user')
        RecoveryCode = pool.get('copp.recovery_code')
        Event = pool.get('copp.security.event')
        user = User(Transaction().user)
        state = User.totp_state(user.id)
        step = self._check_code(state.secret, after=state.last_step)
        User.totp_write(user.id, last_step=step)
        self._new_codes = RecoveryCode.issue(user)
        Event.log('recovery_codes_issued', user=user)
        return 'codes'

    def transition_disable(self):
        pool = Pool()
        User = pool.get('res.user')
        RecoveryCode = pool.get('copp.recovery_code')
        Event = pool.get('copp.security.event')
        user = User(Transaction().user)
        if User.totp_required_for(user.id):
            raise SecondFactorError(gettext('copp.msg_totp_required'))
        state = User.totp_state(user.id)
        self._check_code(state.secret, after=state.last_step)
        User.totp_write(user.id, secret=None, last_step=None)
        RecoveryCode.clear(user)
        Event.log('totp_reset', user=user, details='preferences')
        return 'end'

    def default_codes(self, fields):
        codes = getattr(self, '_new_codes', None) or []
        return {'codes': '\n'.join(codes)}
