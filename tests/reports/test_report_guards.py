"""`report` refuses before it runs and stops when told (issue 28): no kernel is started here."""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from pathlib import Path

import pytest

from b2bkit.cli import main
from b2bkit.reports import render

ROOT = Path(__file__).parents[2]
NOTEBOOKS = ROOT / "notebooks"
DATA = ROOT / "tests" / "data" / "adversarial" / "xss_rep_name"
BROKEN = ROOT / "tests" / "data" / "adversarial" / "status_capitalised"  # does not load


@pytest.fixture
def no_kernel(monkeypatch):
    """papermill that must not be called: nothing may run."""
    import papermill

    def refuse(*args, **kwargs):
        raise AssertionError("a notebook ran")

    monkeypatch.setattr(papermill, "execute_notebook", refuse)


def _report(*argv: str) -> list[str]:
    return ["report", "--data", str(DATA), "--period", "2025-Q1", *argv]


def test_two_notebooks_of_one_name_are_refused_before_anything_runs(tmp_path, capsys,
                                                                    no_kernel) -> None:
    copy = tmp_path / "mine" / "rep_performance.ipynb"
    copy.parent.mkdir()
    shutil.copy(NOTEBOOKS / "rep_performance.ipynb", copy)
    out = tmp_path / "out"
    code = main(_report("--out", str(out), str(NOTEBOOKS / "rep_performance.ipynb"), str(copy)))
    err = capsys.readouterr().err
    assert code == 2 and err == (
        f"b2bkit report: two notebooks named rep_performance "
        f"({NOTEBOOKS / 'rep_performance.ipynb'}, {copy}): their pages would overwrite each "
        "other; render them in separate runs or rename one\n")
    assert not out.exists()


def test_out_below_a_file_is_refused_before_the_data_is_loaded(tmp_path, capsys,
                                                               no_kernel) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("keep me", encoding="utf-8")
    out = blocker / "reports"
    # the data does not load: the --out message comes first, so nothing was loaded
    code = main(["report", "--data", str(BROKEN), "--period", "2025-Q1", "--out", str(out)])
    assert (code, capsys.readouterr().err) == (
        2, f"b2bkit report: --out {out}: {blocker} is a file, not a folder; name a folder "
           "for the reports\n")
    assert blocker.read_text(encoding="utf-8") == "keep me"


def test_out_in_a_read_only_place_is_refused_before_the_data_is_loaded(tmp_path, capsys,
                                                                       monkeypatch,
                                                                       no_kernel) -> None:
    place = tmp_path / "read_only"
    place.mkdir()
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: Path(p) != place and real(p, mode))
    out = place / "reports"
    code = main(["report", "--data", str(BROKEN), "--period", "2025-Q1", "--out", str(out)])
    assert (code, capsys.readouterr().err) == (
        2, f"b2bkit report: --out {out}: cannot write in {place} (permission denied or "
           "read-only); name a folder you may write to\n")


def test_ctrl_c_cancels_the_queue_removes_what_is_incomplete_and_exits_130(
        tmp_path, capsys, monkeypatch) -> None:
    import papermill

    started = []

    def slow(source, target, **kwargs):  # a kernel that goes on after the SIGINT
        started.append(Path(source).stem)
        Path(target).write_text("{}", encoding="utf-8")  # half a notebook
        time.sleep(1.0)

    monkeypatch.setattr(papermill, "execute_notebook", slow)
    names = ["rep_performance", "funnel_diagnosis", "kpi_scorecard"]
    out = tmp_path / "out"
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    monkeypatch.setattr(render, "_to_html", lambda *a: pytest.fail("converted"))
    timer.start()
    try:
        code = main(_report("--out", str(out), "--jobs", "1",
                            *[str(NOTEBOOKS / f"{n}.ipynb") for n in names]))
    finally:
        timer.cancel()
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 130
    assert err[-1] == ("b2bkit report: interrupted: 0 of 3 notebooks rendered, the rest "
                       "cancelled; incomplete files removed, no index written")
    assert started == ["rep_performance"]  # the queued ones never started
    assert sorted(p.name for p in (out / "2025-Q1").iterdir()) == []
