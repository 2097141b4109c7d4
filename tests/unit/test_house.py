"""House rule: every module of the engine stays under 400 lines (a longer one is split by concept)."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("app", "workflows", "forms", "worker", "config")
LIMIT = 400


def modules() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


def test_the_packages_have_modules() -> None:
    assert len(modules()) > 50


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_module_is_under_the_limit(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines < LIMIT, f"{path.relative_to(ROOT)} has {lines} lines; split it by concept"
