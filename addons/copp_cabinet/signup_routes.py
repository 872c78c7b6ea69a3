"""The citizen's sign-up by e-mail (issue 16), see signup.py:

- `/cabinet/signup`: the form (name, birth date, e-mail, password twice,
  the consent to the cabinet's text); the same answer «check your e-mail»
  for every address;
- `/cabinet/signup/confirm/<key>`: the link of the e-mail (a page with a
  button: a mail scanner opening the link does not use it) activates the
  account, confirms the e-mail and signs in; back to the page the sign-up
  started from (`next`, e.g. an application to a programme);
- `/cabinet/password/reset/<key>`: the password reset link of a cabinet
  account (copp_portal's reset, landing on the cabinet's login)."""
from trytond.i18n import gettext
from trytond.pool import Pool

from copp_portal import forms
from copp_portal import routes as portal_routes
from copp_portal.exceptions import PortalPasswordError
from copp_portal.portal import portal_route, safe_next
from copp_portal.token import token_validity

from .routes import CABINET_LOGIN
from .signup import check_password, confirm_signup, sign_up, signup_wait

HOME = '/cabinet/'
NAME = r"^[А-ЯЁа-яё][А-ЯЁа-яё' -]*$"
NAME_MESSAGE = 'copp_cabinet.msg_signup_name'
LABELS = {
    'last_name': "Фамилия",
    'first_name': "Имя",
    'patronymic': "Отчество",
    'birth_date': "Дата рождения",
    'email': "Электронная почта",
    'password': "Пароль",
    'password2': "Пароль ещё раз",
    'consent': "Согласие на обработку персональных данных",
    }


def _years_ago(years):
    today = Pool().get('ir.date').today()
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


class SignupForm(portal_routes.SetPasswordForm):
    last_name = forms.CharField(required=True, max_length=100, pattern=NAME,
        pattern_message=NAME_MESSAGE)
    first_name = forms.CharField(required=True, max_length=100,
        pattern=NAME, pattern_message=NAME_MESSAGE)
    patronymic = forms.CharField(max_length=100, pattern=NAME,
        pattern_message=NAME_MESSAGE)
    birth_date = forms.DateField(required=True,
        min=lambda: _years_ago(100), max=lambda: _years_ago(14))
    email = forms.EmailField(required=True)
    consent = forms.BooleanField(required=True)


def _message(portal, title, message, status=200, error=False):
    return portal.render('cabinet/message.html', status=status, title=title,
        message=message, error=error)


@portal_route('/cabinet/signup', methods=['GET', 'POST'],
    model='copp.student')
def signup(portal):
    request = portal.request
    next_url = safe_next(request.values.get('next'), HOME)
    if portal.user and request.method == 'GET':
        return portal.redirect(next_url)
    form = SignupForm(portal)
    status = 200
    if form.submitted and form.validate():
        values = form.values
        if signup_wait(portal.remote_addr):
            status = 429
            form.add_error(None, gettext('copp_cabinet.msg_signup_throttled'))
        else:
            try:
                check_password(values)
            except PortalPasswordError as exc:
                form.add_error('password', exc.message)
            else:
                sign_up(portal, values,
                    next_url if next_url != HOME else None)
                return _message(portal,
                    gettext('copp_cabinet.msg_signup_sent_title'),
                    gettext('copp_cabinet.msg_signup_sent',
                        email=values['email'],
                        hours=int(token_validity('signup').total_seconds()
                            // 3600)))
    if form.submitted and status == 200:
        status = 422
    return portal.render('cabinet/signup.html', status=status, form=form,
        next=next_url, labels=LABELS)


@portal_route('/cabinet/signup/confirm/<key>', methods=['GET', 'POST'],
    model='copp.student')
def signup_confirm(portal, key):
    Token = portal.pool.get('copp.portal.token')
    title = gettext('copp_cabinet.msg_signup_confirm_title')
    token, reason = Token.check(key, 'signup')
    if token is None:
        return _message(portal, title, portal_routes._token_error(reason),
            status=404 if reason == 'invalid' else 410, error=True)
    if portal.request.method == 'POST':
        user, result = confirm_signup(portal, key)
        if user is None:
            if result == 'taken':
                return _message(portal, title,
                    gettext('copp_cabinet.msg_signup_taken'), status=409,
                    error=True)
            return _message(portal, title, portal_routes._token_error(result),
                status=410, error=True)
        portal.flash(gettext('copp_cabinet.msg_signup_done'))
        return portal.redirect(safe_next(result, HOME))
    return portal.render('cabinet/signup_confirm.html',
        signup_user=token.user)


@portal_route('/cabinet/password/reset/<key>', methods=['GET', 'POST'],
    model='copp.student')
def password_reset(portal, key):
    "The reset link of a cabinet account (web.user.reset_path)"
    Session = portal.pool.get('web.user.session')

    def success(user, form):
        user.change_password(form.values['password'])
        user.email_valid = True
        user.save()
        Session.end_for([user])
        portal.log('password_reset', user=user)
        portal.logout()
        portal.flash(gettext('copp_portal.msg_password_reset_done'))
        return portal.redirect(CABINET_LOGIN)
    return portal_routes._token_page(portal, 'reset', key,
        portal_routes.SetPasswordForm, 'auth/reset.html', success)
