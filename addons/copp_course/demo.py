"""Demo data of copp_course (see copp.cli.demo): one published course of a
programme of the ЦОПП, with two sections and five lessons (text, video,
document, link, an online consultation), enrolled for a cohort in
progress; the first learners have begun it. Small at every scale."""
import datetime as dt
from decimal import Decimal

from trytond.transaction import Transaction

# A one-page PDF (the memo of the document lesson)
MEMO_PDF = (b'%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n'
    b'2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n'
    b'3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n'
    b'trailer<</Root 1 0 R>>\n%%EOF\n')
INTRO = ("<h2>О курсе</h2><p>Курс сопровождает очные занятия программы: "
    "в нём собраны материалы для самостоятельной работы.</p>"
    "<ul><li>прочитайте введение;</li><li>посмотрите видеоурок;</li>"
    "<li>изучите памятку по охране труда;</li>"
    "<li>выполните итоговое задание.</li></ul>")


def populate(env):
    pool = env.pool
    Cohort = pool.get('copp.training.cohort')
    Learner = pool.get('copp.training.learner')
    Course = pool.get('copp.course')
    Lesson = pool.get('copp.course.lesson')
    Progress = pool.get('copp.course.progress')
    cohorts = Cohort.search([
            ('state', '=', 'running'),
            ('company.institution_kind', '=', 'copp'),
            ], order=[('start_date', 'DESC'), ('id', 'ASC')])
    cohorts = [c for c in cohorts if Learner.search([
                ('cohort', '=', c.id), ('state', '=', 'studying')],
            limit=1)]
    if not cohorts:
        return
    cohort = cohorts[0]
    with Transaction().set_context(company=cohort.company.id):
        course, = Course.create([{
                    'company': cohort.company.id,
                    'name': f"{cohort.program.name}: самостоятельная работа",
                    'code': f'ЭК-{cohort.program.id}',
                    'program': cohort.program.id,
                    'pass_grade': Decimal(60),
                    'description': "Материалы к очным занятиям программы "
                    "и итоговое задание.",
                    'sections': [('create', [
                                {'name': "Введение", 'sequence': 1},
                                {'name': "Практика", 'sequence': 2}])],
                    'enrolments': [('create', [{'cohort': cohort.id}])],
                    }])
        intro, practice = sorted(course.sections, key=lambda s: s.sequence)
        text, video, memo, task, _ = Lesson.create([{
                    'course': course.id, 'section': intro.id,
                    'sequence': 1, 'name': "Введение в курс",
                    'kind': 'text', 'content': INTRO,
                    }, {
                    'course': course.id, 'section': intro.id,
                    'sequence': 2, 'name': "Видеоурок", 'kind': 'video',
                    'required': False,
                    'video_url': 'https://rutube.ru/video/'
                    '3a4c0f1e2b8d4c6e9f0a1b2c3d4e5f60/',
                    }, {
                    'course': course.id, 'section': practice.id,
                    'sequence': 3, 'name': "Памятка по охране труда",
                    'kind': 'document', 'document': MEMO_PDF,
                    'document_filename': 'памятка.pdf',
                    }, {
                    'course': course.id, 'section': practice.id,
                    'sequence': 4, 'name': "Итоговое задание",
                    'kind': 'link', 'weight': Decimal(1),
                    'link_url': 'https://copp62.ru/',
                    'release_date': env.today + dt.timedelta(days=7),
                    }, {
                    'course': course.id, 'section': practice.id,
                    'sequence': 5, 'name': "Онлайн-консультация",
                    'kind': 'online', 'required': False,
                    # 15:00 in Ryazan (UTC+3), stored in UTC
                    'online_start': dt.datetime.combine(
                        env.today + dt.timedelta(days=3), dt.time(12, 0)),
                    'online_duration': 90,
                    'meeting_url': 'https://telemost.yandex.ru/j/'
                    '62000000000000',
                    }])
        Lesson.write([memo], {'prerequisites': [('add', [text.id])]},
            [task], {'prerequisites': [('add', [memo.id])]})
        Course.publish([course])
        learners = Learner.search([('cohort', '=', cohort.id),
                ('state', '=', 'studying')], order=[('id', 'ASC')])
        for number, learner in enumerate(learners[:3]):
            Progress.record(text, learner.party, state='completed')
            if number < 2:
                Progress.record(memo, learner.party,
                    state='completed' if number == 0 else 'in_progress')
    env.count("Электронные курсы", 1)
    env.count("Занятия электронных курсов", 5)
