"""The formats without a database: Moodle's own fixtures imported, the
errors (naming the question and the line), the round trip of question
dicts of every kind, and the parser's safety"""
import io
import unittest
from decimal import Decimal as D
from pathlib import Path

from copp_question import gift, moodle_xml, spreadsheet
from copp_question.formats import FormatError, html_value

from .samples import all_kinds, normalized

FIXTURES = Path(__file__).parent / 'fixtures'


def fixture(name):
    return (FIXTURES / name).read_bytes()


def samples():
    questions = all_kinds()
    for q in questions:
        q['text'] = html_value(q['text'], 'html')
    return questions


class MoodleXMLTestCase(unittest.TestCase):

    def test_nested_categories(self):
        questions, categories, skipped = moodle_xml.parse(
            fixture('moodle_nested_categories_with_questions.xml'))
        self.assertEqual([(q['name'], q['kind'], q['category'])
                for q in questions], [
                ("Iota Question", 'truefalse', ['Iota']),
                ("Kappa Essay Question", 'essay', ['Iota', 'Kappa']),
                ("Kappa Question", 'truefalse', ['Iota', 'Kappa']),
                ("Lambda Question", 'truefalse',
                    ['Iota', 'Kappa', 'Lambda']),
                ("Mu Question", 'truefalse', ['Iota', 'Mu'])])
        self.assertEqual(categories[('Iota', 'Kappa')],
            "This is Kappa category for test")
        first = questions[0]
        self.assertEqual(first['text'], '<p>Testing Iota Question</p>')
        self.assertEqual([(a['text'], a['fraction'])
                for a in first['answers']], [('true', 1), ('false', 0)])
        self.assertEqual(first['line'], 15)
        self.assertEqual(questions[1]['text'],
            '<p>Testing Kappa Essay Question</p>', "plain text → HTML")

    def test_ordering_plugin(self):
        questions, _, _ = moodle_xml.parse(
            fixture('moodle_ordering_testimport.xml'))
        question, = questions
        self.assertEqual(question['kind'], 'ordering')
        self.assertEqual([a['text'] for a in question['answers']],
            ['Modular', 'Object', 'Oriented', 'Dynamic', 'Learning',
                'Environment'])
        self.assertIn('Modular Object Oriented',
            question['general_feedback'])

    def test_docs_examples(self):
        questions, _, _ = moodle_xml.parse(
            fixture('moodle_docs_examples.xml'))
        by_name = {q['name']: q for q in questions}
        self.assertEqual(by_name['Multichoice']['kind'], 'single')
        self.assertEqual(by_name['Multichoice']['text'],
            '<p>Choose the <b>correct</b> answer</p>')
        thirds = by_name['Thirds']
        self.assertEqual(thirds['kind'], 'multiple')
        self.assertEqual([a['fraction'] for a in thirds['answers']],
            [D('0.3333333')] * 3 + [-1])
        self.assertTrue(by_name['Shortanswer']['case_sensitive'])
        pi = by_name['Pi']
        self.assertEqual([(a['text'], a['fraction'], a['tolerance'])
                for a in pi['answers']],
            [('3.14', 1, D('0.01')), ('3', D('0.5'), D('0.2'))])
        self.assertEqual([(a['text'], a['match_text'])
                for a in by_name['Pairs']['answers']], [
                ("This is the 1st item in the 1st pair.",
                    "This is the 2nd item in the 1st pair."),
                ("This is the 1st item in the 2nd pair.",
                    "This is the 2nd item in the 2nd pair.")])

    def test_round_trip(self):
        questions = samples()
        back, _, _ = moodle_xml.parse(moodle_xml.export(questions))
        self.assertEqual([normalized(q) for q in back],
            [normalized(q) for q in questions])

    def test_html_cleaned(self):
        data = b'''<quiz><question type="essay"><name><text>X</text></name>
<questiontext format="html"><text><![CDATA[<p onclick="x()">Hi<script>alert(1)</script></p>]]></text></questiontext>
</question></quiz>'''
        question, = moodle_xml.parse(data)[0]
        self.assertEqual(question['text'], '<p>Hi</p>')

    def test_error_names_question_and_line(self):
        data = b'''<?xml version="1.0"?>
<quiz>
  <question type="multichoice">
    <name><text>Good</text></name>
    <answer fraction="100"><text>a</text></answer>
    <answer fraction="0"><text>b</text></answer>
  </question>
  <question type="multichoice">
    <name><text>Two right</text></name>
    <answer fraction="100"><text>a</text></answer>
    <answer fraction="100"><text>b</text></answer>
  </question>
</quiz>'''
        with self.assertRaises(FormatError) as cm:
            moodle_xml.parse(data)
        self.assertEqual(cm.exception.message, 'single_right')
        self.assertEqual(cm.exception.params['line'], 8)
        self.assertEqual(cm.exception.params['question'], "Two right")

    def test_errors(self):
        cases = [
            (b'<quiz><question type="multichoice">\n<name><text></text>'
                b'</name>\n<answer fraction="abc"><text>a</text></answer>'
                b'</question></quiz>', 'import_number', 3, '№ 1'),
            (b'<quiz>\n<question type="cloze"><name><text>C</text></name>'
                b'</question></quiz>', 'import_type', 2, 'C'),
            (b'<quiz>\n<question type="matching"><name><text>M</text>'
                b'</name><subquestion><text>a</text><answer><text>b</text>'
                b'</answer></subquestion></question></quiz>',
                'matching_pairs', 2, 'M'),
            (b'<quiz>\n<question>\n</quiz>', 'import_xml', 3, ''),
            ]
        for data, message, line, question in cases:
            with self.subTest(message=message):
                with self.assertRaises(FormatError) as cm:
                    moodle_xml.parse(data)
                self.assertEqual(cm.exception.message, message)
                self.assertEqual(cm.exception.params['line'], line)
                self.assertEqual(cm.exception.params['question'], question)

    def test_no_entities(self):
        "External entities are not resolved and a DTD is not loaded"
        data = b'''<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<quiz><question type="essay"><name><text>&xxe;</text></name>
<questiontext><text>x</text></questiontext></question></quiz>'''
        question, = moodle_xml.parse(data)[0]
        self.assertNotIn('root:', question['name'])
        self.assertNotIn('root:', question['text'])

    def test_description_skipped(self):
        data = b'''<quiz><question type="description"><name><text>D</text>
</name></question></quiz>'''
        self.assertEqual(moodle_xml.parse(data), ([], {}, 1))


class GIFTTestCase(unittest.TestCase):

    def test_moodle_fixture(self):
        questions, _, _ = gift.parse(fixture('moodle_questions.gift.txt'))
        kinds = [(q['name'], q['kind'], q['line']) for q in questions]
        self.assertEqual(kinds, [
                ('Q8', 'essay', 2),
                ('Moodle activities', 'matching', 5),
                ('Q2', 'single', 14),
                ('colours', 'multiple', 22),
                ('Q5', 'numeric', 31),
                ('Shortanswer', 'short', 34),
                ('Q1', 'truefalse', 41),
                ('2-08 TSL', 'truefalse', 46),
                ('2-08 TSL', 'truefalse', 49)])
        by_name = {q['name']: q for q in questions}
        matching = by_name['Moodle activities']
        self.assertEqual(matching['answers'][0]['text'],
            "An activity supporting asynchronous discussions.")
        self.assertEqual([a['match_text'] for a in matching['answers']],
            ['Forum', 'Choice', 'Database', 'Wiki', 'Chat'])
        self.assertEqual(matching['answers'][-1]['text'], '')
        colours = by_name['colours']
        self.assertEqual([(a['text'], a['fraction'], a['feedback'])
                for a in colours['answers']], [
                ('yellow', D('0.5'), 'right; good!'),
                ('red', -1, 'wrong'),
                ('off-beige', D('0.5'), 'right; good!'),
                ('blue', -1, 'wrong')])
        q5 = by_name['Q5']
        self.assertEqual([(a['text'], a['fraction'], a['tolerance'],
                    a['feedback']) for a in q5['answers']], [
                ('3', 1, 2, ''), ('*', 0, 0, 'Completely wrong')])
        short = by_name['Shortanswer']
        self.assertEqual([(a['text'], a['fraction'])
                for a in short['answers']],
            [('Frog', 1), ('Cat', D('0.5')), ('*', 0)])
        q1 = by_name['Q1']
        self.assertEqual([(a['text'], a['fraction'], a['feedback'])
                for a in q1['answers']], [
                ('true', 0, '42 is the Ultimate Answer.'),
                ('false', 1, 'You gave the right answer.')])
        self.assertIn("Hitchiker", q1['general_feedback'])

    def test_moodle_fixture_in_category(self):
        questions, categories, _ = gift.parse(
            fixture('moodle_questions_in_category.gift.txt'))
        self.assertEqual({tuple(q['category']) for q in questions},
            {('Default for New Features',)})
        greeting = questions[1]
        self.assertEqual(greeting['kind'], 'single')
        self.assertIn('href="http://demo.moodle.net/file.php/5/media/'
            'bonjour.mp3"', greeting['text'])
        self.assertIn('Listen to this greeting:', greeting['text'])
        acronym = questions[3]
        self.assertEqual(acronym['kind'], 'truefalse')
        self.assertNotIn('style', acronym['text'])

    def test_ordering_plugin(self):
        question, = gift.parse(
            fixture('moodle_ordering_testexport.gift.txt'))[0]
        self.assertEqual(question['kind'], 'ordering')
        self.assertEqual(len(question['answers']), 6)

    def test_syntax(self):
        text = '''$CATEGORY: $course$/top/Физика/Механика

::Скорость:: Единица скорости? {=м/с =метр в секунду}

::Пи::Число \\{пи\\}\\: {#3.14:0.01}

::Диапазон::От 1 до 5 {#1..5}

::Равно::2 \\= 2?{T}

::Нет::Земля плоская {F#Подумай#Верно}

::Пары::Соотнеси{=a -> b =c -> d}

::Эссе::Напишите\\nтекст{}
'''
        questions, categories, _ = gift.parse(text.encode())
        by_name = {q['name']: q for q in questions}
        self.assertEqual(by_name['Скорость']['kind'], 'short')
        self.assertEqual(by_name['Скорость']['category'],
            ['Физика', 'Механика'])
        self.assertEqual(by_name['Пи']['text'], '<p>Число {пи}:</p>')
        rng = by_name['Диапазон']['answers'][0]
        self.assertEqual((rng['text'], rng['tolerance']), ('3', 2))
        self.assertEqual(by_name['Равно']['text'], '<p>2 = 2?</p>')
        no = by_name['Нет']['answers']
        self.assertEqual([(a['text'], a['fraction'], a['feedback'])
                for a in no], [('true', 0, 'Подумай'),
                ('false', 1, 'Верно')])
        self.assertEqual(by_name['Пары']['kind'], 'matching')
        self.assertEqual(by_name['Эссе']['text'], '<p>Напишите<br>текст</p>')

    def test_round_trip(self):
        questions = samples()
        back, _, _ = gift.parse(gift.export(questions))
        self.assertEqual([normalized(q) for q in back],
            [normalized(q) for q in questions])

    def test_errors(self):
        cases = [
            ('::A::ok{T}\n\n// c\n::B::no braces here', 'gift_no_answers',
                4, 'B'),
            ('::A::ok{T}\n\n::B::\nline two\n{=a ~b\n', 'gift_unclosed',
                5, 'B'),
            ('::A::x{\n~%abc%a\n=b}', 'gift_weight', 1, 'A'),
            ('::A::x{#abc}', 'gift_number', 1, 'A'),
            ('::A::x{=a ~b ~c =d}', 'single_right', 1, 'A'),
            ('first {=a -> b}', 'matching_pairs', 1, 'first'),
            ('::Без конца:: x{T}', None, None, None),
            ('::A::ok{T}\n\n::Bad title x {T}', 'gift_title', 3, '№ 2'),
            ]
        for text, message, line, question in cases:
            with self.subTest(text=text):
                if message is None:
                    gift.parse(text.encode())
                    continue
                with self.assertRaises(FormatError) as cm:
                    gift.parse(text.encode())
                self.assertEqual(cm.exception.message, message)
                self.assertEqual(cm.exception.params['line'], line)
                self.assertEqual(cm.exception.params['question'], question)


class XlsxTestCase(unittest.TestCase):

    def test_round_trip(self):
        questions = samples()
        back, _, _ = spreadsheet.parse(spreadsheet.export(questions))
        self.assertEqual([normalized(q) for q in back],
            [normalized(q) for q in questions])

    def workbook(self, rows):
        from openpyxl import Workbook
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(spreadsheet.HEADER)
        for row in rows:
            sheet.append(row)
        output = io.BytesIO()
        workbook.save(output)
        return output.getvalue()

    def test_written_by_hand(self):
        data = self.workbook([
                ['Тема', 'Столица', 'Один ответ', 'Столица России?', None,
                    None, 'нет', None, 'Москва', 100],
                [None, None, None, None, None, None, None, None, 'Тула', 0],
                ['Тема', 'Пи', 'numeric', 'Пи?', 2, None, None, None,
                    '3,14', '100%', None, 0.01],
                ['', 'Эссе', 'Эссе', 'О себе'],
                ])
        questions, _, _ = spreadsheet.parse(data)
        self.assertEqual([(q['name'], q['kind'], len(q['answers']))
                for q in questions], [('Столица', 'single', 2),
                ('Пи', 'numeric', 1), ('Эссе', 'essay', 0)])
        self.assertEqual(questions[1]['default_mark'], 2)
        self.assertEqual(questions[1]['answers'][0]['tolerance'],
            D('0.01'))
        self.assertFalse(questions[0]['shuffle_answers'])

    def test_errors(self):
        cases = [
            ([['', 'Q', 'нечто']], 'import_type', 2, 'Q'),
            ([['', '', '', '', '', '', '', '', 'ответ', 100]],
                'xlsx_no_question', 2, ''),
            ([['', 'Q', 'single', '', '', '', '', '', 'a', 100],
                    ['', '', '', '', '', '', '', '', 'b', 'сто']],
                'import_number', 3, 'Q'),
            ([['', 'Q1', 'essay'], ['', 'Q2', 'single', '', '', '', '',
                        '', 'a', 50]], 'choice_count', 3, 'Q2'),
            ]
        for rows, message, line, question in cases:
            with self.subTest(message=message):
                with self.assertRaises(FormatError) as cm:
                    spreadsheet.parse(self.workbook(rows))
                self.assertEqual(cm.exception.message, message)
                self.assertEqual(cm.exception.params['line'], line)
                self.assertEqual(cm.exception.params['question'], question)

    def test_not_xlsx(self):
        with self.assertRaises(FormatError) as cm:
            spreadsheet.parse(b'not a workbook')
        self.assertEqual(cm.exception.message, 'import_xlsx')
