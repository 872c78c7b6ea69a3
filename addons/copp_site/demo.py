"""Demo data of copp_site (see copp.cli.demo): who the published
programmes are for and what they require, news of the ЦОПП (most published,
one draft), and the open data files generated once (as the daily cron
would) when the ЦОПП has an ИНН."""
import datetime as dt

from copp_site.exceptions import OpenDataError

AUDIENCES = {
    'advanced': ['adults', 'teachers'],
    'retraining': ['adults', 'job_seekers', 'seniors'],
    'vocational': ['adults', 'students', 'job_seekers'],
    'short_school': ['schoolchildren'],
    'short_adult': ['adults', 'seniors'],
    'career_guidance': ['schoolchildren', 'students'],
    }
REQUIREMENTS = {
    'advanced': "Среднее профессиональное или высшее образование "
    "(или обучение по ним). Документы: паспорт, СНИЛС, диплом.",
    'retraining': "Среднее профессиональное или высшее образование "
    "(или обучение по ним). Документы: паспорт, СНИЛС, диплом; при смене "
    "фамилии — свидетельство о перемене имени.",
    'vocational': "Возраст от 18 лет (от 16 лет — с согласия родителей). "
    "Документы: паспорт, СНИЛС.",
    }
NEWS = [
    ("Открыт набор на программы «Содействия занятости»",
        "Бесплатное обучение для граждан 50+, безработных и ищущих работу: "
        "подайте заявку на сайте ЦОПП.", True, 2),
    ("ЦОПП провёл день открытых мастерских",
        "Более 300 школьников попробовали себя в сварке, робототехнике и "
        "поварском деле.", True, 9),
    ("Новые программы повышения квалификации для мастеров",
        "Программы по аддитивным технологиям и наставничеству на "
        "производстве.", True, 20),
    ("Итоги регионального чемпионата «Профессионалы»",
        "Студенты колледжей Рязанской области заняли призовые места в "
        "12 компетенциях.", True, 35),
    ("План мероприятий на следующий месяц", "Черновик новости.", False,
        0),
    ]
BODY = ("{summary}\n\nПодробности — в разделе «Программы» и по телефону "
    "ЦОПП. Заявку можно подать на странице программы; документы "
    "(паспорт, СНИЛС, диплом) прикладываются сканами.")


def populate(env):
    pool = env.pool
    Program = pool.get('copp.program')
    News = pool.get('copp.news')
    Company = pool.get('company.company')
    File = pool.get('copp.opendata.file')
    programs = Program.search([('state', '=', 'published')])
    for program in programs:
        program.audience = AUDIENCES.get(program.kind, ['adults'])
        program.requirements = REQUIREMENTS.get(program.kind)
    Program.save(programs)
    centers = Company.search([('institution_kind', '=', 'copp')], limit=1)
    if centers:
        News.create([{
                    'title': title, 'summary': summary,
                    'body': BODY.format(summary=summary),
                    'published': published,
                    'date': env.today - dt.timedelta(days=days),
                    'company': centers[0].id,
                    } for title, summary, published, days in NEWS])
        env.count("Новости сайта", len(NEWS))
    try:
        File.regenerate(env.today)
    except OpenDataError:
        if hasattr(env, 'add_note'):
            env.add_note("Открытые данные не сформированы: у ЦОПП нет ИНН.")
        return
    env.count("Файлы открытых данных", File.search_count([]))
