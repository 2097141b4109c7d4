"""Every shipped language's catalogue covers every message a person reads, and the
committed catalogues are what the sources say.

* every language of ``Language`` except English (the source) has a catalogue
  in ``app/translations/<locale>/``, with no untranslated or fuzzy message and
  the same ``%(name)s`` placeholders as the English;
* the committed ``messages.pot`` is what ``make catalog`` extracts today from
  the templates, the app, the forms and the ``N_`` markers of ``workflows/``
  (a string added without ``make catalog`` fails here);
* each compiled ``.mo`` matches its ``.po``.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from app.models.user import Language

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "app" / "translations"
POT = TRANSLATIONS / "messages.pot"
SHIPPED = [lang for lang in Language if lang is not Language.EN]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _makefile_value(name: str) -> list[str]:
    """The extraction's arguments, read from the Makefile so the check and `make catalog` agree."""
    for line in (ROOT / "Makefile").read_text().splitlines():
        if line.startswith(f"{name} :="):
            return shlex.split(line.partition(":=")[2])
    raise AssertionError(f"the Makefile has no {name}")


def _ids(catalog) -> set[str]:
    return {_key(m.id) for m in catalog if m.id}


def _key(value):
    return tuple(value) if isinstance(value, (list, tuple)) else value


def _po(lang: Language):
    with (TRANSLATIONS / lang.locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=lang.locale)


def test_the_template_is_what_the_sources_say(tmp_path, monkeypatch):
    out = tmp_path / "messages.pot"
    monkeypatch.chdir(ROOT)
    CommandLineInterface().run(["pybabel", "-q", "extract", *_makefile_value("EXTRACT_ARGS"),
                                "-o", str(out), *_makefile_value("EXTRACT_DIRS")])
    with out.open("rb") as f:
        extracted = _ids(read_po(f))
    with POT.open("rb") as f:
        committed = _ids(read_po(f))
    assert extracted - committed == set(), "new strings: run `make catalog` and translate them"
    assert committed - extracted == set(), "strings no longer used: run `make catalog`"


@pytest.mark.parametrize("lang", SHIPPED, ids=str)
class TestCatalogue:
    def test_every_message_is_translated(self, lang):
        catalog = _po(lang)
        assert not catalog.fuzzy, "a fuzzy catalogue is not compiled: clear the header's fuzzy flag"
        with POT.open("rb") as f:
            wanted = _ids(read_po(f))
        fuzzy = {_key(m.id) for m in catalog if m.id and "fuzzy" in m.flags}
        assert not fuzzy, f"fuzzy in {lang}: {fuzzy}"
        translated = {_key(m.id) for m in catalog if m.id and m.string
                      and (not isinstance(m.string, tuple) or all(m.string))}
        missing = wanted - translated
        assert not missing, f"untranslated in {lang} (make catalog, then translate): {missing}"

    def test_placeholders_are_kept(self, lang):
        wrong = [m.id for m in _po(lang) if m.id and isinstance(m.id, str) and m.string
                 and sorted(PLACEHOLDER.findall(m.id)) != sorted(PLACEHOLDER.findall(m.string))]
        assert not wrong, f"{lang} changes the %(name)s placeholders of {wrong}"

    def test_the_compiled_catalogue_matches_its_source(self, lang):
        def entries(catalog):
            return {_key(m.id): _key(m.string) for m in catalog if m.id and "fuzzy" not in m.flags}

        source = entries(_po(lang))
        with (TRANSLATIONS / lang.locale / "LC_MESSAGES" / "messages.mo").open("rb") as f:
            compiled = entries(read_mo(f))
        assert compiled == source, "run: make catalog (pybabel compile -d app/translations)"
