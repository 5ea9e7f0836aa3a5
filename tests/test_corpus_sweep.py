"""Every command over the whole corpus: a message and exit 0, 1 or 2, never a traceback (issue 13).

The corpus is ``tests/data/adversarial``, ``broken``, ``awkward``, ``reading`` and ``rev3``. The
commands run in-process (:func:`b2bkit.cli.main`) for speed; a few run as
``python -m b2bkit.cli`` to catch what only an interpreter shows, and reports are rendered
for three cases only (a notebook takes seconds).
"""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from b2bkit.cli import main

DATA = Path(__file__).parent / "data"
CORPUS = sorted(p for kind in ("adversarial", "broken", "awkward", "reading", "rev3")
                for p in (DATA / kind).iterdir() if p.is_dir())
ROOT = Path(__file__).resolve().parents[1]

#: validate's four forms; each case runs two of them, in turn, so the corpus runs all four.
VALIDATE = [[[], ["--lenient", "--format", "json"]], [["--format", "json"], ["--lenient"]]]
#: kpis' three formats, periods and splits, in turn over the cases that load leniently.
KPIS = [["--period", "2025", "--format", "table"],
        ["--period", "2025-Q1", "--format", "csv", "--by", "channel"],
        ["--period", "2025-01", "--format", "json", "--by", "rep_id"]]



def _argv(command: list[str], case: Path) -> list[str]:
    if command[0] == "validate":
        return [*command, str(case)]
    return [command[0], "--data", str(case), *command[1:]]


def _run(argv: list[str], capsys) -> tuple[object, str]:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse
        code = exc.code
    except Exception as exc:  # what is looked for
        code = f"{type(exc).__name__}: {exc}"
    out, err = capsys.readouterr()
    return code, out + err


@pytest.fixture(scope="module")
def sweep() -> list[tuple]:
    """Every case through validate (two forms) and, when it loads leniently, kpis.

    Returns the runs that exited outside {0, 1, 2} or printed a traceback.
    """
    capture = pytest.MonkeyPatch()
    bad = []

    class _Capsys:  # capsys is function-scoped: capture with redirect here
        def __init__(self) -> None:
            import io

            self.out, self.err = io.StringIO(), io.StringIO()
            capture.setattr(sys, "stdout", self.out)
            capture.setattr(sys, "stderr", self.err)

        def readouterr(self) -> tuple[str, str]:
            out, err = self.out.getvalue(), self.err.getvalue()
            for stream in (self.out, self.err):
                stream.seek(0)
                stream.truncate()
            return out, err

    streams = _Capsys()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # numpy's overflow notes: not what is checked here
            for number, case in enumerate(CORPUS):
                runs = [["validate", *form] for form in VALIDATE[number % 2]]
                for command in runs:
                    code, printed = _run(_argv(command, case), streams)
                    if code not in (0, 1, 2) or "Traceback" in printed:
                        bad.append((f"{case.parent.name}/{case.name}", command, code))
                    lenient_loads = command[1:2] == ["--lenient"] and code == 0
                if lenient_loads:
                    command = ["kpis", "--lenient", *KPIS[number % 3]]
                    code, printed = _run(_argv(command, case), streams)
                    if code not in (0, 1, 2) or "Traceback" in printed:
                        bad.append((f"{case.parent.name}/{case.name}", command, code))
    finally:
        capture.undo()
    return bad


def test_the_corpus_is_the_whole_corpus() -> None:
    assert len(CORPUS) >= 130


@pytest.mark.slow
def test_every_command_on_every_case_exits_0_1_or_2_without_a_traceback(sweep) -> None:
    assert sweep == []


@pytest.mark.parametrize(("case", "command"), [
    ("adversarial/settings_deep_nesting", ["validate"]),
    ("adversarial/huge_amounts_overflow", ["kpis", "--period", "2025-01", "--format", "json"]),
    ("adversarial/utf16_trailing_delimiter", ["validate", "--format", "json"]),
    ("broken/truncated_quote", ["kpis", "--lenient", "--period", "2025", "--format", "csv"]),
])
@pytest.mark.slow
def test_as_a_process(case: str, command: list[str]) -> None:
    done = subprocess.run([sys.executable, "-m", "b2bkit.cli", *_argv(command, DATA / case)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120,
                          stdin=subprocess.DEVNULL)
    assert done.returncode in (0, 1, 2)
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stderr.startswith("b2bkit ") or done.returncode == 0


@pytest.mark.render
def test_reports_on_hostile_text_render_it_as_text(tmp_path: Path, capsys) -> None:
    notebooks = ROOT / "notebooks"
    for case, notebook in (("xss_rep_name", "rep_performance"),
                           ("dollar_channel", "campaign_roi")):
        code = main(["report", "--data", str(DATA / "adversarial" / case), "--period", "2025-Q1",
                     "--out", str(tmp_path / case), str(notebooks / f"{notebook}.ipynb")])
        out, err = capsys.readouterr()
        assert code == 0 and "Traceback" not in out + err, err[-2000:]
    html = (tmp_path / "xss_rep_name" / "2025-Q1" / "rep_performance.html").read_text("utf-8")
    assert "<td>[click me](javascript:alert(1))</td>" in html
    assert 'href="javascript' not in html and "&lt;b&gt;A&lt;/b&gt;" in html
    roi = (tmp_path / "dollar_channel" / "2025-Q1" / "campaign_roi.html").read_text("utf-8")
    assert "Promo: $10 off $20" in roi


@pytest.mark.render
def test_a_report_on_a_broken_case_is_a_message(tmp_path: Path, capsys) -> None:
    notebook = ROOT / "notebooks" / "kpi_scorecard.ipynb"
    code = main(["report", "--data", str(DATA / "broken" / "truncated_quote"), "--period",
                 "2025-Q1", "--out", str(tmp_path), str(notebook)])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err and err.startswith("b2bkit report: ")
