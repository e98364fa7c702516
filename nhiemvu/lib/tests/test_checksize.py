"""No production module over 500 lines (issue 25): the project as it stands, and the check itself
on a small tree, so the rule cannot quietly stop holding."""

from __future__ import annotations

from pathlib import Path

import pytest

import nhiemvu
from nhiemvu.lib import checksize


def _write(path: Path, lines: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x = 1\n" * lines, encoding="utf-8")


def test_it_holds_no_production_module_over_500_lines() -> None:
    root = Path(nhiemvu.__file__).parent
    assert checksize.too_long(root) == []


def test_it_names_a_module_one_line_over_the_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path / "app" / "long.py", 501)
    _write(tmp_path / "app" / "fits.py", 500)
    assert checksize.main([str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "long.py: 501 lines" in out
    assert "fits.py" not in out


def test_it_leaves_tests_and_migrations_out(tmp_path: Path) -> None:
    _write(tmp_path / "app" / "tests" / "test_long.py", 900)
    _write(tmp_path / "app" / "migrations" / "0001_initial.py", 900)
    assert checksize.main([str(tmp_path)]) == 0
