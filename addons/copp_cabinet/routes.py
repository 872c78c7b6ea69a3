"""The personal cabinet (/cabinet/…) of students and their legal
representatives, on web.user accounts.

- `/cabinet/invitation/<key>`: the link of the college's invitation sets
  the password (with the consent to the cabinet's text version);
- `/cabinet/login`: the login form of the portals, landing here;
- `/cabinet/`: the students the account reads (itself, its children);
- `/cabinet/students/<id>`: marks by discipline with the average,
  absences, debts and retakes, homework (the journal's diary);
- `/cabinet/students/<id>/timetable?week=YYYY-MM-DD`: the lessons of the
  student's group in the week.

Every student page takes its id through ownership.student_for(): another
student's id, or a child the account does not represent, answers 404.
What a student or a parent reads is written to the ПДн log."""
import datetime as dt

from trytond.i18n import gettext

from copp_portal import routes as portal_routes
from copp_portal.portal import portal_route, register_menu

from .ownership import CHILD, account_students, student_for

CABINET_LOGIN = '/cabinet/login'
DIARY_FIELDS = ['marks', 'absences', 'debts', 'homework']
TIMETABLE_FIELDS = ['timetable']

register_menu('cabinet', '/cabinet/', 'copp_cabinet.msg_nav_home',
    sequence=10)
register_menu('cabinet', '/cabinet/account', 'copp_cabinet.msg_nav_account',
    sequence=90)


def cabinet_route(rule, methods=('GET',), model='copp.student'):
    "A page of a signed-in account (anonymous visitors go to the login)"
    return portal_route(rule, methods=methods, login=True, model=model,
        login_url=CABINET_LOGIN)


@portal_route('/cabinet/login', methods=['GET', 'POST'],
    model='copp.student')
def login(portal):
    "The portals' login, with the sign-up (and ЕСИА's sign-in when set up)"
    return portal_routes.login(portal, template='cabinet/login.html',
        home='/cabinet/', esia=esia_enabled(portal))


def esia_enabled(portal):
    "Sign-in through ЕСИА is activated and configured (copp_esia)"
    if 'copp_esia' not in portal.pool._modules:
        return False
    try:
        from copp_esia import settings
    except ImportError:
        return False
    return settings.enabled()


@portal_route('/cabinet/invitation/<key>', methods=['GET', 'POST'],
    model='copp.student')
def invitation(portal, key):
    def success(user, form):
        user.change_password(form.values['password'])
        user.email_valid = True
        user.save()
        portal.pool.get('copp.portal.consent').give(user, 'cabinet_account',
            'invitation', ip_address=portal.remote_addr)
        portal.log('invitation_accepted', user=user)
        portal.login(user)
        portal.log('login', user=user)
        portal.flash(gettext('copp_portal.msg_invitation_done'))
        return portal.redirect('/cabinet/')
    return portal_routes._token_page(portal, 'invitation', key,
        portal_routes.InvitationForm, 'cabinet/invitation.html', success)


@cabinet_route('/cabinet/')
def home(portal):
    Student = portal.pool.get('copp.student')
    readable = account_students(portal.user)
    students = Student.browse(sorted(readable))
    return portal.render('cabinet/home.html', students=students,
        relations=readable, CHILD=CHILD)


def _log_read(portal, student, field_names):
    Log = portal.pool.get('copp.personal_data.log')
    Log.register_portal(portal.user, 'copp.student', [student], field_names)


def _date_arg(portal, name):
    value = portal.request.args.get(name)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        portal.bad_request()


@cabinet_route('/cabinet/students/<int:student_id>')
def diary(portal, student_id):
    from copp_journal.diary import diary_for
    student = student_for(portal, student_id)
    date_from = _date_arg(portal, 'from')
    date_to = _date_arg(portal, 'to')
    if date_from and date_to and date_from > date_to:
        portal.bad_request()
    data = diary_for(student, date_from, date_to)
    _log_read(portal, student, DIARY_FIELDS)
    return portal.render('cabinet/diary.html', student=student, diary=data,
        ru_date=ru_date)


def ru_date(iso):
    "2025-10-06 -> 06.10.2025"
    return dt.date.fromisoformat(iso[:10]).strftime('%d.%m.%Y') if iso else ''


def week_of(day):
    "The Monday and the Sunday of the week of `day`"
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


@cabinet_route('/cabinet/students/<int:student_id>/timetable')
def timetable(portal, student_id):
    pool = portal.pool
    Lesson = pool.get('copp.journal.lesson')
    Date = pool.get('ir.date')
    student = student_for(portal, student_id)
    day = _date_arg(portal, 'week') or Date.today()
    monday, sunday = week_of(day)
    lessons = []
    if student.group:
        lessons = Lesson.search([
                ('group', '=', student.group.id),
                ('date', '>=', monday),
                ('date', '<=', sunday),
                ], order=[('date', 'ASC'), ('pair', 'ASC')])
    days = []
    for offset in range(7):
        date = monday + dt.timedelta(days=offset)
        days.append((date, [l for l in lessons if l.date == date]))
    _log_read(portal, student, TIMETABLE_FIELDS)
    return portal.render('cabinet/timetable.html', student=student,
        days=days, monday=monday, sunday=sunday,
        previous=monday - dt.timedelta(days=7),
        next=monday + dt.timedelta(days=7))
