"""The quiz pages of the learner's cabinet.

- GET  /cabinet/quiz/<lesson>: the quiz lesson: introduction, rules, the
  attempts so far, «Начать попытку» / «Продолжить»;
- POST /cabinet/quiz/<lesson>/start: start (or resume) an attempt;
- GET  /cabinet/quiz/attempts/<attempt>[?page=N]: the questions, with the
  countdown from the server's deadline;
- POST /cabinet/quiz/attempts/<attempt>/save: one question's answer as JSON
  ({"question": id, "values": {name: [values]}}, header X-CSRF-Token),
  answered {"status": "saved" | "unchanged" | "closed"}; or the plain form
  of the page (no script): every question of the page, then the next page;
- GET/POST /cabinet/quiz/attempts/<attempt>/finish: confirmation, finish;
- GET  /cabinet/quiz/attempts/<attempt>/review: the review, as the quiz's
  review options allow.

The learner is the account's person (web.user.party): a lesson of a course
they are not enrolled in, a lesson of another kind, an attempt of another
learner answer 404. Pages that may finish an overdue attempt run in a
read-write transaction (readonly=False).

The JSON save is the hot path (a class answering a test together): it
reads no record — one query for the checks of attempt_for and the question
(`_answer_target`), one guarded UPDATE (Attempt.write_response) — and
takes the ORM's path only for an attempt over or past its deadline."""
import datetime as dt
import json

from sql import Literal, Null
from sql.operators import Exists

from trytond.protocols.wrappers import Response
from trytond.transaction import Transaction

from copp_cabinet.routes import CABINET_LOGIN
from copp_portal.portal import MAX_ID, portal_route

from . import compiled
from .exceptions import QuizError
from .present import question_view, response_from_values

MODEL = 'copp.quiz'
ATTEMPT_FIELDS = ['questions', 'score', 'state']


def quiz_route(rule, methods=('GET',), readonly=None):
    return portal_route(rule, methods=methods, login=True, model=MODEL,
        login_url=CABINET_LOGIN, readonly=readonly)


def learner_of(portal):
    party = portal.user.party if portal.user else None
    if party is None:
        portal.not_found()
    return party


def lesson_for(portal, lesson_id):
    "The quiz lesson if the account's person is its course's learner"
    pool = portal.pool
    Lesson = pool.get('copp.course.lesson')
    Course = pool.get('copp.course')
    party = learner_of(portal)
    lessons = Lesson.search([('id', '=', lesson_id), ('kind', '=', 'quiz'),
            ('quiz', '!=', None)], limit=1)
    if not lessons or not Course.is_learner(lessons[0].course, party):
        portal.not_found()
    return lessons[0]


def attempt_for(portal, attempt_id):
    "The attempt if it is the account's person's own, else 404"
    pool = portal.pool
    Attempt = pool.get('copp.quiz.attempt')
    Course = pool.get('copp.course')
    party = learner_of(portal)
    attempts = Attempt.search([('id', '=', attempt_id),
            ('learner', '=', party.id)], limit=1)
    if not attempts:
        portal.not_found()
    attempt = attempts[0]
    if attempt.lesson and not Course.is_learner(attempt.lesson.course,
            party):
        portal.not_found()
    return attempt


def _log(portal, attempts, field_names=ATTEMPT_FIELDS):
    Log = portal.pool.get('copp.personal_data.log')
    Log.register_portal(portal.user, 'copp.quiz.attempt', attempts,
        field_names)


def _pages(attempt):
    questions = list(attempt.questions)
    size = attempt.quiz.questions_per_page or len(questions) or 1
    return [questions[i:i + size] for i in range(0, len(questions), size)]


def _page_arg(portal, count):
    try:
        page = int(portal.request.args.get('page')
            or portal.request.form.get('page') or 1)
    except ValueError:
        page = 1
    return min(max(page, 1), max(count, 1))


@quiz_route('/cabinet/quiz/<int:lesson_id>', readonly=False)
def lesson_page(portal, lesson_id):
    pool = portal.pool
    Attempt = pool.get('copp.quiz.attempt')
    Lesson = pool.get('copp.course.lesson')
    from copp_site.sanitize import clean_html
    lesson = lesson_for(portal, lesson_id)
    quiz, party = lesson.quiz, learner_of(portal)
    current = Attempt.current(quiz, party, portal.now)
    attempts = Attempt.search([('quiz', '=', quiz.id),
            ('learner', '=', party.id)], order=[('number', 'ASC')])
    locked = Lesson.lock_reasons([lesson], party,
        portal.now.date()).get(lesson.id)
    reason = None if current else Attempt.can_start(quiz, party, portal.now)
    review = quiz.review_options(portal.now)
    _log(portal, attempts, ['score', 'state'])
    return portal.render('cabinet/quiz/lesson.html', lesson=lesson,
        quiz=quiz, intro=clean_html(quiz.intro or ''), attempts=attempts,
        current=current, reason=locked or reason, review=review,
        grade=Attempt.quiz_grade(quiz, party) if review['marks'] else None)


@quiz_route('/cabinet/quiz/<int:lesson_id>/start', methods=['POST'])
def start(portal, lesson_id):
    pool = portal.pool
    Attempt = pool.get('copp.quiz.attempt')
    Lesson = pool.get('copp.course.lesson')
    lesson = lesson_for(portal, lesson_id)
    party = learner_of(portal)
    locked = Lesson.lock_reasons([lesson], party,
        portal.now.date()).get(lesson.id)
    if locked:
        portal.forbidden(locked)
    try:
        attempt = Attempt.start(lesson.quiz, party, lesson=lesson,
            now=portal.now)
    except QuizError as exc:
        portal.flash(exc.message, 'error')
        return portal.redirect(f'/cabinet/quiz/{lesson.id}')
    return portal.redirect(f'/cabinet/quiz/attempts/{attempt.id}')


@quiz_route('/cabinet/quiz/attempts/<int:attempt_id>', readonly=False)
def attempt_page(portal, attempt_id):
    pool = portal.pool
    Attempt = pool.get('copp.quiz.attempt')
    attempt = attempt_for(portal, attempt_id)
    if attempt.state == 'in_progress' and attempt.is_overdue(portal.now):
        Attempt.finish([attempt], portal.now)
    if attempt.state != 'in_progress':
        return portal.redirect(f'/cabinet/quiz/attempts/{attempt.id}/review')
    pages = _pages(attempt)
    page = _page_arg(portal, len(pages))
    offset = sum(len(p) for p in pages[:page - 1])
    questions = [question_view(q, offset + i)
        for i, q in enumerate(pages[page - 1], 1)]
    remaining = None
    if attempt.deadline:
        remaining = max(0, int(
                (attempt.deadline - portal.now).total_seconds()))
    _log(portal, [attempt])
    return portal.render('cabinet/quiz/attempt.html', attempt=attempt,
        quiz=attempt.quiz, questions=questions, page=page,
        page_count=len(pages), remaining=remaining)


def _json(data, status=200):
    return Response(json.dumps(data, ensure_ascii=False), status=status,
        content_type='application/json; charset=utf-8')


@quiz_route('/cabinet/quiz/attempts/<int:attempt_id>/save',
    methods=['POST'])
def save(portal, attempt_id):
    pool = portal.pool
    Attempt = pool.get('copp.quiz.attempt')
    request = portal.request
    if request.is_json:
        return _save_json(portal, attempt_id)
    attempt = attempt_for(portal, attempt_id)
    # The plain form: every question of the posted page
    pages = _pages(attempt)
    page = _page_arg(portal, len(pages))
    values = {k: request.form.getlist(k) for k in request.form.keys()}
    status = 'unchanged'
    for question in pages[page - 1]:
        status = Attempt.save_answer(attempt, question,
            response_from_values(question, values), now=portal.now)
        if status == 'closed':
            break
    base = f'/cabinet/quiz/attempts/{attempt.id}'
    if status == 'closed':
        return portal.redirect(base + '/review')
    action = request.form.get('action', 'save')
    if action == 'finish':
        return portal.redirect(base + '/finish')
    if action == 'next':
        page = min(page + 1, len(pages))
    elif action == 'previous':
        page = max(page - 1, 1)
    portal.flash("Ответы сохранены")
    return portal.redirect(f'{base}?page={page}')


def _json_question(data):
    "The attempt question id of a JSON save, None when malformed"
    if not isinstance(data, dict) or not isinstance(
            data.get('values'), dict):
        return None
    try:
        question_id = int(data.get('question'))
    except (TypeError, ValueError):
        return None
    # no record has such an id: a question of no attempt
    return question_id if 0 <= question_id <= MAX_ID else 0


def _answer_target(portal, attempt_id, question_id):
    """The checks of attempt_for and the question of the attempt in one
    query: None when the attempt is not the account's person's own or they
    are no longer a learner of its lesson's course, else (attempt question
    id or None, the bank question's kind, the response saved, the
    attempt's state and deadline)"""
    pool = portal.pool
    Attempt = pool.get('copp.quiz.attempt')

    def build(attempt_id, question_id, user_id):
        Line = pool.get('copp.quiz.attempt.question')
        Question = pool.get('copp.question')
        Lesson = pool.get('copp.course.lesson')
        Course = pool.get('copp.course')
        User = pool.get('web.user')
        attempt, line, question = (Attempt.__table__(), Line.__table__(),
            Question.__table__())
        lesson, user = Lesson.__table__(), User.__table__()
        learners = Course._learner_query(party_id=attempt.learner)
        enrolled = Exists(learners.select(Literal(1),
                where=learners.course == lesson.course))
        party = user.select(user.party, where=user.id == user_id)
        return attempt.join(lesson, 'LEFT',
            condition=lesson.id == attempt.lesson
            ).join(line, 'LEFT',
            condition=(line.attempt == attempt.id) & (line.id == question_id)
            ).join(question, 'LEFT', condition=question.id == line.question
            ).select(line.id, question.kind, line.response, attempt.state,
                attempt.deadline,
                where=(attempt.id == attempt_id) & (attempt.learner == party)
                & ((attempt.lesson == Null) | enrolled))
    cursor = Transaction().connection.cursor()
    row = compiled.execute(cursor, Attempt, 'save_target', build,
        attempt_id=attempt_id, question_id=question_id,
        user_id=portal.user.id).fetchone()
    if row and isinstance(row[4], str):
        # SQLite without the declared type of a joined column
        row = row[:4] + (dt.datetime.fromisoformat(row[4]),)
    return row


def _save_json(portal, attempt_id):
    """The answer of one question as quiz.js sends it: one query for the
    checks (the attempt_for's and the question of the attempt), one
    guarded UPDATE (Attempt.write_response); the ORM's path (save_answer)
    only when the attempt is no longer in progress or its deadline passed
    (it finishes the attempt)"""
    pool = portal.pool
    Attempt = pool.get('copp.quiz.attempt')
    Line = pool.get('copp.quiz.attempt.question')
    data = portal.request.get_json(silent=True)
    question_id = _json_question(data)
    if question_id is None:
        attempt_for(portal, attempt_id)  # another's attempt: 404 first
        return _json({'status': 'error'}, 400)
    target = _answer_target(portal, attempt_id, question_id)
    if target is None:
        portal.not_found()
    line_id, kind, saved, state, deadline = target
    if line_id is None:
        return _json({'status': 'not_found'}, 404)
    values = {str(k): (v if isinstance(v, list) else [v])
        for k, v in data['values'].items()}
    response = response_from_values(Line(line_id), values, kind=kind)
    now = portal.now
    if state == 'in_progress' and not (deadline and now >= deadline):
        text = Attempt.response_text(response)
        if (saved or None) == text:
            return _json({'status': 'unchanged'})
        if Attempt.write_response(attempt_id, line_id, text, now):
            return _json({'status': 'saved'})
    # Over, or its deadline passed (finished now)
    status = Attempt.save_answer(attempt_for(portal, attempt_id),
        Line(line_id), response, now=now)
    return _json({'status': status}, 200 if status != 'closed' else 409)


@quiz_route('/cabinet/quiz/attempts/<int:attempt_id>/finish',
    methods=['GET', 'POST'], readonly=False)
def finish(portal, attempt_id):
    pool = portal.pool
    Attempt = pool.get('copp.quiz.attempt')
    attempt = attempt_for(portal, attempt_id)
    base = f'/cabinet/quiz/attempts/{attempt.id}'
    if attempt.state == 'in_progress' and (
            portal.request.method == 'POST'
            or attempt.is_overdue(portal.now)):
        Attempt.finish([attempt], portal.now)
    if attempt.state != 'in_progress':
        return portal.redirect(base + '/review')
    unanswered = [q.sequence for q in attempt.questions
        if q.response is None]
    return portal.render('cabinet/quiz/finish.html', attempt=attempt,
        quiz=attempt.quiz, unanswered=unanswered)


@quiz_route('/cabinet/quiz/attempts/<int:attempt_id>/review',
    readonly=False)
def review(portal, attempt_id):
    pool = portal.pool
    Attempt = pool.get('copp.quiz.attempt')
    attempt = attempt_for(portal, attempt_id)
    if attempt.state == 'in_progress' and attempt.is_overdue(portal.now):
        Attempt.finish([attempt], portal.now)
    if attempt.state == 'in_progress':
        return portal.redirect(f'/cabinet/quiz/attempts/{attempt.id}')
    options = attempt.review(portal.now)
    questions = [question_view(q, i, review=options)
        for i, q in enumerate(attempt.questions, 1)]
    _log(portal, [attempt])
    return portal.render('cabinet/quiz/review.html', attempt=attempt,
        quiz=attempt.quiz, lesson=attempt.lesson, questions=questions,
        review=options)

