"""What sao and the browser ask for on every load of the back office is
served from the web root (scripts/install-sao.sh puts it there): the
optional custom.css, the locale of the browser's language (ru-RU asks
locale/ru_RU.json first) and the tab icon. A missing file fell through to
trytond's routes and answered 405 on each load."""
import subprocess
from pathlib import Path

import pytest
from werkzeug.test import Client
from werkzeug.wrappers import Response

from trytond.wsgi import SharedDataMiddlewareIndex

REPO_ROOT = Path(__file__).resolve().parent.parent
SAO_DIR = REPO_ROOT / 'var' / 'sao' / 'package'

pytestmark = pytest.mark.skipif(not (SAO_DIR / 'index.html').exists(),
    reason=f'sao is not installed in {SAO_DIR}: run scripts/install-sao.sh')


def not_allowed(environ, start_response):
    "trytond's answer for a path no route takes with GET"
    return Response('Method Not Allowed', status=405)(
        environ, start_response)


@pytest.fixture(scope='module')
def web_root():
    # The script is idempotent: with sao installed it only copies our files.
    subprocess.run(['bash', str(REPO_ROOT / 'scripts' / 'install-sao.sh')],
        check=True, capture_output=True)
    return Client(SharedDataMiddlewareIndex(not_allowed, {'/': str(SAO_DIR)}))


@pytest.mark.parametrize('path, content_type', [
        ('/custom.css', 'text/css'),
        ('/custom.js', 'text/javascript'),
        ('/locale/ru_RU.json', 'application/json'),
        ('/locale/ru.json', 'application/json'),
        ('/favicon.ico', 'image/'),
        ])
def test_served(web_root, path, content_type):
    response = web_root.get(path)
    assert response.status_code == 200, path
    assert response.headers['Content-Type'].startswith(content_type), (
        response.headers['Content-Type'])


def test_russian_locale_of_the_browser(web_root):
    "ru_RU.json is our Russian translation, not sao's own"
    ours = (REPO_ROOT / 'addons' / 'copp' / 'sao' / 'ru.json').read_bytes()
    assert web_root.get('/locale/ru_RU.json').data == ours


def test_favicon_is_an_icon(web_root):
    data = web_root.get('/favicon.ico').data
    assert data[:4] == b'\x00\x00\x01\x00'  # ICO header, one image
    assert b'PNG' in data[:64]
