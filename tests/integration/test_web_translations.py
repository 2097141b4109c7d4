"""The Spanish catalog covers every message of the pages, and the compiled
``.mo`` file that ships in the repository matches its ``.po`` source."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "app" / "translations"
PO = TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.po"
MO = TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.mo"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
METHODS = [("**/mail/**", "ignore"), ("**/public/**", "ignore"), ("**.py", "python"),
           ("**.html", "jinja2")]


def source_messages() -> set:
    found = set()
    for directory in (ROOT / "app" / "web", ROOT / "app" / "templates", ROOT / "forms"):
        for _file, _line, message, _comments, _context in extract_from_dir(
                str(directory), METHODS, keywords=KEYWORDS):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


class TestSpanishCatalog:
    def test_every_message_in_the_pages_is_translated(self):
        with PO.open("rb") as f:
            catalog = read_po(f, locale="es")
        assert not catalog.fuzzy, "a fuzzy catalog is not compiled: clear the header's fuzzy flag"
        translated = {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog
                      if m.id and m.string and "fuzzy" not in m.flags
                      and (not isinstance(m.string, tuple) or all(m.string))}
        missing = source_messages() - translated
        assert not missing, f"pybabel extract/update (see app/translations/babel.cfg), translate: {missing}"

    def test_the_compiled_catalog_matches_its_source(self):
        def entries(catalog):
            return {_key(m.id): _key(m.string) for m in catalog if m.id and "fuzzy" not in m.flags}

        with PO.open("rb") as f:
            source = entries(read_po(f, locale="es"))
        with MO.open("rb") as f:
            compiled = entries(read_mo(f))
        assert compiled == source, "run: pybabel compile -d app/translations"


def _key(value):
    return tuple(value) if isinstance(value, (list, tuple)) else value
