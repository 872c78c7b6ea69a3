"""Every graph view of our modules, as the server gives it to sao.

sao puts the raw value of a graph's x field on the axis and in the legend:
for a selection that is its key (`budget`, `master_class`).  So the x field
of our graphs is never a selection but a label field (copp.labels), whose
values in a Russian database are Russian words.
"""
import re
from xml.etree import ElementTree

CYRILLIC = re.compile('[А-Яа-яЁё]')
RAW_TYPES = {'selection', 'multiselection', 'reference'}
CONTEXT = {'language': 'ru'}


def rpc(server, method, *params):
    response = server.rpc(method, [*params, CONTEXT])
    assert 'error' not in response, response
    return response['result']


def graph_views(server):
    "(id, model, file, x field name, x field type) of our graph views"
    modules = rpc(server, 'model.ir.module.search_read',
        [('state', '=', 'activated'), ['OR', ('name', '=', 'copp'),
                ('name', 'like', 'copp_%')]], 0, None, None, ['name'])
    views = rpc(server, 'model.ir.ui.view.search_read',
        [('module', 'in', [m['name'] for m in modules]),
            ('type', '=', 'graph')], 0, None, None,
        ['model', 'module', 'name'])
    result = []
    for view in views:
        definition = rpc(server, f"model.{view['model']}.fields_view_get",
            view['id'], 'graph')
        x, = ElementTree.fromstring(definition['arch']).iter('x')
        name = x.find('field').get('name')
        result.append((view['id'], view['model'],
                f"{view['module']}/view/{view['name']}.xml", name,
                definition['fields'][name]['type']))
    return sorted(result, key=lambda v: v[2])


def test_graph_x_fields_are_words(live_server):
    "No graph of ours puts raw selection keys on its axis or legend"
    views = graph_views(live_server)
    assert len(views) >= 10, views
    raw = [(file, name, type_) for _, _, file, name, type_ in views
        if type_ in RAW_TYPES]
    assert not raw, raw


def test_graph_labels_in_russian(live_server):
    "The label fields of the graphs read Russian words from the demo data"
    labelled = [(model, file, name)
        for _, model, file, name, _ in graph_views(live_server)
        if name.endswith('_label')]
    assert {file for _, file, _ in labelled} >= {
        'copp/view/program_graph.xml',
        'copp_contingent/view/contingent_report_graph_form.xml',
        'copp_employer/view/training_order_graph.xml',
        'copp_event/view/event_graph.xml'}, labelled
    for model, file, name in labelled:
        rows = rpc(live_server, f'model.{model}.search_read', [], 0, 50,
            None, [name])
        values = {r[name] for r in rows if r[name]}
        assert values, (file, name)
        assert all(CYRILLIC.search(v) for v in values), (file, values)
