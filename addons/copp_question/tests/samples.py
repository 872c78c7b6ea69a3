"""Questions of every kind as question dicts (structure.py), with the
characters the formats must escape, for the round-trip tests"""
from decimal import Decimal as D


def answer(text, fraction=0, feedback='', tolerance=None, match_text=''):
    return {'text': text, 'fraction': D(fraction), 'feedback': feedback,
        'tolerance': tolerance, 'match_text': match_text}


def question(name, kind, answers, category=('Банк', 'Раздел 1'), **values):
    data = {
        'name': name, 'kind': kind,
        'text': values.pop('text', '<p>Текст вопроса «%s» {a} = b ~ c '
            '# d : e \\ f &amp; g</p>' % name),
        'general_feedback': values.pop('general_feedback',
            '<p>Общий отзыв</p>'),
        'default_mark': values.pop('default_mark', D(1)),
        'shuffle_answers': values.pop('shuffle_answers', True),
        'case_sensitive': values.pop('case_sensitive', False),
        'category': list(category),
        'answers': answers,
        }
    data.update(values)
    return data


def all_kinds():
    third = D('0.3333333')
    return [
        question("Столица", 'single', [
                answer("Москва", 1, "Верно!"),
                answer("Рязань {не}", 0, "Нет: ~ = #"),
                answer("Тула", D('0.5'), "Почти")],
            default_mark=D(2)),
        question("Простые числа", 'multiple', [
                answer("2", third), answer("3", third),
                answer("5", third, "да"), answer("4", -1, "нет")],
            shuffle_answers=False),
        question("Земля круглая", 'truefalse', [
                answer("true", 1, "Правильно"),
                answer("false", 0, "Неправильно")],
            category=('Банк',)),
        question("Река", 'short', [
                answer("Ока", 1, "Да"), answer("О*а", D('0.5')),
                answer("*", 0, "Нет")], case_sensitive=True),
        question("Пи", 'numeric', [
                answer("3.14", 1, "Точно", tolerance=D('0.01')),
                answer("3", D('0.5'), "Грубо", tolerance=D('0.5')),
                answer("-2.5", D('0.1'), tolerance=D('0'))],
            default_mark=D('1.5')),
        question("Пары", 'matching', [
                answer("Кошка", match_text="мяу"),
                answer("Собака", match_text="гав"),
                answer("Корова", match_text="му"),
                answer("", match_text="кукареку")]),
        question("Порядок", 'ordering', [
                answer("Первый"), answer("Второй"), answer("Третий")],
            shuffle_answers=True),
        question("Сочинение", 'essay', [], category=()),
        ]


def normalized(data):
    "A question dict reduced to the fields the formats must keep"
    kind = data['kind']
    answers = []
    for a in data['answers']:
        answers.append((
                a.get('text') or '',
                D(a.get('fraction') or 0).normalize()
                if kind not in {'matching', 'ordering', 'essay'} else D(0),
                a.get('feedback') or ''
                if kind not in {'matching', 'ordering'} else '',
                D(a.get('tolerance') or 0).normalize()
                if kind == 'numeric' else None,
                a.get('match_text') or '' if kind == 'matching' else ''))
    return {
        'name': data['name'], 'kind': kind,
        'text': data.get('text') or '',
        'general_feedback': data.get('general_feedback') or '',
        'default_mark': D(data.get('default_mark') or 0).normalize(),
        'shuffle_answers': bool(data.get('shuffle_answers'))
        if kind in {'single', 'multiple', 'matching'} else None,
        'case_sensitive': bool(data.get('case_sensitive'))
        if kind == 'short' else None,
        'category': tuple(data.get('category') or ()),
        'answers': answers,
        }
