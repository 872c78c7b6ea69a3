"Helpers for the tests of copp_survey"
from trytond.pool import Pool


def survey_with_all_kinds(company, **values):
    """An open survey with one question of every kind; «Почему?» (text,
    required) is shown only when «Работаете?» is «Нет»"""
    pool = Pool()
    Survey = pool.get('copp.survey')
    Section = pool.get('copp.survey.section')
    Question = pool.get('copp.survey.question')
    survey, = Survey.create([dict({
                    'name': "Проверочный опрос", 'company': company.id,
                    'audience': 'public', 'public_link': True,
                    }, **values)])
    first, second = Section.create([
            {'survey': survey.id, 'name': "Первый шаг", 'sequence': 1},
            {'survey': survey.id, 'name': "Второй шаг", 'sequence': 2}])

    def option_values(texts):
        return [('create', [{'text': t, 'sequence': i}
                    for i, t in enumerate(texts)])]
    questions = Question.create([
            {'survey': survey.id, 'section': first.id, 'sequence': 1,
                'text': "Работаете?", 'kind': 'single', 'required': True,
                'code': 'works', 'options': option_values(["Да", "Нет"])},
            {'survey': survey.id, 'section': first.id, 'sequence': 2,
                'text': "Почему?", 'kind': 'text', 'required': True,
                'code': 'why', 'max_length': 50},
            {'survey': survey.id, 'section': first.id, 'sequence': 3,
                'text': "Что важно?", 'kind': 'multiple',
                'code': 'important',
                'options': option_values(["Зарплата", "График", "Коллектив"])},
            {'survey': survey.id, 'section': first.id, 'sequence': 4,
                'text': "Возраст", 'kind': 'number', 'integer': True,
                'min_value': 14, 'max_value': 100, 'code': 'age'},
            {'survey': survey.id, 'section': second.id, 'sequence': 5,
                'text': "Оценка", 'kind': 'scale', 'required': True,
                'code': 'score'},
            {'survey': survey.id, 'section': second.id, 'sequence': 6,
                'text': "Дата выпуска", 'kind': 'date', 'code': 'date'},
            {'survey': survey.id, 'section': second.id, 'sequence': 7,
                'text': "Подготовка", 'kind': 'matrix', 'required': True,
                'code': 'matrix',
                'options': option_values(["Хорошо", "Плохо"]),
                'rows': [('create', [{'text': "Теория", 'sequence': 1},
                            {'text': "Практика", 'sequence': 2}])]},
            ])
    by_code = {q.code: q for q in questions}
    Question.write([by_code['why']], {
            'condition_question': by_code['works'].id,
            'condition_options': [('add', [
                        by_code['works'].options[1].id])],
            })
    Survey.open([survey])
    return survey, by_code


def option(question, text):
    for o in question.options:
        if o.text == text:
            return o
    raise KeyError(text)
