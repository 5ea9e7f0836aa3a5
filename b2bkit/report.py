"""Rendering the report notebooks: papermill to execute, nbconvert to HTML.

:func:`render_reports` executes each notebook with its parameters injected
(``data``, ``period`` and any ``-p NAME VALUE``), writes
``OUT/<period>/<name>.ipynb`` and a stakeholder ``<name>.html`` with the
code hidden, and ``OUT/<period>/index.html`` linking them. Parameters are
checked against each notebook's ``parameters`` cell before anything runs:
an unknown name or a value of the wrong type is a usage error. A notebook
that fails does not stop the others; the result names it and the failing
cell.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path

from b2bkit.errors import UsageError
from b2bkit.periods import Period

__all__ = ["NOTEBOOKS", "Rendered", "check_parameters", "render_reports", "write_index"]

#: The folder of the report notebooks in the project.
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


@dataclass
class Rendered:
    """The outcome of one notebook."""

    name: str
    notebook: Path
    html: Path | None = None
    error: str | None = None
    seconds: float = 0.0
    parameters: dict = field(default_factory=dict)


def _declared(notebook: Path) -> dict[str, dict]:
    import papermill

    return papermill.inspect_notebook(str(notebook))


def _coerce(name: str, value: object, declared: dict, notebook: str) -> object:
    kind = declared.get("inferred_type_name", "None")
    if not isinstance(value, str):
        return value
    try:
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
        if kind == "bool":
            if value.lower() in ("true", "1", "yes"):
                return True
            if value.lower() in ("false", "0", "no"):
                return False
            raise ValueError(value)
    except ValueError:
        article = "an" if kind[0] in "aeiou" else "a"
        raise UsageError(f"parameter {name} of {notebook} must be {article} {kind}, "
                         f"not {value!r}") from None
    return value


def check_parameters(notebook: Path, parameters: dict[str, object]) -> dict[str, object]:
    """``parameters`` coerced to the types of the notebook's parameters cell.

    Raises
    ------
    UsageError
        A name the notebook does not declare, or a value of the wrong type.
    """
    declared = _declared(notebook)
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise UsageError(f"{notebook.name} has no parameter {unknown[0]!r}; "
                         f"its parameters are {', '.join(declared) or 'none'}")
    return {k: _coerce(k, v, declared[k], notebook.name) for k, v in parameters.items()}


def _failure(exc: Exception) -> str:
    cell = getattr(exc, "cell_index", None)
    ename, evalue = getattr(exc, "ename", type(exc).__name__), getattr(exc, "evalue", str(exc))
    where = f"cell {cell + 1}" if isinstance(cell, int) else "a cell"
    return f"{where} failed: {ename}: {evalue}"


def _to_html(notebook: Path, target: Path) -> None:
    import nbformat
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.remove_cell_tags = {"parameters", "injected-parameters",
                                                     "remove"}
    config.TagRemovePreprocessor.enabled = True
    exporter = HTMLExporter(config=config, exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nbformat.read(notebook, as_version=4))
    target.write_text(body, encoding="utf-8")


def render_reports(notebooks: list[Path], *, data: str, period: Period, out: Path,
                   parameters: dict[str, object] | None = None,
                   progress: bool = True) -> list[Rendered]:
    """Execute and convert every notebook for one period.

    Parameters
    ----------
    notebooks : list of Path
        The notebooks to render.
    data : str
        The dataset folder, passed as the ``data`` parameter.
    period : Period
        Passed as the ``period`` parameter (its text) and naming the folder.
    out : Path
        Reports go to ``out/<period>/``.
    parameters : dict, optional
        Further parameters for every notebook that declares them.
    """
    import time

    import papermill
    from tqdm import tqdm

    folder = out / str(period)
    extra = parameters or {}
    plans = []
    declared = {notebook: _declared(notebook) for notebook in notebooks}
    known = set().union(*declared.values()) if declared else set()
    unknown = sorted(set(extra) - known)
    if unknown:  # a parameter no chosen notebook declares is a mistake, not a no-op
        raise UsageError(f"no notebook has a parameter {unknown[0]!r}; "
                         f"their parameters are {', '.join(sorted(known)) or 'none'}")
    for notebook in notebooks:  # check everything before running anything
        given = {"data": str(Path(data).resolve()), "period": str(period),
                 "output_dir": str(folder.resolve()), **extra}
        wanted = {k: v for k, v in given.items() if k in declared[notebook]}
        plans.append((notebook, check_parameters(notebook, wanted)))
    folder.mkdir(parents=True, exist_ok=True)
    results = []
    bar = tqdm(plans, desc=f"rendering {period}", unit="notebook", disable=not progress)
    # a report from an earlier run must not pass for this one: the index goes first
    # (it is written last), then each notebook's old files before it renders
    (folder / "index.html").unlink(missing_ok=True)
    for notebook, values in bar:
        name = notebook.stem
        bar.set_postfix_str(name)
        target = folder / f"{name}.ipynb"
        partial = folder / f".{name}.partial.ipynb"
        for old in (target, folder / f"{name}.html", partial):
            old.unlink(missing_ok=True)
        result = Rendered(name, target, parameters=values)
        start = time.perf_counter()
        try:
            papermill.execute_notebook(str(notebook), str(partial), parameters=values,
                                       progress_bar=False, cwd=str(notebook.parent),
                                       kernel_name="python3")
            partial.replace(target)  # complete notebooks only under the final name
            html_partial = folder / f".{name}.partial.html"
            _to_html(target, html_partial)
            result.html = folder / f"{name}.html"
            html_partial.replace(result.html)
        except Exception as exc:  # a failing notebook is reported, the others go on
            result.error = _failure(exc)
            if partial.exists():  # what it has, with papermill's error banner, marked failed
                result.notebook = folder / f"{name}.failed.ipynb"
                partial.replace(result.notebook)
        result.seconds = time.perf_counter() - start
        results.append(result)
    write_index(folder, results, data=data, period=period)
    return results


def write_index(folder: Path, results: list[Rendered], *, data: str, period: Period) -> Path:
    """``index.html`` linking the reports of one period (every string escaped)."""
    e = html.escape
    rows = []
    for r in results:
        if r.error:
            rows.append(f"<li><b>{e(r.name)}</b>: failed ({e(r.error)}); "
                        f"<a href=\"{e(r.notebook.name)}\">notebook</a></li>")
        else:
            rows.append(f"<li><a href=\"{e(r.html.name)}\">{e(r.name.replace('_', ' '))}</a>"
                        f" (<a href=\"{e(r.notebook.name)}\">notebook</a>)</li>")
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Reports {e(str(period))}</title>
<style>body{{font-family:sans-serif;max-width:40em;margin:2em auto;line-height:1.5}}</style>
</head><body>
<h1>Reports for {e(str(period))}</h1>
<p>Period {e(f"{period.start:%Y-%m-%d}")} to {e(f"{period.end:%Y-%m-%d}")};
data: <code>{e(str(data))}</code>.</p>
<ul>
{chr(10).join(rows)}
</ul>
<script type="application/json" id="reports">{e(json.dumps([r.name for r in results]))}</script>
</body></html>
"""
    target = folder / "index.html"
    target.write_text(page, encoding="utf-8")
    return target
