"""The learner's courses in the personal cabinet:

- `/cabinet/courses`: «Мои курсы», the courses the account's person is a
  learner of, with the progress;
- `/cabinet/courses/<course>`: the sections and lessons with the state of
  each, the locked ones with the reason;
- `/cabinet/courses/<course>/lessons/<lesson>`: a lesson of the kinds of
  this module (text, video, document, link); opening it records
  «in progress»; a locked lesson answers a page saying why (403);
- `POST …/lessons/<lesson>/done`: «Отметить как пройденный» (CSRF);
- `POST …/lessons/<lesson>/join`: «Подключиться» to an online session
  (CSRF): records the attendance (completed) and redirects to the
  meeting room;
- `…/lessons/<lesson>/file/<document|video>`: the lesson's file, streamed
  with its content type after the same checks.

Every page takes its ids through `_course_for` / `_lesson_for`: a course
the person does not take, or a lesson of another course, answers 404.
The results read (progress, grade) are written to the ПДн log."""
import datetime as dt
import io
import mimetypes
import re
import urllib.parse

from markupsafe import Markup
from werkzeug.utils import send_file

from trytond.i18n import gettext
from trytond.protocols.wrappers import Response

from copp_cabinet.routes import CABINET_LOGIN
from copp_portal.portal import (
    CONTENT_SECURITY_POLICY, portal_route, register_menu)
from copp_site.sanitize import clean_html

OWN_KINDS = {'text', 'video', 'document', 'link'}
# Shown by the lesson page, completed by joining (not «done»)
PAGE_KINDS = OWN_KINDS | {'online'}
RESULT_FIELDS = ['progress', 'grade', 'completed']
VIDEO_EXTENSIONS = ('.mp4', '.webm', '.ogg', '.ogv', '.m4v')
INLINE_TYPES = {'application/pdf', 'text/plain'}

register_menu('cabinet', '/cabinet/courses',
    'copp_course.msg_cabinet_nav_courses', sequence=20)


def course_route(rule, methods=('GET',), readonly=None):
    "A page of a signed-in account (as copp_cabinet's cabinet_route)"
    return portal_route(rule, methods=methods, login=True,
        model='copp.course', login_url=CABINET_LOGIN, readonly=readonly)


def _party(portal):
    return portal.user.party if portal.user else None


def _course_for(portal, course_id):
    "The course if the account's person is its learner, else 404"
    Course = portal.pool.get('copp.course')
    party = _party(portal)
    if party is None or not Course.is_learner(course_id, party):
        portal.not_found()
    return Course(course_id)


def _lesson_for(portal, course, lesson_id):
    Lesson = portal.pool.get('copp.course.lesson')
    lessons = Lesson.search([
            ('id', '=', lesson_id),
            ('course', '=', course.id),
            ], limit=1)
    if not lessons:
        portal.not_found()
    return lessons[0]


def _log_results(portal, participants):
    Log = portal.pool.get('copp.personal_data.log')
    Log.register_portal(portal.user, 'copp.course.participant',
        participants, RESULT_FIELDS)


def _participants(portal, courses, party):
    Participant = portal.pool.get('copp.course.participant')
    return {p.course.id: p for p in Participant.search([
                ('course', 'in', [c.id for c in courses]),
                ('party', '=', party.id),
                ])}


@course_route('/cabinet/courses')
def courses(portal):
    Course = portal.pool.get('copp.course')
    party = _party(portal)
    courses = Course.learner_courses(party) if party else []
    participants = _participants(portal, courses, party) if courses else {}
    _log_results(portal, participants.values())
    return portal.render('course/courses.html', courses=courses,
        participants=participants)


def _today(portal):
    return portal.pool.get('ir.date').today()


def _now():
    "The moment in UTC, as the datetimes are stored"
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _lesson_rows(portal, course, party):
    "The course's lessons with the learner's state and lock reason"
    Progress = portal.pool.get('copp.course.progress')
    Lesson = portal.pool.get('copp.course.lesson')
    lessons = Lesson.search([('course', '=', course.id)])
    states = {p.lesson.id: p for p in Progress.search([
                ('course', '=', course.id),
                ('learner', '=', party.id),
                ])}
    locks = Lesson.lock_reasons(lessons, party, _today(portal))
    return [{
            'lesson': l,
            'url': l.cabinet_url(),
            'progress': states.get(l.id),
            'state': states[l.id].state if l.id in states else 'not_started',
            'locked': locks[l.id],
            } for l in lessons]


@course_route('/cabinet/courses/<int:course_id>')
def course(portal, course_id):
    course = _course_for(portal, course_id)
    party = _party(portal)
    rows = _lesson_rows(portal, course, party)
    sections = []
    by_section = {}
    for row in rows:
        section = row['lesson'].section
        key = section.id if section else None
        if key not in by_section:
            by_section[key] = []
        by_section[key].append(row)
    for section in course.sections:
        if section.id in by_section:
            sections.append((section, by_section.pop(section.id)))
    if None in by_section:
        sections.append((None, by_section.pop(None)))
    for rest in by_section.values():
        sections.append((rest[0]['lesson'].section, rest))
    participant = _participants(portal, [course], party).get(course.id)
    if participant:
        _log_results(portal, [participant])
    return portal.render('course/course.html', course=course,
        sections=sections, participant=participant)


def video_embed(url):
    """(kind, address, origin) of a video link: ('file', url, origin) for
    a video file, ('frame', embed url, origin) for RUTUBE, VK Видео and
    YouTube pages, else ('link', url, None)"""
    parsed = urllib.parse.urlsplit(url or '')
    host = (parsed.hostname or '').lower().removeprefix('www.')
    if parsed.scheme not in {'http', 'https'} or not host:
        return 'link', url, None
    origin = f'{parsed.scheme}://{parsed.netloc}'
    if parsed.path.lower().endswith(VIDEO_EXTENSIONS):
        return 'file', url, origin
    if host in {'youtube.com', 'm.youtube.com', 'youtu.be'}:
        video = (parsed.path.strip('/') if host == 'youtu.be'
            else urllib.parse.parse_qs(parsed.query).get('v', [''])[0])
        if re.fullmatch(r'[\w-]{6,20}', video or ''):
            return ('frame', f'https://www.youtube-nocookie.com/embed/{video}',
                'https://www.youtube-nocookie.com')
    if host == 'rutube.ru':
        match = re.fullmatch(r'/(?:video|play/embed)/([0-9a-f]{16,40})/?',
            parsed.path)
        if match:
            return ('frame', f'https://rutube.ru/play/embed/{match[1]}',
                'https://rutube.ru')
    if host in {'vk.com', 'vkvideo.ru'}:
        match = re.fullmatch(r'/video(-?\d+)_(\d+)/?', parsed.path)
        if match:
            return ('frame', 'https://vk.com/video_ext.php?oid=%s&id=%s'
                % (match[1], match[2]), 'https://vk.com')
    return 'link', url, None


def _locked_page(portal, course, lesson, reason):
    return portal.render('course/locked.html', status=403, course=course,
        lesson=lesson, reason=reason)


# A GET that writes: opening a lesson records «in progress».
@course_route('/cabinet/courses/<int:course_id>/lessons/<int:lesson_id>',
    readonly=False)
def lesson(portal, course_id, lesson_id):
    Lesson = portal.pool.get('copp.course.lesson')
    Progress = portal.pool.get('copp.course.progress')
    course = _course_for(portal, course_id)
    lesson = _lesson_for(portal, course, lesson_id)
    party = _party(portal)
    url = lesson.cabinet_url()
    if lesson.kind not in PAGE_KINDS and url != portal.path:
        # The page of another module's kind (a quiz, an assignment…)
        return portal.redirect(url)
    reason = Lesson.lock_reasons([lesson], party, _today(portal))[lesson.id]
    if reason:
        return _locked_page(portal, course, lesson, reason)
    progress = Progress.record(lesson, party, state='in_progress')
    video = None
    if lesson.kind == 'video' and not lesson.video_file_id and (
            lesson.video_url):
        video = video_embed(lesson.video_url)
    response = portal.render('course/lesson.html', course=course,
        lesson=lesson, progress=progress, video=video,
        content=clean_html(lesson.content) if lesson.content else Markup(''),
        own_kind=lesson.kind in OWN_KINDS,
        session_phase=lesson.online_phase(_now())
        if lesson.kind == 'online' else None,
        document_type=_file_type(lesson.document_filename))
    if video and video[2]:
        directive = 'frame-src' if video[0] == 'frame' else 'media-src'
        response.headers['Content-Security-Policy'] = (
            f"{CONTENT_SECURITY_POLICY}; {directive} 'self' {video[2]}")
    return response


@course_route(
    '/cabinet/courses/<int:course_id>/lessons/<int:lesson_id>/done',
    methods=['POST'])
def lesson_done(portal, course_id, lesson_id):
    Lesson = portal.pool.get('copp.course.lesson')
    Progress = portal.pool.get('copp.course.progress')
    course = _course_for(portal, course_id)
    lesson = _lesson_for(portal, course, lesson_id)
    party = _party(portal)
    if lesson.kind not in OWN_KINDS or course.state != 'published':
        # Completed by its own module (a quiz when passed…)
        portal.bad_request()
    reason = Lesson.lock_reasons([lesson], party, _today(portal))[lesson.id]
    if reason:
        return _locked_page(portal, course, lesson, reason)
    Progress.record(lesson, party, state='completed')
    portal.flash(gettext('copp_course.msg_lesson_marked'))
    return portal.redirect(lesson.cabinet_url())


@course_route(
    '/cabinet/courses/<int:course_id>/lessons/<int:lesson_id>/join',
    methods=['POST'])
def lesson_join(portal, course_id, lesson_id):
    "Record the attendance of an online session, then go to its room"
    Lesson = portal.pool.get('copp.course.lesson')
    Progress = portal.pool.get('copp.course.progress')
    course = _course_for(portal, course_id)
    lesson = _lesson_for(portal, course, lesson_id)
    party = _party(portal)
    if (lesson.kind != 'online' or course.state != 'published'
            or not lesson.meeting_url):
        portal.bad_request()
    reason = Lesson.lock_reasons([lesson], party, _today(portal))[lesson.id]
    if reason:
        return _locked_page(portal, course, lesson, reason)
    if lesson.online_phase(_now()) != 'open':
        # A stale button: the page says when the room opens (or that the
        # session is over); no attendance is recorded
        return portal.redirect(lesson.cabinet_url())
    Progress.record(lesson, party, state='completed')
    # meeting_url is validated http(s) on save: no javascript: target
    return portal.redirect(lesson.meeting_url)


def _file_type(filename):
    return (mimetypes.guess_type(filename or '')[0]
        or 'application/octet-stream')


@course_route('/cabinet/courses/<int:course_id>/lessons/<int:lesson_id>'
    '/file/<any(document, video):which>')
def lesson_file(portal, course_id, lesson_id, which):
    Lesson = portal.pool.get('copp.course.lesson')
    course = _course_for(portal, course_id)
    lesson = _lesson_for(portal, course, lesson_id)
    party = _party(portal)
    if Lesson.lock_reasons([lesson], party, _today(portal))[lesson.id]:
        portal.not_found()
    if which == 'document':
        data, filename = lesson.document, lesson.document_filename
    else:
        data, filename = lesson.video_file, lesson.video_filename
    if lesson.kind != which or not data:
        portal.not_found()
    filename = filename or which
    content_type = _file_type(filename)
    inline = (which == 'video' or content_type in INLINE_TYPES) and (
        portal.request.args.get('download') != '1')
    # send_file answers the Range requests of a <video> (seeking)
    response = send_file(io.BytesIO(bytes(data)), portal.request.environ,
        mimetype=content_type, as_attachment=not inline,
        download_name=filename, conditional=True, etag=False, max_age=None,
        response_class=Response)
    response.headers['Cache-Control'] = 'private, no-store'
    # A PDF shown in the browser's viewer needs no script of ours
    response.headers['Content-Security-Policy'] = (
        "default-src 'none'; style-src 'unsafe-inline'; "
        "img-src 'self' data:; object-src 'self'; frame-ancestors 'self'")
    return response
