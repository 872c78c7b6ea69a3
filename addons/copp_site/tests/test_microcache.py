"""The micro-cache of the public pages on the catalogue /programs: a page
past its lifetime is answered from memory while one thread renders it
again (stale while revalidate); past the stale window it is rendered for
the visitor; a page rendered from data that changed meanwhile is not kept."""
import time
import unittest

from trytond import backend
from trytond.tests.test_tryton import DB_NAME, RouteTestCase

from copp_portal import microcache
from copp_portal.tests.tools import PortalClient, PortalTestMixin, text

MARKER = 'Страница из памяти: проверка устаревшего ответа'


def cached(path):
    "The micro-cache's key and entry of the anonymous page `path`"
    found = [(key, entry) for key, entry in microcache._microcache.items()
        if key[1] == path]
    assert len(found) == 1, list(microcache._microcache)
    return found[0]


class MicrocacheTestCase(PortalTestMixin, RouteTestCase):
    "Stale while revalidate"
    module = 'copp_site'
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        pass

    def expire(self, path, age):
        """Make the cached page `path` expired `age` seconds ago, with a
        marker in its body (to tell it from a page rendered again)"""
        key, (_, status, headers, body) = cached(path)
        body = body.replace('</main>'.encode(),
            f'<p>{MARKER}</p></main>'.encode())
        headers = [(k, str(len(body)) if k.lower() == 'content-length'
                else v) for k, v in headers]
        microcache._microcache[key] = (time.monotonic() - age, status,
            headers, body)
        return key

    @unittest.skipIf(backend.name == 'sqlite' and DB_NAME == ':memory:',
        "the page is rendered again in another thread, which does not see "
        "the in-memory SQLite database of the test's thread (runs on "
        "PostgreSQL and on a SQLite file)")
    def test_stale_answered_while_rendered_again(self):
        client = PortalClient()
        first = client.get('/programs')
        self.assertEqual(first.status_code, 200)
        self.expire('/programs', 1)

        stale = client.get('/programs')
        self.assertEqual(stale.status_code, 200)
        self.assertIn(MARKER, text(stale))
        self.assertTrue(microcache.wait_revalidated(timeout=60))
        _, (expires, *_) = cached('/programs')
        self.assertGreater(expires, time.monotonic())
        fresh = client.get('/programs')
        self.assertNotIn(MARKER, text(fresh))
        self.assertIn("Программы обучения", text(fresh))

    def test_too_old_rendered_for_the_visitor(self):
        client = PortalClient()
        client.get('/programs')
        self.expire('/programs', microcache.stale_seconds() + 1)
        response = client.get('/programs')
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(MARKER, text(response))
        self.assertTrue(microcache.wait_revalidated(timeout=60))

    def test_not_kept_when_data_changed_meanwhile(self):
        client = PortalClient()
        response = client.get('/programs')
        key, _ = cached('/programs')
        before = microcache.generation()
        microcache.invalidate_public_pages()
        microcache.store(key, response, before)
        self.assertNotIn(key, microcache._microcache)
        microcache.store(key, response, microcache.generation())
        self.assertIn(key, microcache._microcache)

    def test_signed_in_visitor_not_answered_from_memory(self):
        client = PortalClient()
        client.get('/programs')
        self.expire('/programs', -60)
        client.client.set_cookie('copp_session', 'x' * 32,
            domain='localhost')
        response = client.get('/programs')
        self.assertNotIn(MARKER, text(response))


del RouteTestCase
