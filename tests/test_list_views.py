"""Every list (tree) view of our modules, as the server gives it to sao.

sao 8.0 has no date-time column in lists: a DateTime or Timestamp field
shown without widget="date" or widget="time" makes the list crash with
«ColumnFactory is not a constructor».  Such a field is shown as two columns,
as trytond's own ir/view/model_log_list.xml does.

The views and the field types come from the live server's pool
(ir.ui.view and fields_view_get): inherited views are applied and the
types of Function fields are the real ones.
"""
from xml.etree import ElementTree

import pytest

DATETIME_TYPES = {'datetime', 'timestamp'}
COLUMN_WIDGETS = {'date', 'time'}


def our_modules(rpc):
    modules = rpc('model.ir.module.search_read',
        [('state', '=', 'activated')], 0, None, None, ['name'])
    return {m['name'] for m in modules
        if m['name'] == 'copp' or m['name'].startswith('copp_')}


def list_views(rpc):
    """The base list views of our modules and those our modules extend:
    (id, model, file) sorted by file"""
    modules = sorted(our_modules(rpc))
    assert 'copp' in modules, modules
    ours = rpc('model.ir.ui.view.search_read',
        [('module', 'in', modules)], 0, None, None,
        ['model', 'type', 'inherit'])
    base_ids = {v['id'] for v in ours if v['type'] == 'tree'}
    base_ids |= {v['inherit'] for v in ours
        if v['inherit'] and not v['type']}
    views = rpc('model.ir.ui.view.read', sorted(base_ids),
        ['model', 'type', 'module', 'name'])
    return sorted(((v['id'], v['model'], f"{v['module']}/view/{v['name']}.xml")
            for v in views if v['type'] == 'tree'),
        key=lambda v: v[2])


def datetime_columns_without_widget(arch, fields):
    "Names of the date-time fields of the list shown without date/time"
    hits = []
    for node in ElementTree.fromstring(arch).iter('field'):
        name = node.get('name')
        type_ = fields.get(name, {}).get('type')
        if (type_ in DATETIME_TYPES
                and node.get('widget') not in COLUMN_WIDGETS):
            hits.append(name)
    return hits


@pytest.fixture(scope='module')
def rpc(live_server):
    return live_server.session()


@pytest.fixture(scope='module')
def views(rpc):
    return list_views(rpc)


def test_views_found(views):
    "The check sees the lists of every kind of our modules"
    models = {model for _, model, _ in views}
    for model in ['copp.student', 'copp.event.session',
            'copp.exchange_1c.message', 'copp.personal_data.log',
            'copp.survey.response']:
        assert model in models, model
    assert len(views) > 50, len(views)


def test_no_datetime_column_without_widget(rpc, views):
    bad = []
    checked = 0
    for view_id, model, path in views:
        result = rpc(f'model.{model}.fields_view_get',
            view_id, 'tree')
        checked += 1
        for name in datetime_columns_without_widget(
                result['arch'], result['fields']):
            bad.append(f"{path} ({model}): {name}")
    assert checked == len(views)
    assert not bad, (
        "Поля даты и времени в списках без widget=\"date\"/\"time\" "
        "(sao не открывает такой список; покажите поле двумя столбцами, "
        "как trytond ir/view/model_log_list.xml):\n" + '\n'.join(bad))


def test_check_detects_datetime_column():
    "The check itself: a date-time column without a widget is found"
    fields = {'start': {'type': 'datetime'}, 'stamp': {'type': 'timestamp'},
        'day': {'type': 'date'}}
    arch = ('<tree><field name="start"/><field name="stamp" widget="time"/>'
        '<field name="stamp"/><field name="day"/>'
        '<field name="start" widget="date"/></tree>')
    assert datetime_columns_without_widget(arch, fields) == ['start', 'stamp']
