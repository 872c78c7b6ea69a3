#!/usr/bin/env python3
"""Convert a gettext catalog of sao (Tryton web client) into sao's JSON.

sao builds ``locale/<lang>.json`` with grunt-po2json in its ``raw`` format::

    {"": {<PO headers, lower-cased keys>},
     "<msgid>": [null, "<msgstr>"],
     "<msgid>": ["<msgid_plural>", "<msgstr[0]>", "<msgstr[1]>", ...]}

This script reproduces that format byte for byte (compact one-line JSON,
UTF-8 without escaping, no trailing newline, fuzzy and obsolete entries
left out), so that ``addons/copp/sao/ru.json`` is always derived from
``addons/copp/sao/ru.po``.

Usage::

    scripts/sao_po2json.py                      # ru.po -> ru.json of the addon
    scripts/sao_po2json.py IN.po [OUT.json]     # any catalog; '-' = stdout
    scripts/sao_po2json.py --check              # fail if ru.json is stale
"""
import argparse
import json
import sys
from pathlib import Path

import polib

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PO = REPO_ROOT / 'addons' / 'copp' / 'sao' / 'ru.po'
DEFAULT_JSON = DEFAULT_PO.with_suffix('.json')
CONTEXT_GLUE = '\u0004'


def _key(entry):
    if entry.msgctxt is not None:
        return entry.msgctxt + CONTEXT_GLUE + entry.msgid
    return entry.msgid


def po2dict(po):
    """Return the sao/po2json "raw" structure of a polib catalog."""
    if not isinstance(po, polib.POFile):
        po = polib.pofile(str(po))
    data = {'': {k.lower(): v for k, v in po.metadata.items()}}
    for entry in po:
        if entry.obsolete or entry.fuzzy or not entry.msgid:
            continue
        if entry.msgid_plural:
            forms = [entry.msgstr_plural[i]
                for i in sorted(entry.msgstr_plural)]
            data[_key(entry)] = [entry.msgid_plural] + forms
        else:
            data[_key(entry)] = [None, entry.msgstr]
    return data


def po2json(po):
    """Return the JSON text that sao loads for the catalog ``po``."""
    return json.dumps(
        po2dict(po), ensure_ascii=False, separators=(',', ':'))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('po', nargs='?', default=str(DEFAULT_PO))
    parser.add_argument('json', nargs='?')
    parser.add_argument('--check', action='store_true',
        help='do not write, exit 1 if the JSON file differs')
    args = parser.parse_args(argv)

    po_path = Path(args.po)
    out = args.json or str(po_path.with_suffix('.json'))
    text = po2json(po_path)
    if args.check:
        current = Path(out).read_text(encoding='utf-8') \
            if Path(out).exists() else None
        if current != text:
            print(f'{out} устарел: запустите scripts/sao_po2json.py',
                file=sys.stderr)
            return 1
        return 0
    if out == '-':
        sys.stdout.write(text)
    else:
        Path(out).write_text(text, encoding='utf-8')
    return 0


if __name__ == '__main__':
    sys.exit(main())
