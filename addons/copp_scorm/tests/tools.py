"""Helpers of the copp_scorm tests (also used by the browser test of the
whole course): the tiny SCORM 1.2 package of tests/data and zips made to
order."""
from pathlib import Path

from copp_scorm.sample import make_zip  # noqa: F401 (used by other tests)

DATA = Path(__file__).parent / 'data'
PACKAGE_FILES = ['imsmanifest.xml', 'index.html', 'sco.js', 'style.css']


def package_files(**replace):
    "{name: bytes} of the test package, some files replaced or added"
    files = {name: (DATA / name).read_bytes() for name in PACKAGE_FILES}
    files.update(replace)
    return files


def make_test_package(**replace):
    """The test SCORM 1.2 package (bytes of a zip): its SCO initialises the
    API, keeps suspend data, sets the score 80 of 0..100 and «passed»,
    commits and finishes"""
    return make_zip(package_files(**replace))


def manifest_text():
    return (DATA / 'imsmanifest.xml').read_text(encoding='utf-8')


# Data of the database tests ------------------------------------------------

class StorageMixin:
    """The unpacked packages of the test class go to a temporary folder
    (`[copp_scorm] storage`), removed at the end"""

    @classmethod
    def setUpClass(cls):
        import tempfile
        from trytond import config
        cls._scorm_storage = config.get('copp_scorm', 'storage',
            default=None)
        cls.storage = tempfile.mkdtemp(prefix='copp-scorm-storage-')
        if not config.has_section('copp_scorm'):
            config.add_section('copp_scorm')
        config.set('copp_scorm', 'storage', cls.storage)
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        import shutil
        from trytond import config
        super().tearDownClass()
        config.set('copp_scorm', 'storage', cls._scorm_storage or '')
        shutil.rmtree(cls.storage, ignore_errors=True)


def create_package(company, data=None, name="Охрана труда"):
    "A package of `company` (the test package by default), unpacked"
    from trytond.pool import Pool
    Package = Pool().get('copp.scorm.package')
    package, = Package.create([{
                'company': company.id,
                'name': name,
                'zip_file': data if data is not None else make_test_package(),
                'zip_filename': 'package.zip',
                }])
    return package


def scorm_setup():
    """Two colleges; college A's published course (its group ИСП-21 is
    enrolled) with a SCORM lesson and a text lesson; a course of college B
    (group ЭК-11) with its SCORM lesson. Returns a namespace."""
    import datetime as dt
    from decimal import Decimal
    from types import SimpleNamespace

    from trytond.pool import Pool
    from trytond.transaction import Transaction

    from copp_contingent.tests.tools import create_group
    from copp_event.tests.tools import create_college
    from copp_journal.tests.tools import create_students

    pool = Pool()
    Course = pool.get('copp.course')
    ns = SimpleNamespace()
    ns.college = create_college("Колледж А", "КА")
    ns.other_college = create_college("Колледж Б", "КБ")
    with Transaction().set_context(company=ns.college.id):
        ns.group = create_group(ns.college, 'ИСП-21', 2024, course=2)
        ns.students = create_students(ns.college, ns.group, [
                ("Иванов", "Иван"), ("Петрова", "Анна")])
    with Transaction().set_context(company=ns.other_college.id):
        ns.other_group = create_group(ns.other_college, 'ЭК-11', 2025)
        ns.other_students = create_students(ns.other_college,
            ns.other_group, [("Сидоров", "Олег")])
    ns.package = create_package(ns.college)
    ns.other_package = create_package(ns.other_college, name="Чужой пакет")

    def course(company, group, package, name):
        record, = Course.create([{
                    'company': company.id,
                    'name': name,
                    'pass_grade': Decimal(60),
                    'enrolments': [('create', [{'group': group.id}])],
                    'lessons': [('create', [{
                                    'name': "Вводный урок SCORM",
                                    'sequence': 1,
                                    'kind': 'scorm',
                                    'scorm_package': package.id,
                                    'weight': Decimal(1),
                                    }, {
                                    'name': "Текстовый урок",
                                    'sequence': 2,
                                    'kind': 'text',
                                    'content': '<p>Текст</p>',
                                    }, {
                                    'name': "Урок, который ещё не открыт",
                                    'sequence': 3,
                                    'kind': 'scorm',
                                    'scorm_package': package.id,
                                    'release_date': dt.date(2099, 1, 1),
                                    }])],
                    }])
        Course.publish([record])
        return record
    ns.course = course(ns.college, ns.group, ns.package, "Охрана труда")
    ns.other_course = course(ns.other_college, ns.other_group,
        ns.other_package, "Чужой курс")
    ns.lesson, ns.text_lesson, ns.locked_lesson = sorted(
        ns.course.lessons, key=lambda l: l.sequence)
    ns.other_lesson = sorted(ns.other_course.lessons,
        key=lambda l: l.sequence)[0]
    return ns


def payload(session='a' * 32, **values):
    "The values a player posts at LMSCommit"
    result = {
        'session': session,
        'finish': False,
        'lesson_status': 'incomplete',
        'lesson_location': '',
        'score_raw': '', 'score_min': '', 'score_max': '',
        'session_time': '',
        'exit': '',
        'suspend_data': '',
        }
    result.update(values)
    return result
