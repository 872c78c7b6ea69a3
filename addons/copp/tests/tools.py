"Helpers for the tests of every copp module"
from trytond.modules.company.tests import create_company
from trytond.pool import Pool


def create_college(name, short_name=None, kind='college'):
    "A company.company of the given institution kind"
    company = create_company(name)
    company.institution_kind = kind
    company.short_name = short_name or name
    company.save()
    return company


def create_user(login, companies, group_xml_ids, employer=None):
    """A back-office user with copp roles, employed by `employer` (default:
    the first company) and working with `companies` (all of them for the
    ministry and the ЦОПП)"""
    pool = Pool()
    User = pool.get('res.user')
    Party = pool.get('party.party')
    Employee = pool.get('company.employee')
    ModelData = pool.get('ir.model.data')
    employer = employer or companies[0]
    groups = []
    for xml_id in group_xml_ids:
        module, _, name = xml_id.rpartition('.')
        groups.append(ModelData.get_id(module or 'copp', name))
    party, = Party.create([{'name': login}])
    employee, = Employee.create([{'party': party.id, 'company': employer.id}])
    user = User(login=login, name=login, companies=list(companies),
        company=employer, employees=[employee], employee=employee,
        company_filter='all', groups=groups)
    user.save()
    return user


def activate_modules(modules, *setup, language='en'):
    """trytond.tests.tools.activate_modules for the scenarios, but a
    scenario with setup functions (create_company …) starts from the cached
    database of its modules alone, the one the module's ModuleTestCase
    makes (in the same language): a test run with cold caches installs each
    set of modules once, not once more per setup and per language"""
    from trytond.tests import tools
    from trytond.tests.test_tryton import (
        activate_module, backup_db_cache, drop_db, restore_db_cache)
    if isinstance(modules, str):
        modules = [modules]
    # A unittest class before may have left the database with connections
    # in this process's pool: PostgreSQL refuses to drop a database in use,
    # and restoring from the cache drops it without closing the pool.
    drop_db()
    if not setup and language == 'en':
        return tools.activate_modules(modules)
    name = '-'.join(sorted(modules))
    if language != 'en':
        name += '--' + language
    setup_name = '|'.join(tools._func_name(f) for f in setup)
    if setup_name and restore_db_cache(f'{name}--{setup_name}'):
        return tools._get_config()
    if language == 'en':
        config = tools.activate_modules(modules)
    else:
        activate_module(sorted(modules), lang=language)
        config = tools._get_config()
    for func in setup:
        func(config=config)
    if setup_name:
        backup_db_cache(f'{name}--{setup_name}')
    return config
