"""Versions and restoration in the back office, through JSON-RPC of a live
server (issue 15, build 5): a registrar puts a mark and a student file back
as they were, an accountant finds a deleted contract among the deleted
records and restores it with its schedule, and the users of another college
neither see these versions nor restore them."""
import datetime as dt

import pytest

from tests.access_probe import client as rpc_client
from tests.conftest import ADMIN_PASSWORD

MOMENT = '%Y-%m-%d %H:%M:%S.%f'


def moment(value):
    "A datetime of JSON-RPC as the wizard's version key"
    return dt.datetime(value['year'], value['month'], value['day'],
        value['hour'], value['minute'], value['second'],
        value['microsecond']).strftime(MOMENT)


@pytest.fixture(scope='module')
def users(live_server):
    def client(login, password=None):
        return rpc_client(live_server.url, live_server.database, login,
            password or f'{login}-demo-2026')
    clients = {login: client(login)
        for login in ['uch1', 'uch2', 'buh1', 'buh2', 'prep1']}
    clients['admin'] = client('admin', ADMIN_PASSWORD)
    return clients


def college(users, short_name):
    return users['admin']('model.company.company.search',
        [('short_name', '=', short_name)], 0, 1, None)[0]


def restore_version(client, model, record_id, version):
    "«Восстановить версию» from the record, as the client would"
    context = {'active_model': model, 'active_id': record_id,
        'active_ids': [record_id]}
    session, start, _ = client('wizard.copp.history.restore.create',
        context=context)
    view = client('wizard.copp.history.restore.execute', session, {}, start,
        context=context)
    values = dict(view['view']['defaults'], version=version)
    answer = client.call('wizard.copp.history.restore.execute', session,
        {'start': values}, 'restore', context=context)
    client.call('wizard.copp.history.restore.delete', session,
        context=context)
    return answer


def deleted_records(client, model, since):
    "The «Удалённые записи» wizard: its session and the deleted records"
    session, start, _ = client('wizard.copp.history.deleted.create')
    client('wizard.copp.history.deleted.execute', session, {}, start)
    data = {'start': {'model': model, 'since': {'__class__': 'date',
                'year': since.year, 'month': since.month,
                'day': since.day}}}
    view = client('wizard.copp.history.deleted.execute', session, data,
        'list_')
    return session, data, view['view']['defaults']


def test_mark_and_student_versions_restored(users):
    "The registrar puts a mark and a student's file back"
    uch1 = users['uch1']
    admin = users['admin']
    a = college(users, 'РКЭ')
    mark, = admin('model.copp.journal.mark.search_read',
        [('company', '=', a)], 0, 1, [('lesson.date', 'DESC')], ['value'])
    before = mark['value']
    uch1('model.copp.journal.mark.write', [mark['id']],
        {'value': '2' if before != '2' else '3'})
    revisions = uch1('model.copp.journal.mark.history_revisions',
        [mark['id']])
    assert len(revisions) >= 2
    answer = restore_version(uch1, 'copp.journal.mark', mark['id'],
        moment(revisions[1][0]))
    assert 'error' not in answer, answer
    assert admin('model.copp.journal.mark.read', [mark['id']],
        ['value'])[0]['value'] == before

    student, = admin('model.copp.student.search_read', [('company', '=', a)],
        0, 1, [('id', 'ASC')], ['note'])
    uch1('model.copp.student.write', [student['id']],
        {'note': "Ошибочная запись"})
    revisions = uch1('model.copp.student.history_revisions',
        [student['id']])
    answer = restore_version(uch1, 'copp.student', student['id'],
        moment(revisions[1][0]))
    assert 'error' not in answer, answer
    assert admin('model.copp.student.read', [student['id']],
        ['note'])[0]['note'] == student['note']


def test_other_college_sees_no_versions(users):
    "Another college's registrar: no versions, no restoration"
    admin = users['admin']
    a = college(users, 'РКЭ')
    mark, = admin('model.copp.journal.mark.search',
        [('company', '=', a)], 0, 1, None)
    uch2 = users['uch2']
    answer = uch2.call('model.copp.journal.mark.history_revisions', [mark])
    assert answer['error'][0] == 'UserError'
    assert 'Оценка' in answer['error'][1][0]
    context = {'active_model': 'copp.journal.mark', 'active_id': mark,
        'active_ids': [mark]}
    answer = uch2.call('wizard.copp.history.restore.create', context=context)
    assert answer['error'][0] == 'UserError'
    # A teacher does not restore versions (the wizard is the
    # administration's)
    prep1 = users['prep1']
    answer = prep1.call('wizard.copp.history.restore.create',
        context=context)
    assert 'error' in answer


def test_deleted_contract_restored_with_schedule(users):
    """The accountant deletes a draft contract by mistake, finds it among
    the deleted records and restores it with its payment schedule; the
    other college's accountant neither lists nor restores it"""
    buh1, buh2, admin = users['buh1'], users['buh2'], users['admin']
    a = college(users, 'РКЭ')
    signed, = admin('model.copp.contract.search', [('company', '=', a)],
        0, 1, [('id', 'ASC')])
    draft, = buh1('model.copp.contract.copy', [signed], {})
    values, = buh1('model.copp.contract.read', [draft],
        ['number', 'total_amount', 'schedule'])
    schedule = sorted(values['schedule'])
    assert schedule, "the copy has a payment schedule"
    today = dt.date.today() - dt.timedelta(days=1)
    buh1('model.copp.contract.delete', [draft])
    assert admin('model.copp.contract.search', [('id', '=', draft)],
        0, None, None) == []

    # The other college: not listed, and a forged restoration is refused
    session, data, listed = deleted_records(buh2, 'copp.contract', today)
    assert draft not in [r['record'] for r in listed['records']]
    data['list_'] = {'model': 'copp.contract', 'records': [{
                'record': draft, 'selected': True}]}
    answer = buh2.call('wizard.copp.history.deleted.execute', session, data,
        'restore')
    assert answer['error'][0] == 'UserError', answer
    assert admin('model.copp.contract.search', [('id', '=', draft)],
        0, None, None) == []

    session, data, listed = deleted_records(buh1, 'copp.contract', today)
    records = {r['record']: r for r in listed['records']}
    assert draft in records
    assert records[draft]['deleted_by']
    data['list_'] = {'model': 'copp.contract', 'records': [
            dict(r, selected=(r['record'] == draft))
            for r in listed['records']]}
    answer = buh1.call('wizard.copp.history.deleted.execute', session, data,
        'restore')
    assert 'error' not in answer, answer
    restored, = buh1('model.copp.contract.read', [draft],
        ['number', 'total_amount', 'schedule'])
    assert restored['number'] == values['number']
    assert restored['total_amount'] == values['total_amount']
    assert sorted(restored['schedule']) == schedule
