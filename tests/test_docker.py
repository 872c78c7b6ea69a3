"""Docker-развёртывание (docker/): compose.yml, Dockerfile, entrypoint.sh.

Docker-движок для тестов не нужен: файлы разбираются статически.
"""
import configparser
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
DOCKER_DIR = REPO_ROOT / 'docker'
COMPOSE = DOCKER_DIR / 'compose.yml'
DOCKERFILE = DOCKER_DIR / 'Dockerfile'
DOCKERIGNORE = DOCKER_DIR / 'Dockerfile.dockerignore'
ENTRYPOINT = DOCKER_DIR / 'entrypoint.sh'
TRYTOND_CONF = DOCKER_DIR / 'trytond.conf'
ENV_EXAMPLE = DOCKER_DIR / '.env.example'

APP_SERVICES = ['server', 'cron', 'worker']
DATABASE = 'copp'

_VARIABLE = re.compile(
    r'\$\$|\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<default>[^}]*))?\}')


def interpolate(value):
    "Compose-подстановка ${VAR:-default} значениями по умолчанию"
    if isinstance(value, str):
        def replace(match):
            if match.group(0) == '$$':
                return '$'
            if match.group('op') in {':-', '-'}:
                return match.group('default')
            return ''
        return _VARIABLE.sub(replace, value)
    if isinstance(value, list):
        return [interpolate(v) for v in value]
    if isinstance(value, dict):
        return {k: interpolate(v) for k, v in value.items()}
    return value


def as_list(command):
    if command is None:
        return []
    if isinstance(command, str):
        return shlex.split(command)
    return [str(c) for c in command]


def environment(service):
    env = service.get('environment') or {}
    if isinstance(env, list):
        env = dict(item.split('=', 1) for item in env)
    return {k: '' if v is None else str(v) for k, v in env.items()}


@pytest.fixture(scope='module')
def raw_compose():
    with open(COMPOSE, encoding='utf-8') as fp:
        return yaml.safe_load(fp)


@pytest.fixture(scope='module')
def compose(raw_compose):
    return interpolate(raw_compose)


@pytest.fixture(scope='module')
def services(compose):
    return compose['services']


def dockerfile_instructions():
    "Инструкции Dockerfile: [(КОМАНДА, аргументы)] с учётом переносов строк"
    instructions, current = [], ''
    for line in DOCKERFILE.read_text(encoding='utf-8').splitlines():
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith('#')):
            continue
        if current and stripped.startswith('#'):
            continue
        if stripped.endswith('\\'):
            current += stripped[:-1] + ' '
            continue
        current += stripped
        keyword, _, args = current.partition(' ')
        instructions.append((keyword.upper(), args.strip()))
        current = ''
    assert not current, "Dockerfile оканчивается переносом строки"
    return instructions


def stages():
    "Стадии сборки: [(образ, имя, [(КОМАНДА, аргументы)])]"
    result = []
    for keyword, args in dockerfile_instructions():
        if keyword == 'FROM':
            match = re.fullmatch(
                r'(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?', args,
                re.IGNORECASE)
            assert match, args
            result.append((match.group(1), match.group(2), []))
        else:
            assert result, f"{keyword} до первого FROM"
            result[-1][2].append((keyword, args))
    return result


# --- compose.yml ---------------------------------------------------------------

def test_compose_services(services):
    assert {'postgres', *APP_SERVICES} <= set(services)


def test_compose_postgres(compose, services):
    postgres = services['postgres']
    assert postgres['image'].startswith('postgres:15')
    volumes = {}
    for volume in postgres.get('volumes', []):
        if isinstance(volume, dict):
            volumes[volume['target']] = volume['source']
        else:
            source, target = volume.split(':')[:2]
            volumes[target] = source
    source = volumes.get('/var/lib/postgresql/data')
    assert source, "нет тома для /var/lib/postgresql/data"
    assert not source.startswith(('.', '/', '~')), "нужен именованный том"
    assert source in (compose.get('volumes') or {})
    env = environment(postgres)
    assert {'POSTGRES_USER', 'POSTGRES_PASSWORD', 'POSTGRES_DB'} <= set(env)
    assert env['POSTGRES_DB'] == DATABASE
    healthcheck = ' '.join(as_list(postgres['healthcheck']['test']))
    assert 'pg_isready' in healthcheck
    assert postgres.get('restart')
    # As `copp init` sets it on a database it creates (copp.cli.database).
    assert 'jit=off' in ' '.join(as_list(postgres.get('command') or []))


def test_compose_app_services_share_image(services):
    builds = [services[name].get('build') for name in APP_SERVICES]
    images = [services[name].get('image') for name in APP_SERVICES]
    assert all(builds) or all(images)
    assert all(b == builds[0] for b in builds)
    assert all(i == images[0] for i in images)
    build = builds[0]
    if build:
        assert (COMPOSE.parent / build['context']).resolve() == REPO_ROOT
        assert (REPO_ROOT / build['dockerfile']).resolve() == DOCKERFILE


def test_compose_server_gunicorn(services):
    server = services['server']
    command = as_list(server['command'])
    assert 'gunicorn' in Path(command[0]).name
    assert 'trytond.application:app' in command
    assert '0.0.0.0:8000' in command
    ports = []
    for port in server['ports']:
        if isinstance(port, dict):
            ports.append(int(port['target']))
        else:
            ports.append(int(str(port).split(':')[-1].split('/')[0]))
    assert 8000 in ports


@pytest.mark.parametrize('name,program', [
        ('cron', 'trytond-cron'),
        ('worker', 'trytond-worker'),
        ])
def test_compose_cron_worker(services, name, program):
    command = as_list(services[name]['command'])
    assert Path(command[0]).name == program
    index = command.index('-d')
    assert command[index + 1] == DATABASE
    assert 'ports' not in services[name]


@pytest.mark.parametrize('name', APP_SERVICES)
def test_compose_app_environment(services, name):
    service = services[name]
    env = environment(service)
    uri = urlparse(env['TRYTOND_DATABASE__URI'])
    assert uri.scheme == 'postgresql'
    assert uri.hostname == 'postgres'
    assert uri.port in {None, 5432}
    assert uri.path in {'', '/'}, "имя базы задаётся не в URI"
    assert DATABASE in env['TRYTOND_DATABASE_NAMES'].split(',')
    assert env['TRYTOND_QUEUE__WORKER'].lower() in {'true', '1', 'yes', 'on'}
    assert env['TRYTOND_WEB__ROOT'] == '/opt/copp/var/sao/package'
    assert env['COPP_ADMIN_PASSWORD']
    # Каталог вложений trytond — на именованном томе.
    path = env['TRYTOND_DATABASE__PATH']
    targets = [
        (v['target'] if isinstance(v, dict) else v.split(':')[1])
        for v in service.get('volumes', [])]
    assert path in targets
    depends = service['depends_on']
    assert depends['postgres']['condition'] == 'service_healthy'
    assert service.get('restart')


def test_compose_shared_environment_extension(raw_compose, services):
    shared = raw_compose['x-copp-env']
    assert 'TRYTOND_DATABASE__URI' in shared
    assert raw_compose['x-copp-env']['COPP_ADMIN_PASSWORD'] == (
        '${COPP_ADMIN_PASSWORD:-change-me}')
    # Все три сервиса получают один и тот же набор (YAML-якорь).
    envs = [environment(services[name]) for name in APP_SERVICES]
    assert all(e == envs[0] for e in envs)


def test_compose_volumes_declared(compose, services):
    declared = set(compose.get('volumes') or {})
    for name, service in services.items():
        for volume in service.get('volumes', []):
            source = (volume['source'] if isinstance(volume, dict)
                else volume.split(':')[0])
            if not source.startswith(('.', '/', '~')):
                assert source in declared, f"{name}: том {source} не объявлен"


def test_env_example_documents_compose_variables(raw_compose):
    text = COMPOSE.read_text(encoding='utf-8')
    used = {m.group('name') for m in _VARIABLE.finditer(text)
        if m.group('name')}
    documented = set(re.findall(
            r'^#?\s*([A-Z][A-Z0-9_]*)=', ENV_EXAMPLE.read_text(
                encoding='utf-8'), re.MULTILINE))
    assert used <= documented, used - documented


def test_compose_config_cli():
    "docker compose config — если клиент compose доступен без движка"
    docker = shutil.which('docker')
    if not docker:
        pytest.skip("нет клиента docker")
    probe = subprocess.run([docker, 'compose', 'version'],
        capture_output=True, text=True)
    if probe.returncode:
        pytest.skip("нет плагина docker compose")
    result = subprocess.run(
        [docker, 'compose', '-f', str(COMPOSE), 'config', '--quiet'],
        capture_output=True, text=True, cwd=REPO_ROOT)
    assert result.returncode == 0, result.stderr


# --- Dockerfile -------------------------------------------------------------------

def test_dockerfile_stages():
    all_stages = stages()
    assert len(all_stages) >= 2
    node_stages = [s for s in all_stages if s[0].startswith('node:20')]
    assert node_stages, "sao собирается в стадии node:20"
    final_image, _, final = all_stages[-1]
    assert final_image.startswith('python:3.11')


def test_dockerfile_installs_project_with_pip():
    runs = [args for _, _, instr in stages() for keyword, args in instr
        if keyword == 'RUN']
    pattern = re.compile(r'pip install\b[^&;|]*\s\.(\s|$)')
    assert any(pattern.search(run) for run in runs)
    assert any('gunicorn' in run for run in runs if 'pip install' in run)


def test_dockerfile_builds_sao_in_node_stage():
    sao_stages = [(name, instr) for image, name, instr in stages()
        if image.startswith('node:')]
    name, instr = sao_stages[0]
    runs = ' '.join(args for keyword, args in instr if keyword == 'RUN')
    assert 'scripts/install-sao.sh' in runs
    copies = ' '.join(args for keyword, args in instr if keyword == 'COPY')
    assert 'scripts/install-sao.sh' in copies
    assert 'addons/copp/sao' in copies
    # В итоговый образ sao копируется из этой стадии.
    _, _, final = stages()[-1]
    assert any(keyword == 'COPY' and f'--from={name}' in args
        and args.rstrip().endswith('/opt/copp/var/sao/package')
        for keyword, args in final)


def test_dockerfile_runtime():
    _, _, final = stages()[-1]
    keywords = [keyword for keyword, _ in final]
    users = [args.split(':')[0] for keyword, args in final if keyword == 'USER']
    assert users and users[-1] not in {'root', '0'}, "нужен USER не root"
    exposed = ' '.join(args for keyword, args in final if keyword == 'EXPOSE')
    assert '8000' in exposed.split()
    assert 'ENTRYPOINT' in keywords
    entrypoint = [args for keyword, args in final if keyword == 'ENTRYPOINT'][-1]
    cmd = [args for keyword, args in final if keyword == 'CMD'][-1]
    assert 'entrypoint' in entrypoint
    assert 'gunicorn' in cmd and 'trytond.application:app' in cmd
    assert '--workers' in cmd and 'WEB_CONCURRENCY' in cmd
    assert '0.0.0.0:8000' in cmd and '--timeout 120' in cmd
    installs = ' '.join(args for keyword, args in final if keyword == 'RUN')
    assert 'libpq5' in installs
    # Файл copp.conf разработчика в образ не попадает: конфигурация — env.
    copies = ' '.join(args for keyword, args in final if keyword == 'COPY')
    assert 'copp.conf' not in copies


def test_dockerignore_keeps_build_sources():
    "Всё, что Dockerfile копирует из контекста, не исключено"
    patterns = [line.strip() for line in
        DOCKERIGNORE.read_text(encoding='utf-8').splitlines()
        if line.strip() and not line.startswith('#')]
    included = [p[1:].rstrip('/') for p in patterns if p.startswith('!')]
    for image, name, instr in stages():
        for keyword, args in instr:
            if keyword not in {'COPY', 'ADD'} or '--from=' in args:
                continue
            sources = [a for a in args.split() if not a.startswith('--')][:-1]
            for source in sources:
                source = source.rstrip('/')
                assert (REPO_ROOT / source).exists(), source
                assert any(source == inc or source.startswith(inc + '/')
                    for inc in included), f"{source} исключён из контекста"


def test_trytond_conf_leaves_deployment_to_env():
    "В trytond 8.0 файл перекрывает env: в нём нет того, что задаёт compose"
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(TRYTOND_CONF, encoding='utf-8')
    for section, option in [
            ('database', 'uri'), ('database', 'path'), ('queue', 'worker'),
            ('email', 'uri'), ('email', 'from'), ('copp', 'database')]:
        assert not parser.has_option(section, option), (section, option)
    assert not parser.has_section('web')
    assert parser.get('database', 'language') == 'ru'


# --- entrypoint.sh ------------------------------------------------------------------

def test_entrypoint_script():
    assert os.access(ENTRYPOINT, os.X_OK), "entrypoint.sh не исполняемый"
    text = ENTRYPOINT.read_text(encoding='utf-8')
    lines = text.splitlines()
    assert lines[0].startswith('#!') and 'sh' in lines[0]
    assert any(re.match(r'set -[a-z]*e', line) for line in lines)
    assert 'exec "$@"' in text
    assert 'copp init' in text or "'copp', 'init'" in text
    assert 'psycopg' in text


def test_entrypoint_git_mode():
    "Если файл уже в индексе git, у него режим 100755"
    if not shutil.which('git'):
        pytest.skip("нет git")
    result = subprocess.run(
        ['git', 'ls-files', '-s', '--', str(ENTRYPOINT.relative_to(REPO_ROOT))],
        capture_output=True, text=True, cwd=REPO_ROOT)
    if result.returncode or not result.stdout.strip():
        pytest.skip("entrypoint.sh ещё не в индексе git")
    assert result.stdout.split()[0] == '100755'


def test_entrypoint_syntax():
    bash = shutil.which('bash')
    if not bash:
        pytest.skip("нет bash")
    result = subprocess.run([bash, '-n', str(ENTRYPOINT)],
        capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_entrypoint_python_helper_compiles():
    "Встроенный Python-помощник entrypoint.sh синтаксически корректен"
    text = ENTRYPOINT.read_text(encoding='utf-8')
    match = re.search(r"<<'PY'\n(.*?)\nPY\n", text, re.DOTALL)
    assert match, "нет встроенного помощника на Python"
    compile(match.group(1), 'entrypoint.sh:python', 'exec')
