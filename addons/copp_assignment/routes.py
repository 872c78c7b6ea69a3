"""The assignment lessons in the learner's cabinet (copp_cabinet's
`cabinet_route`):

- `/cabinet/courses/<course>/lessons/<lesson>/assignment` (GET, POST):
  the instructions, the deadline in Moscow time with «осталось …»
  computed here, the late policy explained, the learner's works with
  their state, grade, feedback and rubric; the form hands a new work in
  (text and/or files, multipart) while the assignment accepts one
  (first attempt, or the last one returned for rework with attempts
  left). A refused file is named in a Russian error and the form comes
  back with the text as typed; nothing is kept.
- `…/assignment/submissions/<submission>/files/<file>` (GET): a file of
  one of the learner's own works.

Ownership: the lesson must be an assignment lesson of the course, and
the account's person a learner of the course (`Course.is_learner`); a
work or a file of anybody else, or of another lesson, answers 404. The
works shown and the files sent are written to the personal-data log."""
import html
import os
import re
import urllib.parse

import wtforms
from markupsafe import Markup
from werkzeug.datastructures import CombinedMultiDict, FileStorage

from trytond import config
from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.protocols.wrappers import Response

from copp_cabinet.routes import cabinet_route
from copp_portal import forms
from copp_site.sanitize import clean_html, text_html

from . import policy

MODEL = 'copp.assignment.submission'
LESSON_PATH = '/cabinet/courses/<int:course_id>/lessons/<int:lesson_id>'
READ_FIELDS = ['text', 'files', 'state', 'grade', 'final_grade', 'feedback',
    'scores', 'late', 'penalty']
TEXT_MAX = 50000


def max_request_size():
    "The body of a hand-in, files included ([copp] assignment_max_request)"
    return config.getint('copp', 'assignment_max_request',
        default=105 * 1024 * 1024)


class FilesField(forms._FieldMixin, wtforms.Field):
    "The uploaded files of the work (one input, several files)"
    widget = wtforms.widgets.FileInput(multiple=True)

    def process_formdata(self, valuelist):
        self.data = [f for f in valuelist
            if isinstance(f, FileStorage) and f.filename] or None

    def format(self, value):
        return ''

    def _value(self):
        return ''


class SubmitForm(forms.Form):
    text = forms.TextField(max_length=TEXT_MAX)
    files = FilesField()

    assignment = None

    def clean(self):
        "The files checked as the model will (so that the form names them)"
        assignment = self.assignment
        self.uploads = []
        uploads = self['files'].data or []
        if uploads and not assignment.accept_files:
            self.add_error('files', gettext(
                    'copp_assignment.msg_submission_no_files',
                    assignment=assignment.rec_name))
            return
        if len(uploads) > (assignment.max_files or 0) and uploads:
            self.add_error('files', gettext(
                    'copp_assignment.msg_form_file_count',
                    count=len(uploads), limit=assignment.max_files))
        refused = []
        for upload in uploads:
            name = _filename(upload.filename)
            stream = upload.stream
            stream.seek(0, os.SEEK_END)
            size = stream.tell()
            stream.seek(0)
            message = assignment.file_error(name, size)
            if message:
                refused.append(message)
                continue
            self.uploads.append((name, stream.read()))
        if refused:
            # Every refused file named, not only the first one
            self.add_error('files', ' '.join(refused))
        text = self.values.get('text')
        if text and not assignment.accept_text:
            self.add_error('text', gettext(
                    'copp_assignment.msg_submission_no_text',
                    assignment=assignment.rec_name))
        elif not text and not uploads:
            self.add_error('text' if assignment.accept_text else 'files',
                gettext('copp_assignment.msg_form_text_required'))


def _filename(name):
    "The file's own name, without a path or control characters"
    name = (name or '').replace('\\', '/').rsplit('/', 1)[-1]
    name = ''.join(c for c in name if c.isprintable()).strip()
    return name[-120:] or 'file'


def html_text(value):
    "The plain text of a stored answer (to refill the form of a new attempt)"
    value = re.sub(r'(?i)<br\s*/?>', '\n', value or '')
    value = re.sub(r'(?i)</p\s*>', '\n\n', value)
    return html.unescape(re.sub(r'<[^>]+>', '', value)).strip()


def lesson_for(portal, course_id, lesson_id):
    """The assignment lesson `lesson_id` of the course `course_id` whose
    learner is the account's person, else 404"""
    pool = portal.pool
    Course = pool.get('copp.course')
    Lesson = pool.get('copp.course.lesson')
    party = portal.user.party if portal.user else None
    if party is None:
        portal.not_found()
    lessons = Lesson.search([
            ('id', '=', lesson_id),
            ('course', '=', course_id),
            ('kind', '=', 'assignment'),
            ('assignment', '!=', None),
            ], limit=1)
    if not lessons or not Course.is_learner(lessons[0].course, party):
        portal.not_found()
    return lessons[0], party


def lock_reason(portal, lesson, party):
    "Why the lesson is not open yet (copp_course's release and prerequisites)"
    Lesson = portal.pool.get('copp.course.lesson')
    if not hasattr(Lesson, 'lock_reasons'):
        return None
    today = portal.pool.get('ir.date').today()
    return Lesson.lock_reasons([lesson], party, today).get(lesson.id)


def _page(portal, lesson, party, form=None, status=200):
    pool = portal.pool
    Log = pool.get('copp.personal_data.log')
    Submission = pool.get(MODEL)
    assignment = lesson.assignment
    submissions = assignment.attempts_of(party)
    now = portal.now
    locked = lock_reason(portal, lesson, party)
    refusal = assignment.attempt_refusal(party, submissions)
    accepted, late, days, penalty = assignment.acceptance(now)
    # An archived course is read, nothing is handed in any more
    archived = lesson.course.state != 'published'
    can_submit = (not locked and not archived and refusal is None
        and accepted)
    if form is None and can_submit:
        initial = {}
        if submissions and submissions[0].state == 'returned':
            initial['text'] = html_text(submissions[0].text)
        form = SubmitForm(portal, formdata=None, initial=initial)
    Log.register_portal(portal.user, MODEL, submissions, READ_FIELDS)
    states = dict(Submission.fields_get(['state'])['state']['selection'])
    return portal.render('assignment/lesson.html', status=status,
        lesson=lesson, course=lesson.course, assignment=assignment,
        instructions=Markup(clean_html(assignment.instructions or '')),
        answer_html=lambda s: Markup(clean_html(s.text or '')),
        feedback_html=lambda s: text_html(s.feedback or ''),
        submissions=submissions, states=states, locked=locked,
        refusal=(gettext(f'copp_assignment.{refusal}',
                assignment=assignment.rec_name,
                max_attempts=assignment.max_attempts or '')
            if refusal and refusal != 'msg_attempt_pending' else None),
        pending=refusal == 'msg_attempt_pending', archived=archived,
        closed=not accepted, late_now=accepted and late,
        penalty_now=penalty, can_submit=can_submit, form=form,
        time_left=policy.time_left(assignment.deadline, now),
        policy_text=assignment.late_policy_text(),
        number=_number, file_url=lambda s, f: (
            f'{lesson_url(lesson)}/submissions/{s.id}/files/{f.id}'),
        mb=lambda size: policy._mb(size or 0),
        labels={'text': "Ответ", 'files': "Файлы"})


def lesson_url(lesson):
    "The page of an assignment lesson (copp.course.lesson.cabinet_url)"
    return lesson.cabinet_url()


def _number(value):
    if value is None:
        return ''
    text = format(value.normalize(), 'f') if hasattr(value, 'normalize') \
        else str(value)
    return text.replace('.', ',')


@cabinet_route(LESSON_PATH + '/assignment', methods=['GET', 'POST'],
    model=MODEL)
def assignment_lesson(portal, course_id, lesson_id):
    pool = portal.pool
    Submission = pool.get(MODEL)
    lesson, party = lesson_for(portal, course_id, lesson_id)
    request = portal.request
    if request.method != 'POST':
        return _page(portal, lesson, party)
    assignment = lesson.assignment
    if (lock_reason(portal, lesson, party)
            or lesson.course.state != 'published'):
        portal.forbidden()
    form = SubmitForm(portal, formdata=CombinedMultiDict(
            [request.form, request.files]))
    form.assignment = assignment
    if not form.validate():
        return _page(portal, lesson, party, form=form, status=422)
    text = form.values.get('text')
    try:
        submission = Submission.submit_online(assignment, lesson, party,
            str(text_html(text)) if text else None, form.uploads,
            portal.now)
    except UserError as exc:
        # Too late, no attempt left, a file the model refused: nothing kept
        portal.rollback = True
        form.add_error(None, exc.message)
        return _page(portal, lesson, party, form=form, status=422)
    portal.log('record_created', record=submission,
        details='assignment submission')
    if submission.late:
        portal.flash(gettext('copp_assignment.msg_cabinet_submitted_late',
                attempt=submission.attempt, days=submission.days_late))
    else:
        portal.flash(gettext('copp_assignment.msg_cabinet_submitted',
                attempt=submission.attempt))
    return portal.redirect(lesson_url(lesson))


assignment_lesson.portal_endpoint.max_request_size = max_request_size()


@cabinet_route(LESSON_PATH
    + '/assignment/submissions/<int:submission_id>/files/<int:file_id>',
    model=MODEL)
def submission_file(portal, course_id, lesson_id, submission_id, file_id):
    pool = portal.pool
    Submission = pool.get(MODEL)
    Attachment = pool.get('ir.attachment')
    Log = pool.get('copp.personal_data.log')
    lesson, party = lesson_for(portal, course_id, lesson_id)
    submissions = Submission.search([
            ('id', '=', submission_id),
            ('assignment', '=', lesson.assignment.id),
            ('learner', '=', party.id),
            ], limit=1)
    if not submissions:
        portal.not_found()
    submission, = submissions
    files = Attachment.search([
            ('id', '=', file_id),
            ('resource', '=', str(submission)),
            ('type', '=', 'data'),
            ], limit=1)
    if not files:
        portal.not_found()
    attachment, = files
    Log.register_portal(portal.user, MODEL, [submission], ['files'])
    response = Response(attachment.data or b'',
        content_type='application/octet-stream')
    quoted = urllib.parse.quote(attachment.name)
    response.headers['Content-Disposition'] = (
        f"attachment; filename*=UTF-8''{quoted}")
    response.headers['X-Content-Type-Options'] = 'nosniff'
    return response
