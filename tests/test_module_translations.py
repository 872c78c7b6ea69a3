"""The Russian catalogues of every module (addons/*/locale/ru.po and
locale/override/ru.po): an entry marked fuzzy or left empty is not loaded
by trytond, so its English text reaches the user (an xlsx sheet named
«Contingent»)."""
from pathlib import Path

import polib
import pytest

from copp.cli.init import WIP_MODULES

ADDONS = Path(__file__).resolve().parents[1] / 'addons'
CATALOGUES = [c for c in sorted(ADDONS.glob('copp*/locale/ru.po'))
        + sorted(ADDONS.glob('copp*/locale/override/ru.po'))
    # Modules in progress are checked once they are activated
    if c.relative_to(ADDONS).parts[0] not in WIP_MODULES]


def test_catalogues_found():
    assert {p.parts[-3] for p in CATALOGUES if p.parent.name == 'locale'} >= {
        'copp', 'copp_contingent', 'copp_journal', 'copp_portal'}


@pytest.mark.parametrize('path', CATALOGUES,
    ids=lambda p: str(p.relative_to(ADDONS)))
def test_no_fuzzy_or_empty_entry(path):
    bad = []
    for entry in polib.pofile(str(path)):
        if entry.obsolete:
            continue
        values = ([entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
            if entry.msgid_plural else [entry.msgstr])
        if entry.fuzzy or not all(v.strip() for v in values):
            bad.append((entry.msgctxt, entry.msgid))
    assert not bad, bad
