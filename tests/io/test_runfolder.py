"""Run folders are written atomically: nothing is left behind on error."""

from __future__ import annotations

import pytest

from terawatt.io.runfolder import run_folder, write_json


def test_success_renames_into_place(tmp_path):
    with run_folder(tmp_path, "seed") as rf:
        write_json(rf.path / "summary.json", {"a": 1})
    assert rf.final.is_dir() and (rf.final / "summary.json").exists()
    assert [p.name for p in tmp_path.iterdir()] == [rf.final.name]


def test_error_leaves_nothing(tmp_path):
    with pytest.raises(RuntimeError), run_folder(tmp_path, "seed") as rf:
        write_json(rf.path / "summary.json", {"a": 1})
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []
