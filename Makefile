# ГИС ЦОПП: the two commands of a fresh machine are `make run` and `make test`.
PYTHON ?= python3
PIP ?= $(PYTHON) -m pip
DB ?= copp
# Demo deployment only: a production admin password comes from the environment.
COPP_ADMIN_PASSWORD ?= admin-copp-2026
PG_URI ?= postgresql://postgres@127.0.0.1:5432/
export COPP_ADMIN_PASSWORD

.PHONY: run test install install-test sao demo serve test-sqlite test-postgresql bench clean

## Set everything up and run the system on SQLite with demo data.
## Each step says what it does; pip and npm show their progress.
run: install sao
	@echo "==> База данных «$(DB)»: создание и активация модулей (copp init)"
	copp -d $(DB) init --no-input
	@echo "==> Демо-данные (copp demo; в заполненной базе — только таблица пользователей)"
	copp -d $(DB) demo --scale small --if-empty
	@echo "Администратор: admin / $(COPP_ADMIN_PASSWORD)"
	@echo "==> Сервер (copp serve)"
	copp -d $(DB) serve

## Run all the tests on SQLite and on PostgreSQL, side by side (two cores;
## each backend's output is printed when it ends).
test: install-test sao
	$(MAKE) -j2 --output-sync=target test-sqlite test-postgresql

# What `make run` runs: the project and its runtime dependencies (pyproject).
install:
	@echo "==> Python-пакеты системы (pip install -e .)"
	$(PIP) install --disable-pip-version-check --progress-bar on -e .

# What the tests need besides: pytest, Playwright, … (the extra «test»).
install-test:
	@echo "==> Python-пакеты системы и тестов (pip install -e \".[test]\")"
	$(PIP) install --disable-pip-version-check --progress-bar on -e ".[test]"

sao:
	@echo "==> Веб-клиент sao (npm, в var/sao/)"
	bash scripts/install-sao.sh

# The test databases of each set of modules are kept between runs while
# addons/ does not change (scripts/test_cache.py).
TEST_CACHE ?= /var/tmp/copp-test-cache

test-sqlite:
	mkdir -p var/test-tmp
	env -u TRYTOND_DATABASE_URI -u TRYTOND_DATABASE__URI -u DB_NAME \
		DB_CACHE=$$($(PYTHON) scripts/test_cache.py sqlite-dir $(TEST_CACHE)) \
		$(PYTHON) -m pytest -q -p no:randomly --durations=25 --basetemp=var/test-tmp/sqlite

test-postgresql:
	mkdir -p var/test-tmp
	$(PYTHON) scripts/test_cache.py pg-prepare "$(PG_URI)"
	TRYTOND_DATABASE_URI=$(PG_URI) DB_CACHE=postgresql:// \
		DB_NAME=test_copp_$$$$ $(PYTHON) -m pytest -q -p no:randomly --durations=25 \
		--basetemp=var/test-tmp/postgresql; status=$$?; \
		$(PYTHON) scripts/test_cache.py pg-mark "$(PG_URI)"; exit $$status

bench:
	copp -d $(DB) bench

clean:
	rm -rf var/db var/test-cache var/test-tmp test-output
