"""Packages in the database (unpacking, refused zips with their Russian
messages, versions), the SCORM lesson kind, commits → tracks → the
lesson's progress (copp.course.progress)."""
import datetime as dt
import os
from decimal import Decimal

from trytond import config
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError
from trytond.pool import Pool
from trytond.tests.test_tryton import RouteTestCase, with_transaction
from trytond.transaction import Transaction

from copp_scorm import storage

from .tools import (
    StorageMixin, create_package, make_test_package, make_zip, manifest_text,
    package_files, payload, scorm_setup)

MB = 1024 * 1024


class ScormTestCase(StorageMixin, RouteTestCase):
    "SCORM packages, lessons and tracks"
    module = 'copp_scorm'
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        ns = scorm_setup()
        cls.ids = {
            'college': ns.college.id,
            'other_college': ns.other_college.id,
            'package': ns.package.id,
            'lesson': ns.lesson.id,
            'text_lesson': ns.text_lesson.id,
            'other_lesson': ns.other_lesson.id,
            'learner': ns.students[0].party.id,
            'learner2': ns.students[1].party.id,
            }

    def record(self, model, key):
        return Pool().get(model)(self.ids[key])

    # Packages --------------------------------------------------------------
    @with_transaction()
    def test_unpacked_on_upload(self):
        "The uploaded zip is unpacked into the storage, one folder a version"
        pool = Pool()
        Package = pool.get('copp.scorm.package')
        college = self.record('company.company', 'college')
        package = create_package(college)
        self.assertEqual(package.version, 1)
        self.assertEqual(package.title, "Охрана труда: вводный модуль")
        self.assertEqual(package.launch, 'index.html?mode=test')
        self.assertEqual(package.identifier, 'ru.copp.test.scorm12')
        self.assertEqual(package.file_count, 4)
        self.assertEqual(package.size,
            sum(len(v) for v in package_files().values()))
        self.assertEqual(package.launch_data, 'lang=ru')
        folder = package.unpacked_folder
        self.assertTrue(folder.startswith(self.storage + os.sep))
        self.assertRegex(folder, rf'/{package.id}/1-[0-9a-f]{{8}}$')
        self.assertEqual(sorted(os.listdir(folder)),
            ['imsmanifest.xml', 'index.html', 'sco.js', 'style.css'])
        self.assertIsNotNone(package.content_file('index.html'))
        self.assertIsNone(package.content_file('../1/index.html'))
        self.assertIsNone(package.content_file('missing.html'))
        # The button unpacks again as version 2; version 1 stays until
        # the commit (learners are served meanwhile)
        Package.unpack([package])
        self.assertEqual(package.version, 2)
        self.assertRegex(package.unpacked_folder, rf'/{package.id}/2-[0-9a-f]{{8}}$')
        self.assertTrue(os.path.isdir(folder))
        # A new zip replaces the files
        package.zip_file = make_test_package(**{
                'extra/page.html': '<p>ещё</p>'})
        package.save()
        self.assertEqual(package.version, 3)
        self.assertEqual(package.file_count, 5)
        new_folder = package.unpacked_folder
        self.assertTrue(os.path.isfile(os.path.join(new_folder, 'extra',
                    'page.html')))
        # The zip itself is kept in the filestore, not in the table
        self.assertTrue(package.zip_file_id)

    def test_folders_follow_the_transaction(self):
        "A rolled back unpacking leaves nothing; a committed one removes the old version"
        from trytond.tests.test_tryton import DB_NAME
        with Transaction().start(DB_NAME, 1) as transaction:
            package = create_package(
                self.record('company.company', 'college'), name="Версии")
            first = package.unpacked_folder
            package_id = package.id
            transaction.commit()
        self.assertTrue(os.path.isdir(first))
        with Transaction().start(DB_NAME, 1) as transaction:
            Package = Pool().get('copp.scorm.package')
            package = Package(package_id)
            Package.unpack([package])
            second = package.unpacked_folder
            self.assertTrue(os.path.isdir(second))
            transaction.rollback()
        self.assertFalse(os.path.exists(second))
        self.assertTrue(os.path.isdir(first))
        with Transaction().start(DB_NAME, 1) as transaction:
            Package = Pool().get('copp.scorm.package')
            package = Package(package_id)
            Package.unpack([package])
            third = package.unpacked_folder
            transaction.commit()
        self.assertTrue(os.path.isdir(third))
        self.assertFalse(os.path.exists(first))
        with Transaction().start(DB_NAME, 1) as transaction:
            Package = Pool().get('copp.scorm.package')
            Package.delete([Package(package_id)])
            transaction.commit()
        self.assertFalse(os.path.exists(os.path.dirname(third)))

    @with_transaction()
    def test_refused_packages(self):
        "Each unsafe or wrong zip is refused with its Russian message"
        college = self.record('company.company', 'college')
        no_manifest = package_files()
        del no_manifest['imsmanifest.xml']
        scorm2004 = manifest_text().replace(
            '<schemaversion>1.2</schemaversion>',
            '<schemaversion>2004 3rd Edition</schemaversion>')
        many = {f'p{i}.html': 'x' for i in range(30)}
        cases = [
            (make_zip(package_files(**{'media/zeros.bin': b'\0' * (8 * MB)})),
                "файл «media/zeros.bin» сжат в"),
            (make_zip(package_files(**many)),
                "в архиве 34 записей — больше допустимых 20"),
            (make_zip(package_files(**{'../x': 'evil'})),
                "запись «../x» выходит за пределы пакета"),
            (make_zip(package_files(**{'/etc/passwd': 'evil'})),
                "запись «/etc/passwd» задана абсолютным путём"),
            (make_zip(package_files(), symlinks={'link': '/etc/passwd'}),
                "запись «link» — символическая ссылка"),
            (make_zip(no_manifest),
                "в корне архива нет файла imsmanifest.xml"),
            (make_test_package(**{'imsmanifest.xml': scorm2004}),
                "не соответствует SCORM 1.2 (версия: 2004 3rd Edition)"),
            (b'not a zip', "не является zip-архивом"),
            ]
        config.set('copp_scorm', 'max_files', '20')
        self.addCleanup(config.set, 'copp_scorm', 'max_files', '')
        before = set(os.listdir(self.storage)) if os.path.isdir(
            self.storage) else set()
        for data, message in cases:
            with self.subTest(message=message):
                with self.assertRaises(UserError) as caught:
                    create_package(college, data, name="Плохой пакет")
                self.assertIn(message, caught.exception.message)
                self.assertIn("Пакет «Плохой пакет»",
                    caught.exception.message)
        self.assertEqual(self.package_folders(), self.package_folders())
        after = set(os.listdir(self.storage)) if os.path.isdir(
            self.storage) else set()
        self.assertEqual(after, before)

    def package_folders(self):
        result = []
        for top, folders, files in os.walk(self.storage):
            result.extend(os.path.join(top, f) for f in files)
        return sorted(result)

    @with_transaction()
    def test_zip_size_limit(self):
        "The stored zip's size is checked before it is read"
        config.set('copp_scorm', 'max_zip_size', '1')
        self.addCleanup(config.set, 'copp_scorm', 'max_zip_size', '')
        data = make_zip(package_files(**{'big.bin': os.urandom(MB + 10)}))
        with self.assertRaises(UserError) as caught:
            create_package(self.record('company.company', 'college'), data)
        self.assertIn("больше допустимых 1,0 МБ", caught.exception.message)

    # Lessons -------------------------------------------------------------
    @with_transaction()
    def test_lesson_kind(self):
        pool = Pool()
        Lesson = pool.get('copp.course.lesson')
        self.assertIn(('scorm', "SCORM package"), Lesson.kind.selection)
        lesson = self.record('copp.course.lesson', 'lesson')
        self.assertEqual(lesson.cabinet_url(), f'/cabinet/scorm/{lesson.id}')
        text = self.record('copp.course.lesson', 'text_lesson')
        self.assertEqual(text.cabinet_url(),
            f'/cabinet/courses/{text.course.id}/lessons/{text.id}')
        # A package of another college is refused
        other = create_package(
            self.record('company.company', 'other_college'), name="Чужой")
        with self.assertRaises(ValidationError) as caught:
            Lesson.write([lesson], {'scorm_package': other.id})
        self.assertIn("принадлежит другой организации",
            caught.exception.message)

    # Commits ---------------------------------------------------------------
    @with_transaction()
    def test_commit_records_progress(self):
        "A commit stores the track and records the lesson's progress"
        pool = Pool()
        Track = pool.get('copp.scorm.track')
        Progress = pool.get('copp.course.progress')
        lesson = self.record('copp.course.lesson', 'lesson')
        learner = self.record('party.party', 'learner')
        track = Track.commit(lesson, learner, payload(
                lesson_status='incomplete', lesson_location='page-1',
                suspend_data='visits=1', session_time='0000:00:30.00'))
        self.assertEqual(track.session_count, 1)
        self.assertEqual(track.entry, 'ab-initio')
        self.assertEqual(track.total_time, dt.timedelta(seconds=30))
        progress, = Progress.search([('lesson', '=', lesson.id),
                ('learner', '=', learner.id)])
        self.assertEqual(progress.state, 'in_progress')
        self.assertEqual(progress.time_spent, dt.timedelta(seconds=30))
        self.assertIsNone(progress.score)
        # The same session commits again with a longer time: replaced
        track = Track.commit(lesson, learner, payload(
                lesson_status='passed', score_raw='80', score_min='0',
                score_max='100', session_time='0000:01:30.00',
                exit='suspend', suspend_data='visits=1', finish=True))
        self.assertEqual(track.total_time, dt.timedelta(seconds=90))
        self.assertEqual(track.lesson_status, 'passed')
        self.assertEqual(track.score_raw, Decimal(80))
        progress = Progress(progress.id)
        self.assertEqual(progress.state, 'completed')
        self.assertEqual(progress.score, Decimal('80.00'))
        self.assertEqual(progress.time_spent, dt.timedelta(seconds=90))
        self.assertEqual(progress.attempts, 1)
        self.assertIsNotNone(progress.completed_date)
        # The next session resumes: entry, suspend data, time added
        _, values = Track.initial_values(lesson, learner)
        self.assertEqual(values['entry'], 'resume')
        self.assertEqual(values['suspend_data'], 'visits=1')
        self.assertEqual(values['lesson_location'], '')
        self.assertEqual(values['total_time'], '0000:01:30.00')
        self.assertEqual(values['score_raw'], '80')
        self.assertEqual(values['student_name'], 'Иванов, Иван')
        track = Track.commit(lesson, learner, payload(session='b' * 32,
                lesson_status='passed', score_raw='90', score_min='0',
                score_max='100', session_time='0000:00:10.50',
                suspend_data='visits=2'))
        self.assertEqual(track.session_count, 2)
        self.assertEqual(track.entry, 'resume')
        self.assertEqual(track.total_time,
            dt.timedelta(seconds=100, milliseconds=500))
        progress = Progress(progress.id)
        self.assertEqual(progress.score, Decimal('90.00'))
        self.assertEqual(progress.attempts, 2)
        self.assertEqual(progress.time_spent,
            dt.timedelta(seconds=100, milliseconds=500))
        self.assertEqual(Track.search_count([]), 1)

    @with_transaction()
    def test_commit_failed_and_scaled_score(self):
        pool = Pool()
        Track = pool.get('copp.scorm.track')
        Progress = pool.get('copp.course.progress')
        lesson = self.record('copp.course.lesson', 'lesson')
        learner = self.record('party.party', 'learner2')
        Track.commit(lesson, learner, payload(lesson_status='failed',
                score_raw='6', score_min='0', score_max='20'))
        progress, = Progress.search([('learner', '=', learner.id)])
        self.assertEqual(progress.state, 'failed')
        self.assertEqual(progress.score, Decimal('30.00'))

    @with_transaction()
    def test_mastery_score(self):
        "With adlcp:masteryscore the raw score decides passed or failed"
        pool = Pool()
        Track = pool.get('copp.scorm.track')
        Package = pool.get('copp.scorm.package')
        lesson = self.record('copp.course.lesson', 'lesson')
        learner = self.record('party.party', 'learner2')
        package = lesson.scorm_package
        package.zip_file = make_test_package(**{
                'imsmanifest.xml': manifest_text().replace(
                    '<adlcp:datafromlms>',
                    '<adlcp:masteryscore>85</adlcp:masteryscore>'
                    '<adlcp:datafromlms>')})
        package.save()
        self.assertEqual(Package(package.id).mastery_score, Decimal(85))
        track = Track.commit(lesson, learner, payload(
                lesson_status='passed', score_raw='80'))
        self.assertEqual(track.lesson_status, 'failed')
        _, values = Track.initial_values(lesson, learner)
        self.assertEqual(values['mastery_score'], '85')

    @with_transaction()
    def test_finish_without_status(self):
        "A SCO that finishes without a status is incomplete, not completed"
        pool = Pool()
        Track = pool.get('copp.scorm.track')
        Progress = pool.get('copp.course.progress')
        lesson = self.record('copp.course.lesson', 'lesson')
        learner = self.record('party.party', 'learner2')
        track = Track.commit(lesson, learner, payload(
                lesson_status='not attempted', finish=True))
        self.assertEqual(track.lesson_status, 'incomplete')
        progress, = Progress.search([('learner', '=', learner.id)])
        self.assertEqual(progress.state, 'in_progress')

    @with_transaction()
    def test_commit_refused(self):
        "Values outside SCORM 1.2 are refused with a Russian message"
        pool = Pool()
        Track = pool.get('copp.scorm.track')
        lesson = self.record('copp.course.lesson', 'lesson')
        learner = self.record('party.party', 'learner2')
        for values, message in [
                ({'lesson_status': 'done'}, "Статус урока «done»"),
                ({'score_raw': 'восемьдесят'},
                    "cmi.core.score.raw должен быть числом"),
                ({'session_time': '1:30'}, "не в формате ЧЧЧЧ:ММ:СС.СС"),
                ({'suspend_data': 'x' * 4097},
                    "cmi.suspend_data содержит 4097 символов"),
                ({'lesson_location': 'x' * 256},
                    "cmi.core.lesson_location содержит 256 символов"),
                ({'exit': 'quit'}, "Значение выхода «quit»"),
                ({'session': 'short'}, "Сеанс урока не определён"),
                ({'score_max': 100}, "cmi.core.score.max должен быть строкой"),
                ({'cmi.core.student_id': 'x'}, "неизвестный элемент"),
                ]:
            with self.subTest(values=str(values)[:60]):
                with self.assertRaises(UserError) as caught:
                    Track.commit(lesson, learner, payload(**values))
                self.assertIn(message, caught.exception.message)
        self.assertEqual(Track.search([('learner', '=', learner.id)]), [])

    # Access --------------------------------------------------------------
    @with_transaction()
    def test_other_college_sees_nothing(self):
        "A teacher of college B sees neither A's packages nor A's tracks"
        from trytond.transaction import check_access
        from trytond.model.exceptions import AccessError
        from copp.tests.tools import create_user
        pool = Pool()
        Package = pool.get('copp.scorm.package')
        Track = pool.get('copp.scorm.track')
        lesson = self.record('copp.course.lesson', 'lesson')
        learner = self.record('party.party', 'learner')
        track = Track.commit(lesson, learner, payload())
        other = self.record('company.company', 'other_college')
        user = create_user('teacher_b', [other], ['group_teacher'])
        with Transaction().set_user(user.id), check_access(), \
                Transaction().set_context(company=other.id,
                    companies=[other.id]):
            names = {p.name for p in Package.search([])}
            self.assertNotIn("Охрана труда", names)
            self.assertEqual(Track.search([]), [])
            with self.assertRaises(AccessError):
                Package.read([self.ids['package']], ['name'])
            with self.assertRaises(AccessError):
                Track.read([track.id], ['lesson_status'])

    def test_storage_root(self):
        "The storage follows the configuration, the data path by default"
        self.assertEqual(storage.root(), self.storage)
        config.set('copp_scorm', 'storage', '')
        try:
            self.assertEqual(storage.root(), os.path.join(os.path.abspath(
                        config.get('database', 'path')), 'scorm'))
        finally:
            config.set('copp_scorm', 'storage', self.storage)
        self.assertEqual(storage.relative_folder('copp', 7, 2, 'ab12'),
            'copp/7/2-ab12')
        self.assertEqual(storage.relative_folder(':memory:', 7, 2, 'ab12'),
            'memory/7/2-ab12')
        self.assertIsNone(storage.absolute('../../etc'))

    @with_transaction()
    def test_demo(self):
        "The demo: a package, a lesson and tracks for the ЦОПП, РКЭ, РЖК"
        from types import SimpleNamespace

        from copp_contingent.tests.tools import create_group
        from copp_course import demo as course_demo
        from copp_course.tests.tools import course_setup
        from copp_event.tests.tools import create_college
        from copp_journal.tests.tools import create_students

        from .. import demo
        pool = Pool()
        Cohort = pool.get('copp.training.cohort')
        Package = pool.get('copp.scorm.package')
        Track = pool.get('copp.scorm.track')
        Lesson = pool.get('copp.course.lesson')
        ns = course_setup()
        Cohort.write([ns.cohort], {'state': 'running'})
        counts = {}
        env = SimpleNamespace(pool=pool, today=dt.date(2025, 10, 20),
            count=counts.__setitem__)
        course_demo.populate(env)
        colleges = []
        for short, group_name in [('РКЭ', 'ЭЛ-21'), ('РЖК', 'ЖД-11')]:
            college = create_college(f"Колледж {short}", short)
            with Transaction().set_context(company=college.id):
                group = create_group(college, group_name, 2024)
                create_students(college, group, [
                        ("Иванов", "Иван"), ("Петрова", "Анна")])
            colleges.append(college)
        demo.populate(env)
        self.assertEqual(counts["Пакеты SCORM"], 3)
        for company in [ns.copp] + colleges:
            package, = Package.search([('company', '=', company.id)])
            self.assertEqual(package.version, 1)
            self.assertTrue(os.path.isfile(package.content_file(
                        'index.html')))
            self.assertTrue(package.unpacked_folder.startswith(
                    storage.root()))
            lesson, = Lesson.search([('scorm_package', '=', package.id)])
            self.assertEqual(lesson.course.state, 'published')
            tracks = Track.search([('company', '=', company.id)])
            self.assertGreaterEqual(len(tracks), 2)
            self.assertIn('passed', {t.lesson_status for t in tracks})
            for track in tracks:
                self.assertEqual(track.last_commit.date().year, 2025)
        # Nothing for the college that is neither РКЭ nor РЖК
        self.assertEqual(Package.search([('company', '=', ns.college.id)]),
            [])
