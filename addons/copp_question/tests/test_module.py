"""The question bank in a database: generic checks, validation messages,
grade_response, the round trip of every kind through the records, the
wizards (all or nothing) and the company rules"""
from decimal import Decimal as D
from pathlib import Path
from types import SimpleNamespace

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError
from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction, check_access

from copp.tests.tools import create_college, create_user
from copp_portal.tests.tools import check_sao_widgets

from .samples import all_kinds, normalized

FIXTURES = Path(__file__).parent / 'fixtures'


def create_question(category, data):
    "A copp.question of a question dict (structure.py)"
    pool = Pool()
    Question = pool.get('copp.question')
    question, = Question.create([{
                'company': category.company.id,
                'category': category.id,
                'name': data['name'], 'kind': data['kind'],
                'text': data['text'],
                'general_feedback': data['general_feedback'],
                'default_mark': data['default_mark'],
                'shuffle_answers': data['shuffle_answers'],
                'case_sensitive': data['case_sensitive'],
                'answers': [('create', [dict(a, sequence=i)
                            for i, a in enumerate(data['answers'], 1)])],
                }])
    return question


def bank(company):
    "Every kind of question in categories below «Банк»"
    pool = Pool()
    Category = pool.get('copp.question.category')
    root, = Category.create([{'name': "Банк", 'company': company.id}])
    section, = Category.create([{'name': "Раздел 1", 'parent': root.id,
                'company': company.id}])
    paths = {('Банк',): root, ('Банк', 'Раздел 1'): section, (): root}
    questions = []
    for data in all_kinds():
        questions.append(create_question(paths[tuple(data['category'])],
                data))
    return root, questions


def run_wizard(name, start, context=None):
    pool = Pool()
    Wizard = pool.get(name, type='wizard')
    with Transaction().set_context(context or {}):
        session_id, _, _ = Wizard.create()
        result = Wizard.execute(session_id, {'start': start},
            'import_' if name.endswith('import') else 'export')
        Wizard.delete(session_id)
    return result['view']['defaults']


class CoppQuestionTestCase(CompanyTestMixin, ModuleTestCase):
    "The question bank"
    module = 'copp_question'
    language = 'ru'

    @property
    def _skip_company_rule(self):
        # The optional companies of the modules below (their own tests).
        return super()._skip_company_rule | {
            ('copp.training.order', 'college')}

    @with_transaction()
    def test_sao_widgets(self):
        "Every field of the views has a widget of sao"
        check_sao_widgets(self, 'copp_question')

    @with_transaction()
    def test_validation_messages(self):
        "A broken question is refused with a Russian message naming it"
        pool = Pool()
        Category = pool.get('copp.question.category')
        Question = pool.get('copp.question')
        company = create_company()
        with set_company(company):
            category, = Category.create([{'name': "К"}])
            cases = [
                ('single', [{'text': 'a', 'fraction': 1},
                        {'text': 'b', 'fraction': 1}], "ровно один"),
                ('multiple', [{'text': 'a', 'fraction': D('0.5')},
                        {'text': 'b', 'fraction': 0}], "сумма"),
                ('truefalse', [{'text': 'true', 'fraction': 1}],
                    "«true» и «false»"),
                ('numeric', [{'text': 'три', 'fraction': 1}], "не число"),
                ('matching', [{'text': 'a', 'match_text': 'b'}],
                    "двух пар"),
                ('ordering', [{'text': 'a'}], "двух элементов"),
                ('essay', [{'text': 'a'}], "эссе"),
                ('single', [{'text': 'a', 'fraction': 2},
                        {'text': 'b', 'fraction': 1}], "от −1 до 1"),
                ]
            for kind, answers, text in cases:
                with self.subTest(kind=kind, text=text):
                    with self.assertRaises(ValidationError) as cm:
                        Question.create([{
                                    'category': category.id,
                                    'name': f"Вопрос {kind}",
                                    'kind': kind,
                                    'answers': [('create', answers)]}])
                    self.assertIn(f"«Вопрос {kind}»", cm.exception.message)
                    self.assertIn(text, cm.exception.message)

    @with_transaction()
    def test_text_sanitised(self):
        pool = Pool()
        Category = pool.get('copp.question.category')
        Question = pool.get('copp.question')
        company = create_company()
        with set_company(company):
            category, = Category.create([{'name': "К"}])
            question, = Question.create([{
                        'category': category.id, 'name': "Э",
                        'kind': 'essay',
                        'text': '<p onclick="x()">Да<script>alert(1)'
                        '</script></p>',
                        'general_feedback': 'a < b'}])
            self.assertEqual(question.text, '<p>Да</p>')
            self.assertEqual(question.general_feedback, '<p>a &lt; b</p>')
            Question.write([question], {'text': '<iframe src="x"></iframe>'
                    '<b>ok</b>'})
            self.assertEqual(question.text, '<b>ok</b>')

    @with_transaction()
    def test_grade_response(self):
        company = create_company()
        with set_company(company):
            _, questions = bank(company)
        by_kind = {q.kind: q for q in questions}
        single = by_kind['single']
        right = next(a for a in single.answers if a.fraction == 1)
        self.assertEqual(single.grade_response(right.id), 1)
        self.assertEqual(by_kind['truefalse'].grade_response(True), 1)
        self.assertEqual(by_kind['numeric'].grade_response('3,145'), 1)
        self.assertEqual(by_kind['short'].grade_response('Ока'), 1)
        self.assertEqual(by_kind['short'].grade_response('ока'), 0,
            "case-sensitive: only the * variant")
        ordering = by_kind['ordering']
        self.assertEqual(ordering.grade_response(
                [a.id for a in ordering.ordered_answers]), 1)
        matching = by_kind['matching']
        self.assertEqual(matching.grade_response({
                    str(a.id): a.id for a in matching.answers
                    if a.text}), 1)
        self.assertIsNone(by_kind['essay'].grade_response("текст"))

    @with_transaction()
    def test_round_trip(self):
        "Every kind exported and imported back is equal, in each format"
        pool = Pool()
        Category = pool.get('copp.question.category')
        Question = pool.get('copp.question')
        from copp_question.structure import question_values
        company = create_company()
        with set_company(company):
            root, questions = bank(company)
            expected = sorted((normalized(question_values(q))
                    for q in questions), key=lambda d: d['name'])
            for fmt in ['xml', 'gift', 'xlsx']:
                with self.subTest(fmt=fmt):
                    result = run_wizard('copp.question.export', {
                            'format': fmt, 'category': root.id,
                            'questions': []})
                    self.assertTrue(result['filename'].startswith(
                            'вопросы.'), result['filename'])
                    target, = Category.create([{'name': f"Импорт {fmt}"}])
                    imported = run_wizard('copp.question.import', {
                            'file': result['file'],
                            'filename': result['filename'],
                            'format': None, 'category': target.id})
                    self.assertEqual(imported['questions'], len(questions))
                    self.assertEqual(imported['categories'], 2
                        if fmt != 'xlsx' else 2)
                    back = Question.search([
                            ('category', 'child_of', [target.id],
                                'parent')])
                    got = sorted((normalized(question_values(q, target))
                            for q in back), key=lambda d: d['name'])
                    self.assertEqual(got, expected)

    @with_transaction()
    def test_import_fixture(self):
        "Moodle's own export: categories, descriptions and questions"
        pool = Pool()
        Category = pool.get('copp.question.category')
        company = create_company()
        with set_company(company):
            target, = Category.create([{'name': "Moodle"}])
            data = (FIXTURES
                / 'moodle_nested_categories_with_questions.xml').read_bytes()
            result = run_wizard('copp.question.import', {
                    'file': data, 'filename': 'export.xml',
                    'format': None, 'category': target.id})
            self.assertEqual((result['questions'], result['categories']),
                (5, 4))
            kappa, = Category.search([('name', '=', 'Kappa')])
            self.assertEqual(kappa.rec_name, "Moodle / Iota / Kappa")
            self.assertEqual(kappa.description,
                "This is Kappa category for test")
            self.assertEqual(len(kappa.questions), 2)
            self.assertEqual(kappa.company, company)

    @with_transaction()
    def test_import_all_or_nothing(self):
        "A bad question refuses the file: nothing is saved, the line named"
        pool = Pool()
        Category = pool.get('copp.question.category')
        Question = pool.get('copp.question')
        company = create_company()
        with set_company(company):
            target, = Category.create([{'name': "Цель"}])
            text = ('$CATEGORY: Новая\n\n::Хороший::Да?{T}\n\n'
                '::Плохой::Выберите\n{=a =b ~c}\n')
            with self.assertRaises(UserError) as cm:
                run_wizard('copp.question.import', {
                        'file': text.encode(), 'filename': 'q.gift',
                        'format': None, 'category': target.id})
            message = cm.exception.message
            self.assertIn("строка 6", message)
            self.assertIn("«Плохой»", message)
            self.assertIn("ровно один", message)
            self.assertEqual(Question.search([]), [])
            self.assertEqual(Category.search([('name', '=', 'Новая')]), [])
            with self.assertRaises(UserError) as cm:
                run_wizard('copp.question.import', {
                        'file': b'x', 'filename': 'q.doc',
                        'format': None, 'category': target.id})
            self.assertIn("q.doc", cm.exception.message)

    @with_transaction()
    def test_company_rule(self):
        "A college's teacher neither sees nor changes another's bank; the region reads it"
        pool = Pool()
        Category = pool.get('copp.question.category')
        Question = pool.get('copp.question')
        company_a, company_b = create_company("A"), create_company("B")
        with set_company(company_a):
            root, questions = bank(company_a)
        teacher = create_user('teacher_b', [company_b], ['group_teacher'])
        copp = create_user('copp_b', [company_b, company_a], ['group_copp'])
        minister = create_user('minister', [company_b, company_a],
            ['group_ministry'])
        with Transaction().set_user(teacher.id), Transaction().set_context(
                company=company_b.id), check_access():
            self.assertEqual(Question.search([]), [])
            self.assertEqual(Category.search([]), [])
            with self.assertRaises(AccessError):
                Question.read([questions[0].id], ['name'])
        # the region reads every bank it works with (the ЦОПП monitors
        # the colleges' quizzes) and writes none but its own
        for user in [minister, copp]:
            with self.subTest(user=user.login):
                with Transaction().set_user(user.id), \
                        Transaction().set_context(
                            company=company_b.id), check_access():
                    self.assertEqual(len(Question.search([])),
                        len(questions))
                    with self.assertRaises(AccessError):
                        Question.write([Question(questions[0].id)],
                            {'name': 'x'})
                    with self.assertRaises(AccessError):
                        Category.write([Category(root.id)], {'name': 'x'})
        with Transaction().set_user(teacher.id), Transaction().set_context(
                company=company_b.id), check_access():
            own, = Category.create([{'name': "Свой", 'company':
                        company_b.id}])
            result = run_wizard('copp.question.import', {
                    'file': b'::Q::?{T}', 'filename': 'q.txt',
                    'format': None, 'category': own.id})
            self.assertEqual(result['questions'], 1)

    @with_transaction()
    def test_demo(self):
        "The demo bank: every kind for the ЦОПП and two colleges"
        pool = Pool()
        Question = pool.get('copp.question')
        from copp_question import demo
        counts = []
        env = SimpleNamespace(pool=pool,
            count=lambda what, number: counts.append(number))
        copp = create_college("ЦОПП", kind='copp')
        colleges = [create_college(f"Колледж {n}") for n in range(3)]
        demo.populate(env)
        self.assertEqual(counts, [24])
        for company in [copp] + colleges[:2]:
            kinds = {q.kind for q in Question.search([
                        ('company', '=', company.id)])}
            self.assertEqual(len(kinds), 8)
        self.assertEqual(Question.search([
                    ('company', '=', colleges[2].id)]), [])


del ModuleTestCase
