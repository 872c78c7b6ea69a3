"""The ready survey templates: the labor-market survey of the employers
(its answers feed the staffing-demand report), the survey of the graduates
and the satisfaction survey of an event.

`create_survey(kind, company)` builds a draft survey from a template; the
back-office wizard «Survey from a Template» and the demo data use it.
"""
import datetime as dt

from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import Button, StateAction, StateView, Wizard

TEMPLATES = [
    ('labor_market', "Labor Market: Staffing Demand of the Employers"),
    ('graduates', "Graduates: Employment and Satisfaction"),
    ('event_satisfaction', "Event Satisfaction"),
    ]


def _q(text, kind, required=False, options=(), rows=(), code=None,
        condition=None, **values):
    return dict(values, text=text, kind=kind, required=required,
        options=list(options), rows=list(rows), code=code,
        condition=condition)


def labor_market(year):
    return {
        'name': f"Потребность работодателей в кадрах на {year + 1}–"
        f"{year + 3} годы",
        'kind': 'labor_market',
        'audience': 'employers',
        'partner_portal': True,
        'anonymous': False,
        'reference_year': year,
        'description': (
            "Министерство образования Рязанской области и ЦОПП изучают "
            "потребность предприятий региона в рабочих кадрах и "
            "специалистах среднего звена. По ответам колледжи планируют "
            "приём и программы обучения. Заполнение займёт 10–15 минут; "
            "ответ можно сохранить и продолжить позже."),
        'thanks': ("Спасибо! Ответ вашей организации учтён в прогнозе "
            "потребности в кадрах региона."),
        'sections': [
            ("Об организации", None, [
                _q("Сколько человек работает в организации?", 'number',
                    True, code='staff', integer=True, min_value=0,
                    max_value=1000000),
                _q("Планируете ли вы принимать на работу выпускников "
                    "колледжей и техникумов в ближайшие три года?",
                    'single', True, ["Да", "Нет", "Пока не знаем"],
                    code='hiring'),
                ]),
            ("Потребность в кадрах", "Укажите профессии и специальности, "
                "по которым понадобятся работники в следующем году и всего "
                f"за три года ({year + 1}–{year + 3}, следующий год "
                "включительно).", [
                _q("Потребность в работниках по профессиям и "
                    "специальностям", 'demand', True, code='demand',
                    condition=('hiring', ["Да", "Пока не знаем"])),
                _q("Какие условия вы готовы предложить выпускникам?",
                    'multiple', False, ["Целевое обучение",
                        "Наставничество", "Жильё или компенсация аренды",
                        "Доплаты молодым специалистам",
                        "Гибкий график для обучающихся"],
                    code='conditions',
                    condition=('hiring', ["Да", "Пока не знаем"])),
                ]),
            ("Сотрудничество с колледжами", None, [
                _q("Какие формы сотрудничества с колледжами вам "
                    "интересны?", 'multiple', False, [
                        "Производственная практика", "Стажировки",
                        "Участие в демонстрационном экзамене",
                        "Ярмарки вакансий", "Преподавание специалистов "
                        "предприятия", "Оснащение мастерских"],
                    code='cooperation'),
                _q("Оцените подготовку выпускников колледжей, "
                    "которые у вас работают", 'scale', False,
                    code='quality'),
                _q("Каких компетенций не хватает выпускникам?", 'matrix',
                    False, ["Достаточно", "Нужно усилить",
                        "Критически не хватает"],
                    rows=["Профессиональные знания", "Практические навыки",
                        "Цифровые навыки", "Охрана труда",
                        "Работа в команде"], code='competencies'),
                _q("Предложения колледжам и ЦОПП", 'text', False,
                    code='comment', multiline=True, max_length=2000),
                ]),
            ],
        }


def graduates(year):
    return {
        'name': f"Трудоустройство выпускников {year} года",
        'kind': 'graduates',
        'audience': 'graduates',
        'anonymous': True,
        'public_link': True,
        'description': ("Опрос выпускников колледжей Рязанской области о "
            "трудоустройстве и качестве подготовки. Ответы анонимны."),
        'thanks': "Спасибо за ответ! Удачи в профессии.",
        'sections': [
            ("Работа", None, [
                _q("Чем вы сейчас заняты?", 'single', True, [
                        "Работаю по специальности",
                        "Работаю не по специальности",
                        "Продолжаю обучение", "Служу в армии",
                        "Ищу работу", "В отпуске по уходу за ребёнком"],
                    code='status'),
                _q("Когда вы вышли на работу?", 'date', False,
                    code='since', condition=('status', [
                            "Работаю по специальности",
                            "Работаю не по специальности"])),
                _q("Ваша заработная плата, руб. в месяц", 'number', False,
                    code='salary', integer=True, min_value=0,
                    max_value=1000000, condition=('status', [
                            "Работаю по специальности",
                            "Работаю не по специальности"])),
                _q("Почему вы работаете не по специальности?", 'text',
                    False, code='why', condition=('status', [
                            "Работаю не по специальности"])),
                ]),
            ("Обучение в колледже", None, [
                _q("Насколько вы довольны обучением в колледже?", 'scale',
                    True, code='satisfaction'),
                _q("Как колледж подготовил вас к работе?", 'matrix', False,
                    ["Хорошо", "Удовлетворительно", "Плохо"],
                    rows=["Теория", "Практика", "Работа на современном "
                        "оборудовании", "Помощь в трудоустройстве"],
                    code='preparation'),
                _q("Что бы вы изменили в обучении?", 'text', False,
                    code='comment', multiline=True),
                ]),
            ],
        }


def event_satisfaction(year):
    return {
        'name': "Оценка мероприятия участниками",
        'kind': 'event_satisfaction',
        'audience': 'public',
        'anonymous': True,
        'description': ("Спасибо, что были с нами! Оцените, пожалуйста, "
            "мероприятие: это займёт две минуты."),
        'thanks': "Спасибо! Ваша оценка поможет сделать мероприятия лучше.",
        'sections': [
            (None, None, [
                _q("Оцените мероприятие в целом", 'scale', True,
                    code='overall'),
                _q("Что вам понравилось?", 'multiple', False, [
                        "Программа", "Ведущие и мастера",
                        "Практические задания", "Организация",
                        "Место проведения"], code='liked'),
                _q("Помогло ли мероприятие с выбором профессии?", 'single',
                    False, ["Да", "Отчасти", "Нет", "Я уже выбрал(а)"],
                    code='choice'),
                _q("Порекомендуете ли вы мероприятия ЦОПП друзьям?",
                    'single', True, ["Да", "Нет"], code='recommend'),
                _q("Что можно улучшить?", 'text', False, code='comment',
                    multiline=True, max_length=1000),
                ]),
            ],
        }


BUILDERS = {
    'labor_market': labor_market,
    'graduates': graduates,
    'event_satisfaction': event_satisfaction,
    }


def create_survey(kind, company, year=None, **values):
    "A draft survey of `company` built from the template `kind`"
    pool = Pool()
    Survey = pool.get('copp.survey')
    Section = pool.get('copp.survey.section')
    Question = pool.get('copp.survey.question')
    year = year or dt.date.today().year
    spec = BUILDERS[kind](year)
    sections = spec.pop('sections')
    spec.update(values)
    survey, = Survey.create([dict(spec, company=company.id)])
    by_code, options = {}, {}
    conditions = []
    for section_index, (title, description, questions) in enumerate(
            sections, 1):
        section = None
        if title:
            section, = Section.create([{'survey': survey.id,
                        'name': title, 'description': description,
                        'sequence': section_index * 10}])
        for index, spec_q in enumerate(questions, 1):
            spec_q = dict(spec_q)
            option_texts = spec_q.pop('options')
            row_texts = spec_q.pop('rows')
            condition = spec_q.pop('condition')
            question, = Question.create([dict(spec_q,
                        survey=survey.id,
                        section=section.id if section else None,
                        sequence=section_index * 100 + index,
                        options=[('create', [{'text': t, 'sequence': i}
                                    for i, t in enumerate(option_texts)])],
                        rows=[('create', [{'text': t, 'sequence': i}
                                    for i, t in enumerate(row_texts)])])])
            by_code[question.code] = question
            options[question.code] = {o.text: o.id
                for o in question.options}
            if condition:
                conditions.append((question, condition))
    for question, (code, texts) in conditions:
        Question.write([question], {
                'condition_question': by_code[code].id,
                'condition_options': [('add', [options[code][t]
                            for t in texts])],
                })
    return survey


class FromTemplateStart(ModelView):
    "Survey from a Template"
    __name__ = 'copp.survey.from_template.start'
    __string__ = "Survey from a Template"

    template = fields.Selection(TEMPLATES, "Template", required=True)
    company = fields.Many2One('company.company', "Owner", required=True)
    year = fields.Integer("Year", required=True)

    @classmethod
    def default_template(cls):
        return 'labor_market'

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_year(cls):
        return dt.date.today().year


class FromTemplate(Wizard):
    "Survey from a Template"
    __name__ = 'copp.survey.from_template'

    start = StateView('copp.survey.from_template.start',
        'copp_survey.from_template_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Create", 'create_', 'tryton-ok', default=True),
            ])
    create_ = StateAction('copp_survey.act_survey')

    def do_create_(self, action):
        survey = create_survey(self.start.template, self.start.company,
            self.start.year)
        action['res_id'] = [survey.id]
        action['views'].reverse()  # open the form
        return action, {'res_id': [survey.id]}
