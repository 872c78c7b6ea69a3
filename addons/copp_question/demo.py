"""Demo data of copp_question (see copp.cli.demo): a small bank of every
kind of question for the ЦОПП and for each of the first colleges, brought
in through the GIFT import, as a teacher would bring it from Moodle."""
from trytond.transaction import Transaction

from .exchange import import_questions

BANK = '''$CATEGORY: $course$/top/Общие вопросы

// [mark:1] [shuffle:1] [usecase:0]
::Огнетушитель::[html]<p>Какой огнетушитель применяют для тушения
электроустановок под напряжением?</p>{
\t=Углекислотный (ОУ)#Верно: диоксид углерода не проводит ток.
\t~Водный (ОВ)#Вода проводит электрический ток.
\t~Воздушно-пенный (ОВП)#Пена проводит электрический ток.
}

::Средства защиты::[html]<p>Что относится к средствам индивидуальной
защиты?</p>{
\t~%50%Каска
\t~%50%Защитные очки
\t~%-100%Огнетушитель
}

::Инструктаж::[html]<p>Вводный инструктаж проводят до начала работы.</p>{T}

::Телефон::[html]<p>Единый номер вызова экстренных служб?</p>{=112 =%50%01}

::Напряжение::[html]<p>Безопасное напряжение переносного светильника в
особо опасных помещениях, В?</p>{#12:0}

$CATEGORY: $course$/top/Общие вопросы/Практика

::Знаки::[html]<p>Соотнесите цвет знака и его назначение.</p>{
\t=Красный -> запрещающий
\t=Жёлтый -> предупреждающий
\t=Синий -> предписывающий
\t= -> указательный
}

::Первая помощь::[html]<p>Расположите действия по порядку.</p>{>0 none
Убедиться в безопасности
Вызвать скорую помощь
Оказать первую помощь
}

::Случай::[html]<p>Опишите случай нарушения требований охраны труда и
как его можно было предотвратить.</p>{}
'''


def populate(env):
    pool = env.pool
    Company = pool.get('company.company')
    Category = pool.get('copp.question.category')
    copp = Company.search([('institution_kind', '=', 'copp')],
        order=[('id', 'ASC')], limit=1)
    colleges = Company.search([('institution_kind', '=', 'college')],
        order=[('id', 'ASC')], limit=2)
    count = 0
    for company in copp + colleges:
        with Transaction().set_context(company=company.id):
            root, = Category.create([{
                        'company': company.id,
                        'name': "Охрана труда",
                        'competencies': "Соблюдение требований охраны "
                        "труда\nОказание первой помощи",
                        }])
            questions, _, _ = import_questions(BANK.encode('utf-8'), 'gift',
                root)
            count += len(questions)
    env.count("Вопросы банка вопросов", count)
