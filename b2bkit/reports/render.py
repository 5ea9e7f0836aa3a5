"""Rendering the report notebooks: papermill to execute, nbconvert to HTML.

:func:`render_reports` executes each notebook with its parameters injected
(``data``, ``period``, ``output_dir``, ``column_map``, ``lenient`` from the
command's own flags, and any ``-p NAME VALUE``), writes
``OUT/<period>/<name>.ipynb`` and a stakeholder ``<name>.html`` with the
code hidden, and ``OUT/<period>/index.html`` linking them. Everything is
checked before any kernel starts: every parameter against its declaration
in :mod:`b2bkit.reports.parameters` (type, range, allowed values, a team that exists
in the data, loaded once for that), a name the notebooks do not declare, and
``-p`` for what a flag sets are usage errors. A notebook that fails does not
stop the others; the result names it and the failing cell.

The HTML is sanitised (no script, no ``javascript:`` link, no event
attribute from any output) and MathJax skips cell outputs, so text from the
data is shown as it is written.
"""

from __future__ import annotations

import html
import json
import re
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from b2bkit.core.errors import Interrupted, UsageError, did_you_mean
from b2bkit.core.i18n import N_, _, current, date_text, period_text, use
from b2bkit.core.periods import Period
from b2bkit.core.source import is_database, resolve, resolve_map, shown
from b2bkit.reports import parameters as declared_parameters

__all__ = ["NOTEBOOKS", "Rendered", "check_out", "check_parameters", "default_notebooks",
           "render_reports", "write_index"]

def _notebook_folder() -> Path:
    """``b2bkit/notebooks`` of an installed wheel, else the checkout's ``notebooks/``."""
    packaged = resources.files("b2bkit") / "notebooks"
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "notebooks"


#: The folder of the report notebooks: the copies a wheel carries in the package
#: (``b2bkit/notebooks``, found with importlib.resources), or the project's
#: ``notebooks/`` in a checkout and an editable install.
NOTEBOOKS = _notebook_folder()


def default_notebooks() -> list[Path]:
    """The seven report notebooks: the executive one-pager first, then the rest by name.

    >>> [path.stem for path in default_notebooks()][:2]
    ['kpi_scorecard', 'campaign_roi']
    """
    found = sorted(NOTEBOOKS.glob("*.ipynb"),
                   key=lambda path: (path.stem != "kpi_scorecard", path.stem))
    if not found:
        raise UsageError(f"no report notebooks in {NOTEBOOKS}; name the notebooks to render")
    return found


@dataclass
class Rendered:
    """The outcome of one notebook."""

    name: str
    notebook: Path
    html: Path | None = None
    error: str | None = None
    seconds: float = 0.0


def _declared(notebook: Path) -> dict[str, dict]:
    import papermill

    return papermill.inspect_notebook(str(notebook))


def _coerce(name: str, value: object, declared: dict, notebook: str) -> object:
    """A parameter b2bkit does not declare (a notebook of the user's): papermill's type."""
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
    """``parameters`` checked for one notebook and converted to their types.

    Parameters that :mod:`b2bkit.reports.parameters` declares are checked there
    (type, range, allowed values); others take the type of the notebook's
    parameters cell.

    Raises
    ------
    UsageError
        A name the notebook does not declare, or a value it does not allow.
    """
    declared = _declared(notebook)
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise UsageError(f"{notebook.name} has no parameter {unknown[0]!r}"
                         f"{did_you_mean(unknown[0], declared)}; "
                         f"its parameters are {', '.join(declared) or 'none'}")
    ours = {k: v for k, v in parameters.items() if k in declared_parameters.PARAMETERS}
    checked = declared_parameters.check(ours)
    return {k: checked[k] if k in checked else _coerce(k, v, declared[k], notebook.name)
            for k, v in parameters.items()}


def _failure(exc: Exception, data: str) -> str:
    cell = getattr(exc, "cell_index", None)
    ename, evalue = getattr(exc, "ename", type(exc).__name__), getattr(exc, "evalue", str(exc))
    where = f"cell {cell + 1}" if isinstance(cell, int) else "a cell"
    text = f"{where} failed: {ename}: {evalue}"
    return text.replace(data, shown(data)) if is_database(data) else text


#: What a report page may contain: nbconvert's own output markup, tables and
#: the images it embeds; no script, no event attribute, no ``javascript:`` link.
_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "div", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s",
    "small", "span", "strong", "style", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul"})
_ATTRIBUTES = {"*": ["class", "id", "title", "style"], "a": ["href", "title"],
               "img": ["src", "alt", "width", "height"], "td": ["colspan", "rowspan"],
               "th": ["colspan", "rowspan"], "ol": ["start"]}


def clean_html(element: str | bytes) -> str:
    """nbconvert's ``clean_html`` with a whitelist wide enough for tables.

    nbconvert's own filter (``HTMLExporter(sanitize_html=True)``) escapes
    ``th``, ``thead`` and ``tbody``, which breaks every pandas table; this
    one keeps them and removes the rest alike.

    >>> clean_html('<a href="javascript:alert(1)">x</a><script>alert(1)</script>')
    '<a>x</a>&lt;script&gt;alert(1)&lt;/script&gt;'
    """
    import bleach
    from bleach.css_sanitizer import CSSSanitizer

    text = element.decode() if isinstance(element, bytes) else str(element)
    return bleach.clean(text, tags=_TAGS, attributes=_ATTRIBUTES,
                        protocols={"http", "https", "mailto"},
                        css_sanitizer=CSSSanitizer())


#: MathJax (2 and 3) does not typeset inside elements of these classes.
_MATH_IGNORE = "tex2jax_ignore mathjax_ignore"

#: The folder of b2bkit's nbconvert templates (package data).
TEMPLATES = Path(__file__).resolve().parent / "templates"
#: The report page template: nbconvert's lab page without any script from the network.
TEMPLATE = "b2bkit_report"

#: ``$$ ... $$``: a display formula (may span lines).
_DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.S)
#: ``$ ... $``: an inline formula; as in pandoc, no space inside either dollar and no
#: digit right after the closing one, so "costs $10 and $20" stays text.
_INLINE_MATH = re.compile(r"(?<![\\$])\$(?![\s$])([^$\n]+?)(?<![\s\\])\$(?!\d)")


def latex_to_mathml(source: str, start: int = 0) -> tuple[str, dict[str, str]]:
    r"""Formulas of a Markdown text replaced by placeholders, and the MathML of each.

    The placeholders (``b2bkitmath<N>x``, numbered from ``start``, display formulas first;
    letters and digits only) pass Markdown and the HTML sanitiser unchanged;
    :func:`_to_html` puts the MathML back afterwards, so the page shows
    formulas with no script and no network.

    >>> text, formulas = latex_to_mathml(r"Spend $S$ over $$\frac{a}{b}$$; costs $10 and $20.")
    >>> text
    'Spend b2bkitmath1x over b2bkitmath0x; costs $10 and $20.'
    >>> formulas["b2bkitmath1x"].split(">", 1)[1]
    '<mrow><mi>S</mi></mrow></math>'
    >>> formulas["b2bkitmath0x"].split(">", 1)[0].split()[-1]
    'display="block"'
    """
    from latex2mathml.converter import convert

    formulas: dict[str, str] = {}

    def keep(display: str):
        def replace(match: re.Match) -> str:
            key = f"b2bkitmath{start + len(formulas)}x"
            formulas[key] = convert(match.group(1).strip(), display=display)
            return key
        return replace

    text = _DISPLAY_MATH.sub(keep("block"), source)
    return _INLINE_MATH.sub(keep("inline"), text), formulas


def page_title(notebook: object) -> str:
    """The report's title and period: the first ``# `` heading and the ``period`` parameter.

    The period is the one papermill injected (its metadata), else the
    default of the parameters cell.

    >>> from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
    >>> nb = new_notebook(cells=[
    ...     new_code_cell('period = "2025-Q3"', metadata={"tags": ["parameters"]}),
    ...     new_markdown_cell("# Funnel diagnosis\\nLeads to wins.")])
    >>> page_title(nb)
    'Funnel diagnosis — 2025-Q3'
    """
    title = ""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            found = re.search(r"^# +(.+?)\s*$", cell.source, re.M)
            if found:
                title = found.group(1)
                break
    period = notebook.metadata.get("papermill", {}).get("parameters", {}).get("period")
    if period is None:
        for cell in notebook.cells:
            if "parameters" in cell.metadata.get("tags", []):
                found = re.search(r"^period\s*=\s*['\"]([^'\"]*)['\"]", cell.source, re.M)
                period = found.group(1) if found else None
                break
    return " — ".join(str(part) for part in (title or "Report", period) if part)


def _to_html(notebook: Path, target: Path) -> None:
    import nbformat
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.remove_cell_tags = {"parameters", "injected-parameters",
                                                     "remove"}
    config.TagRemovePreprocessor.enabled = True
    exporter = HTMLExporter(config=config, extra_template_basedirs=[str(TEMPLATES)],
                            template_name=TEMPLATE, exclude_input=True,
                            exclude_input_prompt=True, exclude_output_prompt=True,
                            sanitize_html=True, filters={"clean_html": clean_html})
    node = nbformat.read(notebook, as_version=4)
    node.metadata["title"] = page_title(node)
    formulas: dict[str, str] = {}
    for cell in node.cells:  # formulas live in Markdown cells; outputs are never typeset
        if cell.cell_type == "markdown":
            cell.source, found = latex_to_mathml(cell.source, start=len(formulas))
            formulas.update(found)
    body, _ = exporter.from_notebook_node(node)
    # outputs carry data text: never typeset, even by a MathJax the reader's browser brings
    body = body.replace('<div class="jp-OutputArea jp-Cell-outputArea">',
                        f'<div class="jp-OutputArea jp-Cell-outputArea {_MATH_IGNORE}">')
    if formulas:
        body = re.sub(r"b2bkitmath\d+x", lambda match: formulas.get(match.group(0),
                                                                      match.group(0)), body)
    target.write_text(body, encoding="utf-8")


def check_out(out: Path) -> None:
    """``--out`` refused before anything is loaded: a file, below a file, or not writable.

    Raises
    ------
    UsageError
        Naming the file or the folder that stands in the way.
    """
    import os

    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file; name a folder for the reports")
    existing = out
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if existing != out and not existing.is_dir():
        raise UsageError(f"--out {out}: {existing} is a file, not a folder; name a folder "
                         "for the reports")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(f"--out {out}: cannot write in {existing} (permission denied or "
                         "read-only); name a folder you may write to")


def _refuse_flags(extra: dict[str, object]) -> None:
    for name in extra:
        flag = declared_parameters.SET_BY_COMMAND.get(name)
        if flag:
            raise UsageError(f"parameter {name} is set by the command's {flag}, not by "
                             f"-p {name}; use {flag}")


def render_reports(notebooks: list[Path], *, data: str, period: Period, out: Path,
                   parameters: dict[str, object] | None = None,
                   column_map: str | None = None, lenient: bool | None = None,
                   jobs: int | None = None, progress: bool = True,
                   cache: bool = True, language: str | None = None) -> list[Rendered]:
    """Check everything, load the data once, then render every notebook for one period.

    Parameters
    ----------
    notebooks : list of Path
        The notebooks to render.
    data : str
        The dataset folder (relative to the current folder) or a database
        URL, shown as the ``data`` parameter (a URL without its password).
    period : Period
        Passed as the ``period`` parameter (its text) and naming the folder.
        A period that starts after as_of is refused.
    out : Path
        Reports go to ``out/<period>/``; ``out`` must not be a file.
    parameters : dict, optional
        Further parameters (``-p NAME VALUE``) for every notebook that
        declares them; not ``data``, ``period``, ``output_dir``,
        ``column_map`` or ``lenient``, which the arguments set.
    column_map : str, optional
        A map file (relative to the current folder) or a preset name, as
        ``--map``; passed to the notebooks as an absolute path.
    lenient : bool, optional
        As ``--lenient``: ``None`` or ``False`` leave it to dataset.toml.
    jobs : int, optional
        Notebooks rendered at once, each in its own kernel (default: the
        number of cores).
    cache : bool
        As ``--no-cache`` when False: the data is read even when the cache
        of validated datasets holds it (:mod:`b2bkit.load.cache`).
    language : str, optional
        As ``--language``: ``en`` or ``ru`` (None: ``language`` of dataset.toml,
        else English). The notebooks' Markdown, every sentence and number and
        the index page are written in it (:mod:`b2bkit.core.i18n`).

    Returns
    -------
    list of Rendered
        One per notebook, in the order given; a failed one has ``error`` set.

    Raises
    ------
    UsageError
        ``out`` is a file, a parameter is unknown, refused or not allowed.
    DatasetError
        The data does not load (checked once, before any notebook runs).
    NotObservedError
        The period starts after as_of.

    Notes
    -----
    The dataset is loaded and validated once, here, and handed to the
    kernels as a snapshot (:mod:`b2bkit.reports.snapshot`) in a private temporary
    folder: every notebook sees the same rows and the same data-quality
    statement, and none pays for a load of its own.
    """
    import os
    import tempfile

    from b2bkit.core.asof import parse_as_of
    from b2bkit.core.periods import coverage_note
    from b2bkit.load.dataset import load_dataset
    from b2bkit.reports.snapshot import write_snapshot

    out = Path(out)
    check_out(out)
    names = [notebook.stem for notebook in notebooks]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:  # one page would overwrite the other and the index link it twice
        same = [str(n) for n in notebooks if n.stem == twice[0]]
        raise UsageError(f"two notebooks named {twice[0]} ({', '.join(same)}): their pages "
                         "would overwrite each other; render them in separate runs or "
                         "rename one")
    if jobs is not None and jobs < 1:
        raise UsageError(f"--jobs must be at least 1, not {jobs}")
    extra = dict(parameters or {})
    _refuse_flags(extra)
    declared = {notebook: _declared(notebook) for notebook in notebooks}
    known = set().union(*declared.values()) if declared else set()
    unknown = sorted(set(extra) - known)
    if unknown:  # a parameter no chosen notebook declares is a mistake, not a no-op
        raise UsageError(f"no notebook has a parameter {unknown[0]!r}"
                         f"{did_you_mean(unknown[0], known)}; "
                         f"their parameters are {', '.join(sorted(known)) or 'none'}")
    ours = {k: v for k, v in extra.items() if k in declared_parameters.PARAMETERS}
    declared_parameters.check(ours)  # type, range, allowed values: before loading anything
    # absolute: kernels run in parallel and a relative path must not depend on any cwd
    folder = out.resolve() / str(period)
    source, mapped = str(resolve(data)), resolve_map(column_map) or ""
    dataset = load_dataset(source, lenient=lenient or None, column_map=mapped or None,
                           cache=cache)
    extra.update(declared_parameters.check(ours, dataset=dataset))  # a team of the data
    as_of = parse_as_of(extra["as_of"]) if extra.get("as_of") else dataset.as_of
    language = language or dataset.settings.language
    coverage_note(period, as_of)  # a period after as_of is refused before any kernel starts
    with tempfile.TemporaryDirectory(prefix="b2bkit-report-") as private:
        snapshot = str(write_snapshot(dataset, Path(private)))
        plans = []
        for notebook in notebooks:  # check everything before running anything
            given = {"data": shown(source), "period": str(period),
                     "output_dir": str(folder.resolve()), "column_map": shown(mapped),
                     "lenient": bool(lenient), "snapshot": snapshot, "language": language,
                     **extra}
            wanted = {k: v for k, v in given.items() if k in declared[notebook]}
            plans.append((notebook, check_parameters(notebook, wanted)))
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # e.g. a read-only file system that access() did not tell
            raise UsageError(f"--out {out}: cannot create {folder} ({exc.strerror}); name a "
                             "folder you may write to") from None
        # a report from an earlier run must not pass for this one: the index goes first
        # (it is written last), then each notebook's old files before it renders
        (folder / "index.html").unlink(missing_ok=True)
        workers = min(jobs or os.cpu_count() or 1, len(plans)) or 1
        results = _render_all(plans, folder, data=str(data), workers=workers,
                              progress=progress, label=str(period))
    with use(language):
        write_index(folder, results, data=shown(data), period=period, dataset=dataset,
                    as_of=as_of)
    return results


def _render_all(plans: list[tuple[Path, dict]], folder: Path, *, data: str, workers: int,
                progress: bool, label: str) -> list[Rendered]:
    """Render the planned notebooks, ``workers`` at a time (each its own kernel), in order."""
    from concurrent.futures import ThreadPoolExecutor, as_completed

    from tqdm import tqdm

    bar = tqdm(total=len(plans), desc=f"rendering {label}", unit="notebook",
               disable=not progress)
    results: dict[int, Rendered] = {}
    stop = threading.Event()
    # threads suffice: each render waits on a kernel process of its own
    pool = ThreadPoolExecutor(max_workers=workers)
    futures = {pool.submit(_render_one, notebook, values, folder, data, stop): i
               for i, (notebook, values) in enumerate(plans)}
    try:
        for future in as_completed(futures):
            result = future.result()
            results[futures[future]] = result
            bar.set_postfix_str(result.name)
            bar.update()
    except KeyboardInterrupt:
        # Ctrl-C: nothing queued starts; the notebooks running (their kernels had the
        # SIGINT too) end, and what they leave incomplete is removed
        stop.set()
        pool.shutdown(wait=True, cancel_futures=True)
        bar.close()
        done = sum(1 for f in futures if not f.cancelled() and f.exception() is None
                   and f.result().error is None and f.result().html is not None)
        raise Interrupted(f"interrupted: {done} of {len(plans)} notebooks rendered, the "
                          "rest cancelled; incomplete files removed, no index written"
                          ) from None
    pool.shutdown(wait=True)
    bar.close()
    return [results[i] for i in range(len(plans))]


def _render_one(notebook: Path, values: dict, folder: Path, data: str,
                stop: threading.Event | None = None) -> Rendered:
    """Execute one notebook into ``folder`` and convert it; a failure is recorded, not raised.

    When ``stop`` is set (Ctrl-C) while it runs, nothing of it is kept: its
    partial files are removed and it has neither a notebook nor a page.
    """
    import time

    import papermill

    name = notebook.stem
    target = folder / f"{name}.ipynb"
    partial = folder / f".{name}.partial.ipynb"
    html_partial = folder / f".{name}.partial.html"
    for old in (target, folder / f"{name}.html", partial, folder / f"{name}.failed.ipynb"):
        old.unlink(missing_ok=True)
    result = Rendered(name, target)
    start = time.perf_counter()
    source = folder / f".{name}.source.ipynb"
    try:
        if values.get("language", "en") not in ("", "en"):  # its Markdown in the language
            import nbformat

            nbformat.write(translated_notebook(nbformat.read(notebook, as_version=4),
                                               values["language"]), source)
            notebook = source
        # no cwd=: papermill would os.chdir the whole process, which the threads share;
        # every path the kernel gets (data, snapshot, output_dir) is absolute instead
        papermill.execute_notebook(str(notebook), str(partial), parameters=values,
                                   progress_bar=False, kernel_name="python3")
        if stop is not None and stop.is_set():
            raise KeyboardInterrupt
        partial.replace(target)  # complete notebooks only under the final name
        _to_html(target, html_partial)
        result.html = folder / f"{name}.html"
        html_partial.replace(result.html)
    except (Exception, KeyboardInterrupt) as exc:  # a failure is reported, the others go on
        if (stop is not None and stop.is_set()) or isinstance(exc, KeyboardInterrupt):
            for path in (partial, html_partial, target, folder / f"{name}.html"):
                path.unlink(missing_ok=True)
            result.error, result.html = "interrupted", None
        else:
            result.error = _failure(exc, data)
            if partial.exists():  # what it has, with papermill's error banner, marked failed
                result.notebook = folder / f"{name}.failed.ipynb"
                partial.replace(result.notebook)
    finally:
        source.unlink(missing_ok=True)
    result.seconds = time.perf_counter() - start
    return result


def translated_notebook(notebook: object, language: str) -> object:
    """``notebook`` with each Markdown cell in ``language``, from the catalogue.

    The notebooks are written in English; each Markdown cell whole is a
    message of the catalogue (``tools/catalogue.py`` extracts them), so one
    source per notebook serves both languages. A cell the catalogue does not
    know stays as it is. The code cells are not touched: their output is
    written in the language by the ``language`` parameter.
    """
    import copy

    out = copy.deepcopy(notebook)
    with use(language):
        for cell in out.cells:
            if cell.cell_type == "markdown" and cell.source.strip():
                cell.source = _(cell.source)
    out.metadata["language"] = language
    return out


#: What each report answers: one sentence per notebook, shown on the index.
ANSWERS = {
    "kpi_scorecard": N_("Which headline KPIs are on target this period, and how each moved "
                        "against the previous period."),
    "campaign_roi": N_("Which channels and campaigns pay back their spend, and which do not."),
    "cohort_retention_clv": N_("How long customers stay and how much they spend, cohort by "
                               "cohort, and what a customer is worth."),
    "funnel_diagnosis": N_("Where the period's leads are lost on the way from lead to won "
                           "deal."),
    "pipeline_forecast": N_("What the period will book, how sure that is, and how wrong the "
                            "same forecast was in earlier periods, beside the team's own."),
    "rep_performance": N_("How each sales rep does against quota, on win rate and on "
                          "forecast."),
    "strategy_review": N_("Which marketing practices to keep, optimize or drop, judged on "
                          "leads old enough to tell."),
}


def _report_title(result: Rendered) -> str:
    """The first ``# `` heading of the rendered notebook, else its name in words."""
    import nbformat

    try:
        notebook = nbformat.read(result.notebook, as_version=4)
    except Exception:  # a notebook that is not there or not readable: its name will do
        return result.name.replace("_", " ")
    title = page_title(notebook).split(" — ", 1)[0] if notebook.cells else ""
    return title if title and title != "Report" else result.name.replace("_", " ")


def _headline(dataset: object, period: Period, as_of: object = None
              ) -> tuple[str, list[str], str]:
    """The scorecard's verdict with what its figures leave out, the data-quality lines and the
    coverage note for ``period``, with the dataset seen from ``as_of`` (None: its own), as the
    reports saw it."""
    from b2bkit.analysis.quality import headline_notes, statement
    from b2bkit.analysis.scorecard import scorecard, verdict
    from b2bkit.core.periods import coverage_note
    from b2bkit.metrics import prepare

    view = prepare(dataset, as_of)
    card = scorecard(view, period)  # targets: [targets] of dataset.toml, else own history
    headline = verdict(card, period, notes=headline_notes(view, period))
    return headline, statement(dataset, view), coverage_note(period, view.as_of)


def write_index(folder: Path, results: list[Rendered], *, data: str, period: Period,
                dataset: object = None, as_of: object = None) -> Path:
    """``index.html``: the landing page of one period's reports.

    The scorecard's headline for ``period`` (against the dataset's
    ``[targets]``, else each metric's own history, saying which; computed
    from ``dataset`` when given), the data-quality lines,
    the note on an incomplete period, then each report: its title, the one
    sentence of :data:`ANSWERS` saying what it answers, and its notebook; a
    failed one is marked with the error. Every string is escaped; ``data`` is
    shown without a password. ``as_of`` is the moment the reports saw the
    data from (``-p as_of``; None: the dataset's own), so the headline
    agrees with the scorecard page.
    """
    e = html.escape
    data = shown(data)
    rows = []
    notebook_word = _("notebook")
    for r in results:
        title, answer = e(_report_title(r)), e(_(ANSWERS[r.name]) if r.name in ANSWERS else "")
        if r.error:
            failed = _("failed ({error})").format(error=r.error)
            rows.append(f"<li class=\"failed\"><b>{title}</b>: <span class=\"mark\">"
                        f"{e(failed)}</span>; <a href=\"{e(r.notebook.name)}\">"
                        f"{e(notebook_word)}</a><br><span class=\"answer\">{answer}</span></li>")
        else:
            rows.append(f"<li><a href=\"{e(r.html.name)}\"><b>{title}</b></a>"
                        f" (<a href=\"{e(r.notebook.name)}\">{e(notebook_word)}</a>)<br>"
                        f"<span class=\"answer\">{answer}</span></li>")
    summary = ""
    if dataset is not None:
        headline, quality, coverage = _headline(dataset, period, as_of)
        heading, quality_heading = e(_("Headline")), e(_("Data quality"))
        summary = (f"<h2>{heading}</h2>\n<p class=\"headline\">{e(headline)}</p>\n"
                   + (f"<p class=\"coverage\">{e(coverage)}.</p>\n" if coverage else "")
                   + f"<h2>{quality_heading}</h2>\n<ul class=\"quality\">\n"
                   + "".join(f"<li>{e(line)}</li>\n" for line in quality) + "</ul>\n")
    title = _("Reports for {period}").format(period=period_text(period))
    tab = _("Reports {period}").format(period=period_text(period))
    span = _("Period {start} to {end}; data:").format(start=date_text(period.start),
                                                      end=date_text(period.end))
    reports_heading = e(_("Reports"))
    page = f"""<!DOCTYPE html>
<html lang="{current().code}"><head><meta charset="utf-8"><title>{e(tab)}</title>
<style>body{{font-family:sans-serif;max-width:46em;margin:2em auto;padding:0 1em;
line-height:1.5;color:#222}} .headline{{font-size:1.2em;font-weight:bold}}
.coverage{{color:#D55E00}} .answer{{color:#555}} .reports li{{margin-bottom:0.6em}}
.mark{{color:#B00020;font-weight:bold}}</style>
</head><body>
<h1>{e(title)}</h1>
<p>{e(span)} <code>{e(str(data))}</code>.</p>
{summary}<h2>{reports_heading}</h2>
<ul class="reports">
{chr(10).join(rows)}
</ul>
<script type="application/json" id="reports">{e(json.dumps([r.name for r in results]))}</script>
</body></html>
"""
    target = folder / "index.html"
    target.write_text(page, encoding="utf-8")
    return target
