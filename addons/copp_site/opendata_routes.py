"""Open data on the public site: /opendata/ (the datasets, for people),
/opendata/list.csv (the registry) and /opendata/<identifier>/<file>.csv
(passports, data and structures). Every answer is a file the cron stored
(copp.opendata.file): nothing is computed on a request. Paths are checked
against their pattern before any query; an unknown path is a 404."""
import csv
import io
import re

from trytond.protocols.wrappers import Response

from copp_portal.portal import portal_route, register_menu

register_menu('public', '/opendata/', 'copp_site.msg_nav_opendata',
    sequence=90)

IDENTIFIER = re.compile(r'^\d{10}(\d\d)?-[a-z0-9]+(-[a-z0-9]+)*$')
FILE_NAME = re.compile(
    r'^(meta|structure-\d{8}|data-\d{8}-structure-\d{8})\.csv$')


def csv_response(record):
    response = Response(bytes(record.data),
        content_type='text/csv; charset=utf-8')
    response.headers['Content-Security-Policy'] = (
        "default-src 'none'; frame-ancestors 'none'")
    response.headers['Cache-Control'] = 'public, max-age=300'
    response.headers['Access-Control-Allow-Origin'] = '*'
    return response


def _rows(record):
    return list(csv.reader(io.StringIO(bytes(record.data).decode('utf-8'))))


@portal_route('/opendata/list.csv', model='copp.opendata.file',
    public_cache=True)
def opendata_list(portal):
    File = portal.pool.get('copp.opendata.file')
    record = File.get_file('list.csv')
    if record is None:
        portal.not_found()
    return csv_response(record)


@portal_route('/opendata/<identifier>/<name>', model='copp.opendata.file',
    public_cache=True)
def opendata_file(portal, identifier, name):
    if not IDENTIFIER.match(identifier) or not FILE_NAME.match(name):
        portal.not_found()
    File = portal.pool.get('copp.opendata.file')
    record = File.get_file(f'{identifier}/{name}')
    if record is None:
        portal.not_found()
    return csv_response(record)


@portal_route('/opendata/', model='copp.opendata.file', public_cache=True)
def opendata_page(portal):
    "The datasets as a page: title, passport, current data and structure"
    File = portal.pool.get('copp.opendata.file')
    registry = File.get_file('list.csv')
    datasets = []
    if registry is not None:
        for row in _rows(registry)[2:]:
            identifier = row[0]
            meta = File.get_file(f'{identifier}/meta.csv')
            if meta is None:
                continue
            properties = {}
            files = []
            for key, value, *_ in _rows(meta)[1:]:
                if key.startswith(('data-', 'structure-')):
                    files.append((key, value))
                else:
                    properties[key] = value
            data = next((k for k, _ in files if k.startswith('data-')), None)
            structure = ('structure-' + data.rsplit('-structure-', 1)[1]
                if data else None)
            datasets.append({
                    'identifier': identifier,
                    'title': properties.get('title', ''),
                    'description': properties.get('description', ''),
                    'modified': properties.get('modified', ''),
                    'meta': f'/opendata/{identifier}/meta.csv',
                    'data': f'/opendata/{identifier}/{data}.csv'
                    if data else None,
                    'structure': f'/opendata/{identifier}/{structure}.csv'
                    if structure else None,
                    })
    return portal.render('site/opendata.html', datasets=datasets,
        registry='/opendata/list.csv' if registry is not None else None)
