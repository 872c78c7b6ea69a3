"""The e-mail of a staff password reset (trytond's
res.user.email_reset_password) links to the configured address of the
server, never to the Host header of the request that asked for it
(`common.db.reset_password` needs no login: a forged Host would put
another site in the e-mail, issue 15 #4)."""
import urllib.parse

from trytond import config
from trytond.pool import PoolMeta


def server_url():
    """The address of the server for links: `[copp] portal_url` (the portals
    and the back office are served together), else `[web] listen`"""
    base = config.get('copp', 'portal_url', default='')
    if not base:
        listen = config.get('web', 'listen', default='localhost:8000')
        host, _, port = listen.rpartition(':')
        if host in {'', '0.0.0.0', '::', '[::]'}:
            host = 'localhost'
        base = f'http://{host}:{port}' if port else f'http://{listen}'
    return base.strip().rstrip('/')


class EmailResetPassword(metaclass=PoolMeta):
    __name__ = 'res.user.email_reset_password'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        base = server_url()
        context['http_host'] = base
        context['host'] = urllib.parse.urlsplit(base).netloc
        return context
