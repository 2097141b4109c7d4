"""The repository stands alone: no tracked file points at a directory beside the checkout.

A relative path to a sibling directory (the team's shared notes) works only on the
machine where the repository was written; for anyone who clones it, it is a dead
reference. Every fact the code, the docs and the tests rely on is written down inside
the repository (docs/API.md for the public contract, docs/DESIGN.md for how it is
built), and every document and section the source cites is there to be read.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: written in two parts so that this file does not name what it looks for
OUTSIDE = ("../" + "shared").encode()


def tracked_files() -> list[Path]:
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError) as exc:  # no git, or not a checkout: say so
        raise AssertionError(f"this test needs `git ls-files` in {ROOT}: {exc}") from exc
    return [ROOT / name for name in listed.stdout.decode().split("\0") if name]


def is_text(content: bytes) -> bool:
    return b"\0" not in content[:8192]


def test_the_checkout_lists_its_files():
    names = {p.relative_to(ROOT).as_posix() for p in tracked_files()}
    assert {"README.md", "docs/API.md", "pyproject.toml"} <= names


def test_no_tracked_text_file_points_outside_the_repository():
    offenders = []
    for path in tracked_files():
        if not path.is_file():  # listed but deleted in the working tree
            continue
        content = path.read_bytes()
        if not is_text(content):
            continue
        for number, line in enumerate(content.splitlines(), start=1):
            if OUTSIDE in line:
                text = line.decode(errors="replace").strip()
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {text}")
    assert not offenders, "tracked files point outside the repository:\n" + "\n".join(offenders)


def test_binary_files_are_told_from_text():
    assert is_text("a statement, ¿en español?".encode())
    assert not is_text(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")


# -- the sections the code cites -----------------------------------------------------

#: Documents the code cites by section, as the code names them, and where each lives.
CITED = {"DESIGN": ROOT / "docs" / "DESIGN.md", "API": ROOT / "docs" / "API.md"}
#: ``<doc>.md, "Section"``, ``<doc>.md: "A", "B"`` or ``<doc>.md ("Section")``, quotes straight.
CITATION = re.compile(r"\b(" + "|".join(CITED) + r")\.md(?:\s*[,:]\s*|\s*\(\s*)"
                      r"((?:\"[^\"]{1,80}\"\s*,\s*)*\"[^\"]{1,80}\")")
QUOTED = re.compile(r"\"([^\"]+)\"")
#: A line break inside a docstring or a run of ``#`` comments: read as one space.
BREAK = re.compile(r"[ \t]*\n[ \t]*(?:#[ \t]*)?")
HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$")
#: The name of a Markdown file, as a source file sends its reader to a document.
DOCUMENT = re.compile(r"\b([A-Z][A-Za-z0-9_-]*\.md)\b")

#: Sections of docs/API.md that other work is writing now. Code that cites one may land
#: before the section does; each name must leave this set when its heading exists
#: (``test_the_pending_sections_are_still_pending``).
PENDING: frozenset[str] = frozenset()


def normal(name: str) -> str:
    return " ".join(name.split()).casefold()


def citations(text: str) -> list[tuple[str, str]]:
    """Every (document, section) a source text cites, line breaks in the name allowed."""
    flat = BREAK.sub(" ", text)
    return [(match[1], " ".join(name.split()))
            for match in CITATION.finditer(flat) for name in QUOTED.findall(match[2])]


def headings(markdown: str) -> set[str]:
    """The headings of a Markdown text, outside fenced code, normalised."""
    found, fenced = set(), False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced and (match := HEADING.match(line)):
            found.add(normal(match[1]))
    return found


def python_sources() -> list[Path]:
    return [p for p in tracked_files() if p.suffix == ".py" and p.is_file()]


def test_citations_are_read_across_lines_and_comments():
    md = ".md"  # apart, so that this file itself cites nothing
    text = (f'"""Why (DESIGN{md}, "How a request\n    flows"): and API{md} ("Forms and\nscreening").\n'
            f'# see API{md}: "Roles",\n# "Reading", the events table; API{md} says so; DESIGN{md}\n"""')
    assert citations(text) == [("DESIGN", "How a request flows"), ("API", "Forms and screening"),
                               ("API", "Roles"), ("API", "Reading")]


def test_headings_are_read_outside_code_blocks():
    markdown = "# Title\n\n## Deadlines ##\ntext\n```sh\n# a shell comment\n```\n### The gate\n"
    assert headings(markdown) == {"title", "deadlines", "the gate"}


def test_every_cited_section_is_a_heading_of_its_document():
    sections = {doc: headings(path.read_text(encoding="utf-8")) for doc, path in CITED.items()}
    unresolved = []
    for path in python_sources():
        for doc, name in citations(path.read_text(encoding="utf-8")):
            if normal(name) not in sections[doc] and name not in PENDING:
                unresolved.append(f"{path.relative_to(ROOT)}: {doc}.md, {name!r}")
    assert not unresolved, ("sections cited that docs/DESIGN.md or docs/API.md lack:\n"
                            + "\n".join(sorted(unresolved)))


def test_the_pending_sections_are_still_pending():
    written = headings(CITED["API"].read_text(encoding="utf-8"))
    done = sorted(name for name in PENDING if normal(name) in written)
    assert not done, f"docs/API.md has these sections now; remove them from PENDING: {done}"


def test_every_document_the_code_names_is_in_the_repository():
    present = {p.name for p in tracked_files() if p.suffix == ".md"}
    missing = sorted({f"{path.relative_to(ROOT)}: {name}"
                      for path in python_sources()
                      for name in DOCUMENT.findall(path.read_text(encoding="utf-8"))
                      if name not in present})
    assert not missing, "source files name documents the repository lacks:\n" + "\n".join(missing)
