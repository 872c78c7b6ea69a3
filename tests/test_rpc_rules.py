"""Record rules through the public interface: JSON-RPC of a live server.

A registrar of college РЖК (demo user uch2) must not read, search, count or
write the records of college РКЭ (uch1), while the ministry reads both.
"""
import pytest

from tests.conftest import ADMIN_PASSWORD


def call(server, login, method, *params):
    return server.rpc(method, list(params) + [{}], login=login,
        password=f'{login}-demo-2026')


def ids_of_college(server, model, short_name):
    result = server.rpc(f'model.{model}.search',
        [[('company.short_name', '=', short_name)], 0, None, None, {}],
        login='admin', password=ADMIN_PASSWORD)
    return result['result']


@pytest.fixture(scope='module')
def programs(live_server):
    return {c: ids_of_college(live_server, 'copp.program', c)
        for c in ['РКЭ', 'РЖК']}


def test_registrar_searches_only_own_college(live_server, programs):
    assert programs['РКЭ'] and programs['РЖК']
    result = call(live_server, 'admin2', 'model.copp.program.search_read',
        [], 0, None, None, ['company.short_name'])['result']
    assert {r['id'] for r in result} == set(programs['РЖК'])
    assert {r['company.']['short_name'] for r in result} == {'РЖК'}
    count = call(live_server, 'admin2', 'model.copp.program.search_count',
        [])['result']
    assert count == len(programs['РЖК'])
    # A domain naming the other college's record finds nothing.
    found = call(live_server, 'admin2', 'model.copp.program.search',
        [('id', 'in', programs['РКЭ'])], 0, None, None)['result']
    assert found == []


def test_registrar_cannot_read_other_college(live_server, programs):
    response = call(live_server, 'admin2', 'model.copp.program.read',
        programs['РКЭ'][:1], ['name'])
    kind, (message, *_) = response['error']
    assert kind == 'UserError'
    # The refusal names the record, in the user's language (Russian).
    assert f'«{programs["РКЭ"][0]}»' in message, message
    assert 'Программа' in message


def test_college_admin_cannot_write_other_college(live_server, programs):
    response = call(live_server, 'admin2', 'model.copp.program.write',
        programs['РКЭ'][:1], {'name': 'Взлом'})
    assert 'error' in response
    name = live_server.rpc('model.copp.program.read',
        [programs['РКЭ'][:1], ['name'], {}], login='admin',
        password=ADMIN_PASSWORD)['result'][0]['name']
    assert name != 'Взлом'
    # ... while its own college's program is writable.
    response = call(live_server, 'admin2', 'model.copp.program.write',
        programs['РЖК'][:1], {'description': 'Обновлено по RPC'})
    assert 'error' not in response, response


def test_ministry_reads_every_college_and_writes_none(live_server, programs):
    result = call(live_server, 'minobr', 'model.copp.program.search',
        [], 0, None, None)['result']
    assert set(programs['РКЭ']) | set(programs['РЖК']) <= set(result)
    response = call(live_server, 'minobr', 'model.copp.program.write',
        programs['РКЭ'][:1], {'name': 'Министерская правка'})
    assert 'error' in response
