"""The Excel files of the back office, as a user gets them in the Russian
demo database: the file names and the sheet names are Russian.

Each wizard is run over JSON-RPC as sao runs it (the role's session and
preferences, the wizard's own defaults), then the workbook is opened.
"""
import base64
import io
import re

import openpyxl
import pytest

CYRILLIC = re.compile('[А-Яа-яЁё]')


def run_wizard(call, name, button=None, values=None, context=None):
    """The defaults of the view the wizard shows after `button` (or of its
    first view when there is no button)"""
    context = dict(call('model.res.user.get_preferences', True), **(
            context or {}))
    session, start, _ = call(f'wizard.{name}.create', context=context)
    view = call(f'wizard.{name}.execute', session, {}, start,
        context=context)['view']
    if button is None:
        return view['defaults']
    data = {k: v for k, v in view['defaults'].items() if '.' not in k}
    data.update(values or {})
    result = call(f'wizard.{name}.execute', session,
        {view['state']: data}, button, context=context)
    return result['view']['defaults']


def content(value):
    if isinstance(value, dict):
        return base64.b64decode(value['base64'])
    return value


def sheets(value):
    return openpyxl.load_workbook(io.BytesIO(content(value)),
        read_only=True).sheetnames


def demo_id(call, model, domain):
    ids = call(f'model.{model}.search', domain, 0, 1, None)
    assert ids, (model, domain)
    return ids[0]


@pytest.fixture(scope='module')
def sessions(live_server):
    return {login: live_server.session(login, f'{login}-demo-2026')
        for login in ['uch1', 'buh1', 'copp', 'minobr']}


def check(defaults, file='file', filename='filename', prefix=None):
    name = defaults[filename]
    assert name.endswith('.xlsx') and CYRILLIC.search(name), name
    if prefix:
        assert name.startswith(prefix), name
    names = sheets(defaults[file])
    assert all(CYRILLIC.search(s) for s in names), (name, names)
    return name, names


def test_contingent_export(sessions):
    name, names = check(run_wizard(sessions['uch1'],
            'copp.contingent.export', 'export'), prefix='контингент-')
    assert names == ['Контингент', 'По колледжам', 'СПО-1 (2.1)'], names


def test_import_templates(sessions):
    defaults = run_wizard(sessions['uch1'], 'copp.contingent.import')
    assert defaults['template_name'] == 'шаблон_студентов.xlsx'
    assert all(CYRILLIC.search(s) for s in sheets(defaults['template']))
    defaults = run_wizard(sessions['uch1'], 'copp.journal.curriculum.import')
    assert defaults['template_name'] == 'учебный_план_шаблон.xlsx'
    assert all(CYRILLIC.search(s) for s in sheets(defaults['template']))


def test_debtors(sessions):
    check(run_wizard(sessions['buh1'], 'copp.contract.debtors', 'make'),
        prefix='должники-')


def test_journal_reports(sessions):
    call = sessions['uch1']
    check(run_wizard(call, 'copp.journal.report.missed', 'export'),
        prefix='пропуски_')
    check(run_wizard(call, 'copp.journal.report.rates', 'export'),
        prefix='успеваемость_')
    group = demo_id(call, 'copp.study.group', [])
    check(run_wizard(call, 'copp.journal.report.journal', 'export',
            {'group': group}), prefix='журнал_')


def test_employment(sessions):
    check(run_wizard(sessions['minobr'],
            'copp.graduation.employment.export', 'make'),
        prefix='трудоустройство-')


def test_surveys(sessions):
    call = sessions['copp']
    survey = demo_id(call, 'copp.survey', [('kind', '=', 'labor_market'),
            ('state', '!=', 'draft')])
    check(run_wizard(call, 'copp.survey.export', 'export',
            {'survey': survey}), prefix='опрос-')
    check(run_wizard(call, 'copp.survey.demand.export', 'export',
            {'survey': survey}), prefix='потребность-в-кадрах-')


def test_course_monitoring(sessions):
    call = sessions['copp']
    course = demo_id(call, 'copp.course', [('state', '=', 'published')])
    name, names = check(run_wizard(call, 'copp.course.monitoring.export',
            'make', {'courses': [course]}), prefix='мониторинг-')
    assert names == ['По слушателям', 'По занятиям'], names
