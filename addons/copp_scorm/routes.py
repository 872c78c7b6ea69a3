"""The SCORM player of the learner's cabinet.

- GET  /cabinet/scorm/<lesson>: the player page (the lesson's
  cabinet_url): the SCO in an iframe and the runtime API (window.API of
  /portal-static/scorm/scorm_api.js) started with the learner's stored
  track (resume: entry «resume», the suspend data back);
- GET  /cabinet/scorm/<lesson>/content/<path>: the unpacked files of the
  lesson's package, streamed from disk with their content type; the only
  pages of the portal that may be framed, and only by the portal itself;
- POST /cabinet/scorm/<lesson>/commit: the values of LMSCommit/LMSFinish
  (JSON with the X-CSRF-Token header, or a form with csrf_token and
  `payload` from navigator.sendBeacon), checked by cmi.validate.

Every route takes the lesson through `lesson_for()`: a lesson that is not
a SCORM lesson of a course the account's person takes (Course.is_learner)
answers 404, a locked one (release date, prerequisites) 403.
"""
import json
import mimetypes
from functools import wraps

from trytond.protocols.wrappers import Response
from trytond.wsgi import app

from copp_cabinet.routes import CABINET_LOGIN, cabinet_route
from copp_portal.portal import MAX_ID, dispatch, security_headers
from copp_portal.static import _bare_error

from .exceptions import ScormCommitError

MODEL = 'copp.scorm.track'
MAX_COMMIT = 32 * 1024
# The SCO's pages: scripts and styles of the package (authoring tools
# write inline ones), nothing loaded from or sent to another site, framed
# by the portal's player only.
CONTENT_SECURITY_POLICY = '; '.join([
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "media-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
        "base-uri 'self'",
        "object-src 'none'",
        ])
TYPES = {
    '.html': 'text/html', '.htm': 'text/html', '.js': 'text/javascript',
    '.mjs': 'text/javascript', '.css': 'text/css', '.json':
    'application/json', '.xml': 'application/xml', '.svg': 'image/svg+xml',
    '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg',
    '.gif': 'image/gif', '.webp': 'image/webp', '.ico': 'image/x-icon',
    '.mp4': 'video/mp4', '.webm': 'video/webm', '.mp3': 'audio/mpeg',
    '.ogg': 'audio/ogg', '.wav': 'audio/wav', '.woff': 'font/woff',
    '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.otf': 'font/otf',
    '.pdf': 'application/pdf', '.txt': 'text/plain', '.vtt': 'text/vtt',
    '.swf': 'application/octet-stream',
    }


def content_type(path):
    dot = path.rfind('.')
    extension = path[dot:].lower() if dot >= 0 else ''
    return TYPES.get(extension) or mimetypes.guess_type(path)[0] or (
        'application/octet-stream')


def lesson_for(portal, lesson_id):
    """The SCORM lesson `lesson_id` if the account's person takes its
    course and its package is unpacked, else 404; returns (lesson, party)"""
    pool = portal.pool
    Lesson = pool.get('copp.course.lesson')
    Course = pool.get('copp.course')
    party = portal.user.party if portal.user else None
    if party is None:
        portal.not_found()
    lessons = Lesson.search([
            ('id', '=', lesson_id),
            ('kind', '=', 'scorm'),
            ('scorm_package.version', '>', 0),
            ], limit=1)
    if not lessons or not Course.is_learner(lessons[0].course, party):
        portal.not_found()
    return lessons[0], party


def lock_reason(portal, lesson, party):
    pool = portal.pool
    Lesson = pool.get('copp.course.lesson')
    Date = pool.get('ir.date')
    return Lesson.lock_reasons([lesson], party, Date.today())[lesson.id]


def content_url(lesson, launch):
    return f'/cabinet/scorm/{lesson.id}/content/{launch}'


@cabinet_route('/cabinet/scorm/<int:lesson_id>', model=MODEL)
def player(portal, lesson_id):
    pool = portal.pool
    Track = pool.get('copp.scorm.track')
    Log = pool.get('copp.personal_data.log')
    lesson, party = lesson_for(portal, lesson_id)
    reason = lock_reason(portal, lesson, party)
    if reason:
        return portal.render('scorm/locked.html', status=403,
            lesson=lesson, course=lesson.course, reason=reason)
    track, values = Track.initial_values(lesson, party)
    values['commit_url'] = f'/cabinet/scorm/{lesson.id}/commit'
    values['csrf_token'] = portal.csrf_token
    # The player hands the learner's name and stored data to the SCO
    Log.register_portal(portal.user, 'party.party', [party],
        ['last_name', 'first_name', 'code'])
    if track:
        Log.register_portal(portal.user, MODEL, [track],
            ['lesson_status', 'score_raw', 'suspend_data',
                'lesson_location', 'total_time'])
    return portal.render('scorm/player.html', lesson=lesson,
        course=lesson.course, package=lesson.scorm_package,
        src=content_url(lesson, lesson.scorm_package.launch),
        data=values, track=track)


def framed_route(rule):
    """A GET cabinet page that the portal's own pages may frame (the
    portal answers X-Frame-Options: DENY everywhere else)"""
    def decorator(func):
        @wraps(func)
        def endpoint(request, **kwargs):
            if any(isinstance(v, int) and not 0 <= v <= MAX_ID
                    for v in kwargs.values()):
                return security_headers(_bare_error(404), request)
            response = dispatch(func, request, kwargs, login=True,
                model=MODEL, login_url=CABINET_LOGIN)
            response.headers['X-Frame-Options'] = 'SAMEORIGIN'
            response.headers['Content-Security-Policy'] = (
                CONTENT_SECURITY_POLICY)
            if response.status_code in (200, 304):
                # Revalidated (ETag) at each load: a new version of the
                # package is served at once
                response.headers['Cache-Control'] = 'private, no-cache'
            return response
        app.route(rule, methods=['GET'])(endpoint)
        func.portal_endpoint = endpoint
        return func
    return decorator


@framed_route('/cabinet/scorm/<int:lesson_id>/content/<path:path>')
def content(portal, lesson_id, path):
    from werkzeug.utils import send_file
    lesson, party = lesson_for(portal, lesson_id)
    if lock_reason(portal, lesson, party):
        portal.forbidden()
    filename = lesson.scorm_package.content_file(path)
    if filename is None:
        portal.not_found()
    # Streamed from the file (werkzeug's file wrapper), never read whole
    response = send_file(filename, portal.request.environ,
        mimetype=content_type(filename), conditional=True, max_age=None)
    response.headers['X-Content-Type-Options'] = 'nosniff'
    return response


def json_response(data, status=200):
    return Response(json.dumps(data, ensure_ascii=False), status=status,
        content_type='application/json; charset=utf-8')


def posted_payload(request):
    "The posted values: a JSON body, or the `payload` field of a form"
    if (request.content_length or 0) > MAX_COMMIT:
        return None
    if request.mimetype == 'application/json':
        return request.get_json(silent=True)
    text = request.form.get('payload')
    if not text or len(text) > MAX_COMMIT:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


@cabinet_route('/cabinet/scorm/<int:lesson_id>/commit', methods=['POST'],
    model=MODEL)
def commit(portal, lesson_id):
    from trytond.i18n import gettext
    Track = portal.pool.get('copp.scorm.track')
    lesson, party = lesson_for(portal, lesson_id)
    reason = lock_reason(portal, lesson, party)
    if reason:
        portal.rollback = True
        return json_response({'result': 'false', 'error': reason}, 403)
    payload = posted_payload(portal.request)
    if payload is None:
        portal.rollback = True
        return json_response({'result': 'false', 'error': gettext(
                    'copp_scorm.msg_cmi_payload')}, 400)
    try:
        track = Track.commit(lesson, party, payload)
    except ScormCommitError as exc:
        portal.rollback = True
        return json_response({'result': 'false', 'error': exc.message}, 400)
    return json_response({
            'result': 'true',
            'lesson_status': track.lesson_status,
            'total_time': track.total_time.total_seconds(),
            })
