#!/usr/bin/env bash
# Устанавливает веб-клиент Tryton sao из npm в var/sao/ репозитория
# и накладывает поверх него нашу русскую локализацию (addons/copp/sao/).
#
# Скрипт идемпотентен: если sao нужной версии уже установлен, повторно
# он не скачивается, но перевод и custom.css/custom.js копируются всегда,
# так что после правки перевода достаточно запустить скрипт ещё раз.
set -euo pipefail

SAO_VERSION="${SAO_VERSION:-8.0.11}"
SAO_NPM_PACKAGE="tryton-sao"

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(dirname "$SCRIPT_DIR")"
SAO_ROOT="$REPO_ROOT/var/sao"
SAO_DIR="$SAO_ROOT/package"
VERSION_FILE="$SAO_ROOT/VERSION"
OUR_SAO="$REPO_ROOT/addons/copp/sao"

say() { printf '[install-sao] %s\n' "$*"; }

installed_version=""
if [[ -f "$VERSION_FILE" ]]; then
    installed_version="$(tr -d '[:space:]' < "$VERSION_FILE")"
fi

if [[ -d "$SAO_DIR/node_modules" && "$installed_version" == "$SAO_VERSION" ]]; then
    say "sao $SAO_VERSION уже установлен в $SAO_DIR, пропускаю загрузку."
else
    command -v npm >/dev/null 2>&1 || {
        say "Ошибка: не найден npm (нужен Node.js с npm)." >&2
        exit 1
    }
    say "Устанавливаю sao $SAO_VERSION…"
    mkdir -p "$SAO_ROOT"
    tmp="$(mktemp -d "$SAO_ROOT/.tmp.XXXXXX")"
    trap 'rm -rf "$tmp"' EXIT

    say "Скачиваю пакет $SAO_NPM_PACKAGE@$SAO_VERSION из npm…"
    (cd "$tmp" && npm pack --silent "$SAO_NPM_PACKAGE@$SAO_VERSION" >/dev/null)
    tarball="$(find "$tmp" -maxdepth 1 -name "$SAO_NPM_PACKAGE-*.tgz" | head -n 1)"
    if [[ -z "$tarball" ]]; then
        say "Ошибка: npm pack не создал архив пакета." >&2
        exit 1
    fi

    say "Распаковываю в $SAO_DIR…"
    tar -xzf "$tarball" -C "$tmp"
    rm -rf "$SAO_DIR"
    mv "$tmp/package" "$SAO_DIR"
    rm -f "$VERSION_FILE"

    say "Устанавливаю зависимости sao (npm install)…"
    (cd "$SAO_DIR" && npm install --omit=dev --ignore-scripts \
        --legacy-peer-deps --no-audit --no-fund --loglevel=error)

    printf '%s\n' "$SAO_VERSION" > "$VERSION_FILE"
    rm -rf "$tmp"
    trap - EXIT
    say "sao $SAO_VERSION установлен."
fi

# Русский перевод интерфейса sao: копируется всегда.
# ru.json строится из ru.po скриптом sao_po2json.py; если под рукой есть
# python3 с polib, предупреждаем, что ru.json забыли пересобрать.
if [[ -f "$OUR_SAO/ru.po" ]] && command -v python3 >/dev/null 2>&1 \
        && python3 -c 'import polib' >/dev/null 2>&1; then
    if ! python3 "$SCRIPT_DIR/sao_po2json.py" --check "$OUR_SAO/ru.po" "$OUR_SAO/ru.json"; then
        say "Внимание: ru.json не совпадает с ru.po — запустите scripts/sao_po2json.py." >&2
    fi
fi
if [[ -f "$OUR_SAO/ru.json" ]]; then
    cp -f "$OUR_SAO/ru.json" "$SAO_DIR/locale/ru.json"
    # sao asks for the browser's language first (ru-RU -> locale/ru_RU.json).
    cp -f "$OUR_SAO/ru.json" "$SAO_DIR/locale/ru_RU.json"
    say "Перевод обновлён: locale/ru.json, locale/ru_RU.json"
else
    say "Внимание: нет $OUR_SAO/ru.json, перевод не установлен." >&2
fi
if [[ -f "$OUR_SAO/ru.po" ]]; then
    cp -f "$OUR_SAO/ru.po" "$SAO_DIR/locale/ru.po"
fi

# Необязательные настройки внешнего вида, которые запрашивает index.html sao,
# и значок вкладки (браузер спрашивает /favicon.ico при каждой загрузке).
for f in custom.css custom.js favicon.ico; do
    if [[ -f "$OUR_SAO/$f" ]]; then
        cp -f "$OUR_SAO/$f" "$SAO_DIR/$f"
        say "Скопирован $f"
    fi
done

say "Готово: sao $SAO_VERSION в $SAO_DIR"
