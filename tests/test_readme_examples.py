"""The README's example commands run as written (in a fresh folder, from a clone alone): each
exits 0, and the outcomes the README states next to them hold.

The commands are read from the README itself (the bash block after "Examples:"), so a README
edit that breaks an example fails here rather than for a user.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from terawatt.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
#: the placeholder the README uses for the folder of the plan made by the line before
PLAN_FOLDER = "runs/<plan folder>"


def example_lines() -> list[str]:
    """The command lines of the README's bash block after "Examples:" (comments removed)."""
    text = README.read_text(encoding="utf-8")
    block = re.search(r"\nExamples:\n+```bash\n(.*?)```", text, re.S)
    assert block, "README: no ```bash block after 'Examples:'"
    lines = [ln.split("  #")[0].strip() for ln in block.group(1).splitlines()]
    return [ln for ln in lines if ln]


def _run(args: list[str]):
    assert args[0] == "terawatt", args
    r = CliRunner().invoke(app, args[1:], catch_exceptions=False)
    assert r.exit_code == 0, (args, r.stderr[-2000:])
    return r


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh working folder holding the repository's examples/ (as in a clone)."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    return tmp_path


STANDALONE = [ln for ln in example_lines() if " fleet " not in ln]
FLEET = [ln for ln in example_lines() if " fleet " in ln]


def test_the_readme_has_examples():
    assert len(STANDALONE) >= 4 and len(FLEET) >= 2


@pytest.mark.parametrize("line", STANDALONE)
def test_example_runs(line: str, here: Path):
    r = _run(shlex.split(line))
    if "--json" in line:
        json.loads(r.stdout)  # one JSON document, as the README says


def test_fleet_examples_run_in_order(here: Path):
    """solve (the README promises makespan 43, proven optimal), then plan, then simulate and
    explain the plan's folder."""
    for line in FLEET:
        for part in line.split("&&"):
            if PLAN_FOLDER in part:
                plans = sorted((here / "runs").glob("*-fleet-*"))
                assert plans, "no plan folder made by the plan example"
                part = part.replace(PLAN_FOLDER, shlex.quote(str(plans[-1])))
            args = shlex.split(part)
            r = _run(args)
            if args[1:3] == ["fleet", "solve"]:
                assert "43" in r.stdout and "optimal" in r.stdout.lower(), r.stdout
