"""Passwords of back-office accounts (ФСТЭК 21: ИАФ.4): the policy of
password_policy.py for every password set by a user, none of the last five,
and one's own password changed only with the current one (the preferences
ask for it)."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from . import password_policy
from .exceptions import PasswordPolicyError

UNCHANGED = 'x' * 10
_CHECKED = '_copp_own_password_checked'


class User(metaclass=PoolMeta):
    __name__ = 'res.user'

    password_current = fields.Function(fields.Char("Current Password",
            help="Needed to change your password."),
        'get_password_current')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._preferences_fields.append('password_current')

    def get_password_current(self, name):
        return None

    @classmethod
    def validate_password(cls, password, users):
        users = list(users)
        if users:
            for user in users:
                password_policy.check(password,
                    login=getattr(user, 'login', None),
                    name=getattr(user, 'name', None),
                    email=getattr(user, 'email', None))
        else:
            password_policy.check(password)
        super().validate_password(password, users)

    @classmethod
    def set_password(cls, users, name, value):
        pool = Pool()
        History = pool.get('copp.password.history')
        Event = pool.get('copp.security.event')
        if value == UNCHANGED:
            return
        transaction = Transaction()
        if value and transaction.user:
            for user in users:
                if user.id == transaction.user and not (
                        transaction.context.get(_CHECKED)):
                    raise PasswordPolicyError(gettext(
                            'copp.msg_password_current_required'))
        if value and transaction.user:
            # The server itself (copp init setting the admin's password on
            # every start) is not refused; users are.
            hashes = cls._password_hashes(users)
            for user in users:
                History.check_reuse(value, current_hash=hashes.get(user.id),
                    user=user)
        super().set_password(users, name, value)
        if value:
            hashes = cls._password_hashes(users)
            for user in users:
                History.remember(hashes.get(user.id), user=user)
                Event.log('password_changed', user=user)

    @classmethod
    def _password_hashes(cls, users):
        "The password hashes of users, read in SQL (read() hides them)"
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(table.id, table.password_hash,
                where=table.id.in_([u.id for u in users])))
        return dict(cursor)

    @classmethod
    def set_preferences(cls, values):
        values = dict(values)
        current = values.pop('password_current', None)
        new = values.get('password')
        if new and new != UNCHANGED:
            user = cls(Transaction().user)
            if not current:
                raise PasswordPolicyError(gettext(
                        'copp.msg_password_current_required'))
            if not cls._is_current_password(user, current):
                raise PasswordPolicyError(gettext(
                        'copp.msg_password_current_wrong'))
            with Transaction().set_context(**{_CHECKED: True}):
                return super().set_preferences(values)
        return super().set_preferences(values)

    @classmethod
    def _is_current_password(cls, user, password):
        """`password` is the user's password, or the temporary one of a
        reset (Tryton e-mails it; the user then chooses theirs)"""
        hash_ = cls._password_hashes([user]).get(user.id)
        if hash_:
            valid, _ = cls.check_password(password, hash_)
            if valid:
                return True
        _, _, reset = cls._get_login(user.login)
        return bool(reset) and reset == password and (
            user.password_reset_expire
            and user.password_reset_expire > dt.datetime.now())
