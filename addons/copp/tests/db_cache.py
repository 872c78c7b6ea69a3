"""Test databases built on the nearest cached one.

trytond's test tools cache one database per list of activated modules
(DB_CACHE) and build a missing one from an empty database: ir, res, then
every module of the list with its dependencies. The suite's test classes
ask for some forty lists (a module, or a module with extras), nearly all
sharing copp, copp_portal, copp_contingent…, so a run on a fresh machine
installed the same modules again and again: most of its time.

`activate_module` below, put in place of trytond's by the root conftest.py,
starts a missing database from the largest database of this run whose
modules (with their dependencies) are a part of those asked for, in the same
language, and activates only the rest, as an upgrade of a production
database does. Found in the cache, a database is used as before."""
from trytond.modules import get_module_info
from trytond.tests import test_tryton

_trytond_activate_module = test_tryton.activate_module
# cache name → (modules with their dependencies, language), for the
# databases built or restored by this process
_known = {}


def closure(modules):
    "The modules and all they depend on"
    seen = set()
    stack = list(modules)
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        info = get_module_info(name) or {}
        stack.extend(info.get('depends', []))
    return frozenset(seen)


def cache_name(modules, lang):
    "The name trytond's activate_module caches `modules` under"
    name = '-'.join(modules)
    if lang != 'en':
        name += '--' + lang
    return name


def nearest_base(modules, lang):
    "The cache name of the largest known database below `modules`, or None"
    wanted = closure(modules)
    candidates = [(len(known), name) for name, (known, known_lang)
        in _known.items() if known_lang == lang and known < wanted]
    return max(candidates)[1] if candidates else None


def activate_module(modules, lang='en'):
    if isinstance(modules, str):
        modules = [modules]
    name = cache_name(modules, lang)
    if (test_tryton.DB_CACHE
            and not test_tryton.db_exist(test_tryton.DB_NAME)):
        if test_tryton.restore_db_cache(name):
            _known[name] = (closure(modules), lang)
            return
        base = nearest_base(modules, lang)
        if base is not None:
            # With the database there, trytond's activate_module activates
            # what is missing and caches the result under `name`.
            test_tryton.restore_db_cache(base)
    _trytond_activate_module(modules, lang=lang)
    _known[name] = (closure(modules), lang)


def install():
    "Put activate_module in place of trytond's (test classes and scenarios)"
    test_tryton.activate_module = activate_module
