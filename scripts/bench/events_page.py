#!/usr/bin/env python3
"""Benchmark of the public events pages /events under load.

    python scripts/bench/events_page.py --database <db> [options]

1. reads the published events of the database (the region demo has 100;
   nothing is added: an event needs sessions, a venue and an organizer,
   and the demo's are the realistic mix);
2. serves trytond's WSGI application on loopback with a multi-threaded
   server (gunicorn gthread workers by default, or werkzeug's threaded
   run_simple with --server werkzeug);
3. fires --clients (50) concurrent keep-alive HTTP clients for --duration
   seconds after a warm-up, on /events, then on a mix of the list with its
   filters and pages, the month calendar and the events' own pages;
4. prints p50 / p90 / p99 / max latency and the throughput of each, and of
   a bare WSGI page served the same way.

The goal (issue 21): p99 ≤ 100 ms with 50 clients and ≥ 0.3× the
throughput of the bare page measured in the same run. The server, the
clients and the report are those of scripts/bench/_load.py.

`copp bench events_page` runs the in-process variant (setup / measured /
baseline in one transaction): the median time of one /events request
through the WSGI application without the micro-cache of public pages (every
query and template runs) against the same queries in hand-written SQL.
"""
import datetime as dt
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
import _load  # noqa: E402

DESCRIPTION = ("одна страница /events через WSGI-приложение trytond без "
    "кэша публичных страниц против тех же запросов на SQL; нагрузочный "
    "вариант (50 клиентов, p99, доля от голой WSGI-страницы, список, "
    "календарь, страницы мероприятий): python scripts/bench/events_page.py "
    "--database <db>")
GOAL_SECONDS = 0.1
GOAL_SHARE = 0.3
PAGE_SIZE = 12


# The in-process variant for `copp bench events_page` -----------------------

def setup(ctx):
    return {'portal': _load.portal_client(ctx.settings.database)}


def measured(ctx, state):
    response = state['portal'].get('/events')
    assert response.status_code == 200, response.status


def baseline(ctx, state):
    """The queries of the page in SQL: the count and the first page of the
    coming published events with their sessions and organizers, and the
    organizers of the filter"""
    from sql import Table
    from sql.aggregate import Count

    now = dt.datetime.now()
    cursor = ctx.cursor
    event, session = Table('copp_event'), Table('copp_event_session')
    company, party = Table('company_company'), Table('party_party')
    coming = (event.end >= now) & (event.state == 'published')

    def rows(query):
        cursor.execute(*query)
        return cursor.fetchall()

    rows(event.select(Count(event.id), where=coming))
    page = rows(event.join(company, condition=company.id == event.company
            ).join(party, condition=party.id == company.party).select(
            event.id, event.name, event.kind, event.begin, event.end,
            event.venue_kind, event.capacity, party.name, where=coming,
            order_by=[event.begin.asc, event.id.asc], limit=PAGE_SIZE))
    rows(session.select(session.event, session.start, session.end,
            where=session.event.in_([r[0] for r in page] or [-1]),
            order_by=[session.start.asc]))
    organizers = rows(event.select(event.company,
            where=event.state.in_(['published', 'done']),
            group_by=[event.company]))
    rows(company.join(party, condition=party.id == company.party).select(
            company.id, party.name,
            where=company.id.in_([r[0] for r in organizers] or [-1])))


# Load -----------------------------------------------------------------------

def published(settings):
    "The published events' ids, organizers and months"
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    pool = Pool(settings.database)
    pool.init()
    with Transaction().start(settings.database, 0,
            context={'language': 'ru'}):
        Event = Pool().get('copp.event')
        events = Event.search([('state', 'in', ['published', 'done'])],
            order=[('begin', 'ASC')])
        return ([e.id for e in events],
            sorted({e.company.id for e in events}),
            sorted({f'{e.begin:%Y-%m}' for e in events if e.begin}))


def mixed_paths(events, organizers, months):
    paths = ['/events'] * 10
    paths += [f'/events?page={n}' for n in range(2, 5)]
    paths += ['/events?period=past', '/events?format=online',
        '/events?format=onsite', '/events?age=16',
        '/events?q=%D0%BF%D1%80%D0%BE%D1%84']  # проф
    paths += [f'/events?organizer={o}' for o in organizers[:5]]
    paths += ['/events/calendar'] + [f'/events/calendar?month={m}'
        for m in months[:4]]
    step = max(1, len(events) // 20)
    paths += [f'/events/{e}' for e in events[::step][:20]]
    return paths


def main(argv=None):
    parser = _load.arguments(__doc__.split('\n\n')[0], 'events', 0,
        "(unused: the events are the database's)")
    args = parser.parse_args(argv)
    settings, runtime = _load.settings_of(parser, args)
    events, organizers, months = published(settings)
    print(f"База «{settings.database}» ({settings.backend}): "
        f"опубликованных мероприятий {len(events)}, организаторов "
        f"{len(organizers)}", flush=True)
    if not events:
        print("Нет опубликованных мероприятий: загрузите демо-данные.")
        return 1
    results = _load.measure(args, settings, runtime, [
            ("/events", ['/events']),
            ("/events: фильтры, календарь, страницы",
                mixed_paths(events, organizers, months)),
            ])
    return 0 if _load.verdict(results, GOAL_SECONDS * 1000,
        GOAL_SHARE) else 1


if __name__ == '__main__':
    sys.exit(main())
