"""Names shared by the portal framework: cookies, form fields, the login
page and the database of the deployment."""
from trytond import config

SESSION_COOKIE = 'copp_session'
CSRF_COOKIE = 'copp_csrf'
FLASH_COOKIE = 'copp_flash'
A11Y_COOKIE = 'copp_a11y'
CSRF_FIELD = 'csrf_token'
CSRF_HEADER = 'X-CSRF-Token'
LOGIN_URL = '/partner/login'
SAFE_METHODS = {'GET', 'HEAD', 'OPTIONS'}


def database_name():
    "The database of this deployment: portals never take it from the URL"
    return config.get('copp', 'database', default='copp')


def is_secure(request):
    return bool(request.is_secure
        or config.getboolean('copp', 'secure_cookies', default=False))

