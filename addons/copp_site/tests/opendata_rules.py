"""The rules of the methodology of open data 3.0 (integrations.md §5),
checked on the files a server serves: on trytond's WSGI application through
the test client (test_site_http.py) and on a running server
(tests/browser/test_site.py).

`get(path)` answers (status, content type, body bytes) of a GET."""
import csv
import io
import re

STANDARD = 'http://opendata.gosmonitor.ru/standard/3.0'
YMD = re.compile(r'^\d{8}$')
PASSPORT = ['standardversion', 'identifier', 'title', 'description',
    'creator', 'created', 'modified', 'subject', 'format', 'provenance',
    'valid', 'publishername', 'publisherphone', 'publishermbox']
DATASETS = ['programs', 'cohorts', 'organizations']


def csv_rows(body):
    return list(csv.reader(io.StringIO(body.decode('utf-8'))))


def fetch_csv(get, path):
    "The rows of the CSV file `path`: UTF-8 without BOM, text/csv"
    status, content_type, body = get(path)
    assert status == 200, (path, status)
    assert content_type.startswith('text/csv'), (path, content_type)
    assert 'charset=utf-8' in content_type.lower(), (path, content_type)
    assert not body.startswith(b'\xef\xbb\xbf'), (path, "BOM")
    return csv_rows(body)


def check_opendata(get, inn):
    """Check the registry /opendata/list.csv and every dataset it lists;
    returns {identifier: {'fields': […], 'rows': […]}} of the data"""
    registry = fetch_csv(get, '/opendata/list.csv')
    assert registry[0] == ['property', 'title', 'value', 'format'], (
        registry[0])
    assert registry[1][0] == 'standardversion', registry[1]
    assert registry[1][2] == STANDARD, registry[1]
    identifiers = [r[0] for r in registry[2:]]
    for name in DATASETS:
        assert f'{inn}-{name}' in identifiers, identifiers
    datasets = {}
    for identifier, title, url, format_ in registry[2:]:
        assert re.match(rf'^{inn}-[a-z0-9-]+$', identifier), identifier
        assert title, identifier
        assert format_ == 'csv', (identifier, format_)
        assert url.endswith(f'/opendata/{identifier}/meta.csv'), url
        datasets[identifier] = check_dataset(get, identifier)
    return datasets


def check_dataset(get, identifier):
    "The passport, the structure and the data of one dataset"
    meta = fetch_csv(get, f'/opendata/{identifier}/meta.csv')
    assert meta[0] == ['property', 'value'], meta[0]
    properties = [r[0] for r in meta[1:]]
    assert properties[:len(PASSPORT)] == PASSPORT, properties
    for key in properties[len(PASSPORT):]:
        assert re.match(r'^(data-\d{8}-structure-\d{8}|structure-\d{8})$',
            key), key
    values = dict(r for r in meta[1:])
    assert values['identifier'] == identifier, values
    assert values['format'] == 'csv', values
    for key in ['created', 'modified', 'valid']:
        assert YMD.match(values[key]), (key, values[key])
    data = [k for k in properties if k.startswith('data-')]
    structures = [k for k in properties if k.startswith('structure-')]
    assert data and structures, properties
    for key in data:
        assert f"structure-{key.rsplit('-', 1)[1]}" in structures, key
    structure = fetch_csv(get, f'/opendata/{identifier}/{structures[0]}.csv')
    assert structure[0] == ['field name', 'english description',
        'russian description', 'format'], structure[0]
    fields = [r[0] for r in structure[1:]]
    assert all(re.match(r'^[a-z][a-z0-9_]*$', f) for f in fields), fields
    rows = fetch_csv(get, f'/opendata/{identifier}/{data[0]}.csv')
    assert rows[0] == fields, (rows[0], fields)
    assert all(len(r) == len(fields) for r in rows), identifier
    assert values[data[0]].rsplit('/', 1)[-1] == f'{data[0]}.csv', values
    return {'fields': fields, 'rows': rows[1:]}
