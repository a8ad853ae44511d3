"""API messages follow the request language: every msgid has a Simplified Chinese translation, and
the committed .mo catalogue is current with the .po (what `make run` ships without gettext)."""

import re
from pathlib import Path

from django.utils import translation

SHOAL = Path(__file__).resolve().parents[2]
# The project catalogue (shoal/locale) and each app's own (shoal/<app>/locale), which Django also reads.
CATALOGUES = sorted(SHOAL.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"))


def _entries(po: Path) -> list[tuple[str, str, bool]]:
    text = po.read_text(encoding="utf-8")
    entries = []
    for block in text.split("\n\n"):
        fuzzy = "#, fuzzy" in block
        msgid = (
            "".join(re.findall(r'"(.*)"', block.split("msgstr")[0].split("msgid", 1)[-1])) if "msgid" in block else ""
        )
        msgstr = "".join(re.findall(r'"(.*)"', block.split("msgstr", 1)[1])) if "msgstr" in block else ""
        if msgid:
            entries.append((msgid, msgstr, fuzzy))
    return entries


def test_every_api_message_has_a_simplified_chinese_translation():
    assert SHOAL / "locale/zh_Hans/LC_MESSAGES/django.po" in CATALOGUES
    for po in CATALOGUES:
        entries = _entries(po)
        assert entries, po
        missing = [msgid for msgid, msgstr, fuzzy in entries if not msgstr or fuzzy]
        assert not missing, f"{po}: untranslated or fuzzy: {missing}"


def test_compiled_catalogue_matches_the_po_file():
    entries = [entry for po in CATALOGUES for entry in _entries(po)]
    with translation.override("zh-hans"):
        stale = [
            msgid
            for msgid, msgstr, _fuzzy in entries
            if "%" not in msgid and "\\" not in msgid and translation.gettext(msgid) != msgstr
        ]
    assert not stale, f"run compilemessages: {stale[:5]}"
