"""Run folders are written atomically: nothing is left behind on error."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest

from terawatt.errors import UserError
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


def test_keyboard_interrupt_leaves_nothing(tmp_path):
    """Ctrl-C inside a run removes the temporary folder and the reserved name."""
    with pytest.raises(KeyboardInterrupt), run_folder(tmp_path, "seed") as rf:
        write_json(rf.path / "summary.json", {"a": 1})
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_same_second_runs_get_distinct_names(tmp_path):
    """Two runs started in the same second with the same label: the final name is reserved
    when the run starts (atomic mkdir), so each knows its own final folder while it writes,
    and both land complete."""
    now = dt.datetime(2026, 11, 30, 12, 0, 0, tzinfo=dt.UTC)
    with run_folder(tmp_path, "seed", now=now) as a, run_folder(tmp_path, "seed", now=now) as b:
        assert a.final != b.final
        write_json(a.path / "summary.json", {"final": str(a.final)})
        write_json(b.path / "summary.json", {"final": str(b.final)})
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["20261130T120000-seed", "20261130T120000-seed-2"]
    for f in (a.final, b.final):
        assert json.loads((f / "summary.json").read_text())["final"] == str(f)


def test_concurrent_runs_from_threads(tmp_path):
    """Eight runs racing for one name in eight threads: eight complete folders, nothing
    partial left."""
    now = dt.datetime(2026, 11, 30, 12, 0, 0, tzinfo=dt.UTC)
    barrier = threading.Barrier(8)

    def one(k: int) -> None:
        with run_folder(tmp_path, "seed", now=now) as rf:
            barrier.wait(timeout=10)
            write_json(rf.path / "summary.json", {"k": k})

    threads = [threading.Thread(target=one, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    folders = sorted(tmp_path.iterdir())
    assert len(folders) == 8
    assert sorted(json.loads((f / "summary.json").read_text())["k"] for f in folders) == list(
        range(8))


@pytest.mark.parametrize("kind", ["file", "too_long"])
def test_unusable_base_is_one_user_error(tmp_path, kind):
    """--out naming an existing file, or a name longer than the file system allows (255
    bytes on Linux file systems), is a UserError naming the path, and nothing is written."""
    base = tmp_path / "taken"
    if kind == "file":
        base.write_text("not a folder")
    else:
        base = tmp_path / ("x" * 300)
    before = sorted(tmp_path.iterdir())
    with pytest.raises(UserError, match="cannot write a run folder there"), \
            run_folder(base, "seed"):
        pass  # pragma: no cover - never reached
    assert sorted(tmp_path.iterdir()) == before


def test_unwritable_base_is_one_user_error():
    """A place nobody can write, root included (/proc is a kernel file system that refuses
    new folders), is a UserError naming the path."""
    with pytest.raises(UserError, match=r"/proc/terawatt-runs: cannot write a run folder"), \
            run_folder("/proc/terawatt-runs", "seed"):
        pass  # pragma: no cover - never reached
