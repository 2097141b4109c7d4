"""The repository stands alone: no tracked file points at a directory beside the checkout.

A relative path to a sibling directory (the team's shared notes) works only on the
machine where the repository was written; for anyone who clones it, it is a dead
reference. Every fact the code, the docs and the tests rely on is written down inside
the repository (docs/API.md for the public contract).
"""

from __future__ import annotations

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
