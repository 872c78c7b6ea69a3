"""Demo data of copp_scorm (see copp.cli.demo): for the ЦОПП and the
colleges РКЭ and РЖК a small SCORM 1.2 package (sample.py), unpacked through
the normal path into the SCORM storage of the data path, a SCORM lesson in a
course (the ЦОПП course of copp_course's demo; for a college, a small
published course of the college enrolled for one of its study groups) and
the tracks of a few learners, recorded by Track.commit as the player's
commit does, at fixed times before the demo's date."""
import datetime as dt
from decimal import Decimal

from trytond.pool import Pool
from trytond.transaction import Transaction

from .sample import make_sample_package

COLLEGES = ['РКЭ', 'РЖК']

PACKAGES = {
    'copp': ("Охрана труда: вводный модуль", "Вводный инструктаж",
        "<p>Общие требования охраны труда на рабочем месте, опасные и "
        "вредные производственные факторы, порядок действий при "
        "несчастном случае.</p>"),
    'РКЭ': ("Электробезопасность: первая группа", "Действие тока на человека",
        "<p>Как электрический ток действует на организм, безопасные "
        "приёмы работы с электроприборами, первая помощь при "
        "поражении током.</p>"),
    'РЖК': ("Безопасность на железной дороге", "Правила нахождения "
        "на путях",
        "<p>Где разрешено переходить пути, сигналы и знаки, действия при "
        "приближении поезда.</p>"),
    }

# (status, raw score, session time, days before today, hour) per learner
SESSIONS = [
    ('passed', '85', '0000:18:40.00', 6, 10),
    ('failed', '45', '0000:12:05.00', 5, 14),
    ('incomplete', '', '0000:04:30.00', 3, 11),
    ]


def populate(env):
    pool = env.pool
    Company = pool.get('company.company')
    Course = pool.get('copp.course')
    copp = Company.search([('institution_kind', '=', 'copp')],
        order=[('id', 'ASC')], limit=1)
    count = {'packages': 0, 'tracks': 0}
    if copp:
        course = Course.search([
                ('company', '=', copp[0].id),
                ('state', '=', 'published'),
                ], order=[('id', 'ASC')], limit=1)
        if course:
            _institution(env, copp[0], 'copp', course[0], count)
    for short_name in COLLEGES:
        colleges = Company.search([
                ('institution_kind', '=', 'college'),
                ('short_name', '=', short_name),
                ], order=[('id', 'ASC')], limit=1)
        if not colleges:
            continue
        college, = colleges
        with Transaction().set_context(company=college.id):
            course = _college_course(college)
        if course:
            _institution(env, college, short_name, course, count)
    if count['packages']:
        env.count("Пакеты SCORM", count['packages'])
        env.count("Попытки SCORM слушателей", count['tracks'])


def _college_course(college):
    "A published course of the college for its first group with students"
    pool = Pool()
    Student = pool.get('copp.student')
    Course = pool.get('copp.course')
    students = Student.search([
            ('company', '=', college.id),
            ('state', '=', 'studying'),
            ('group', '!=', None),
            ('party', '!=', None),
            ], order=[('group', 'ASC'), ('id', 'ASC')], limit=1)
    if not students:
        return None
    group = students[0].group
    course, = Course.create([{
                'company': college.id,
                'name': "Охрана труда (электронный курс)",
                'code': f'SCORM-{group.id}',
                'pass_grade': Decimal(60),
                'description': "Вводный модуль по охране труда в формате "
                "SCORM для самостоятельной работы.",
                'enrolments': [('create', [{'group': group.id}])],
                }])
    return course


def _institution(env, company, key, course, count):
    pool = env.pool
    Package = pool.get('copp.scorm.package')
    Lesson = pool.get('copp.course.lesson')
    Course = pool.get('copp.course')
    Participant = pool.get('copp.course.participant')
    Track = pool.get('copp.scorm.track')
    title, item, body = PACKAGES[key]
    with Transaction().set_context(company=company.id):
        # Unpacked on create, as when an author uploads the zip
        package, = Package.create([{
                    'company': company.id,
                    'name': title,
                    'zip_file': make_sample_package(title=title, item=item,
                        body=body, identifier=f'ru.copp.demo.{company.id}'),
                    'zip_filename': 'scorm-demo.zip',
                    }])
        sequence = max([l.sequence or 0 for l in course.lessons] or [0]) + 1
        lesson, = Lesson.create([{
                    'course': course.id,
                    'sequence': sequence,
                    'name': f"Интерактивный модуль: {item}",
                    'kind': 'scorm',
                    'scorm_package': package.id,
                    'weight': Decimal(1),
                    }])
        if course.state != 'published':
            Course.publish([course])
        else:
            Course.update_participants([course])
        participants = Participant.search([('course', '=', course.id)],
            order=[('id', 'ASC')], limit=len(SESSIONS))
        for number, (participant, session) in enumerate(
                zip(participants, SESSIONS)):
            status, raw, time, days, hour = session
            track = Track.commit(lesson, participant.party, {
                    'session': f'{company.id:08x}{number:08x}de00',
                    'finish': status != 'incomplete',
                    'lesson_status': status,
                    'lesson_location': 'page-2',
                    'score_raw': raw,
                    'score_min': '0' if raw else '',
                    'score_max': '100' if raw else '',
                    'session_time': time,
                    'exit': 'suspend' if status == 'incomplete' else '',
                    'suspend_data': f'visits=1;page={number + 2}',
                    })
            Track.write([track], {'last_commit': dt.datetime.combine(
                        env.today - dt.timedelta(days=days),
                        dt.time(hour, 15))})
            count['tracks'] += 1
        count['packages'] += 1
