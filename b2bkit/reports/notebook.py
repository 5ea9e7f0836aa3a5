"""Helpers for the report notebooks: set-up, loading, and showing results safely.

Notebooks call these so that every report looks the same, never prints a
warning or a memory address (nbval compares outputs), and escapes every
string that comes from the data: it reaches the page as text (escaped HTML
that MathJax skips), never as Markdown, LaTeX or HTML.
"""

from __future__ import annotations

import html
import warnings
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from b2bkit.core import source
from b2bkit.core.formatting import format_change, format_value
from b2bkit.core.i18n import _, current, set_language
from b2bkit.core.labels import header, row
from b2bkit.core.periods import Period
from b2bkit.load.dataset import Dataset, load_dataset
from b2bkit.metrics import View, load_view, prepare

__all__ = [
    "PLAIN",
    "PROJECT",
    "Details",
    "Start",
    "Text",
    "data_quality",
    "details",
    "formatted",
    "load",
    "missing",
    "readable",
    "resolve",
    "say",
    "say_list",
    "setup",
    "start",
]

#: The project folder (the parent of the package), for default data paths.
PROJECT = Path(__file__).resolve().parents[2]


def setup() -> None:
    """Report style for charts and tables; no warnings in the output."""
    from b2bkit.plots import apply_style

    warnings.filterwarnings("ignore")
    apply_style()
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.width", 120)
    pd.set_option("display.max_colwidth", None)  # a note is never cut ("own median of ...")


def resolve(data: str | Path) -> Path | str:
    """A dataset path as given if it exists, else relative to the project folder.

    Kernels start in the notebook's folder (nbval) or wherever papermill is
    told; ``data/demo`` must mean the project's demo data in both cases. A
    database URL (``postgresql://...``) is returned as it is
    (:func:`b2bkit.core.source.resolve`).
    """
    return source.resolve(data, PROJECT)


def load(data: str | Path, *, as_of: str | None = None, column_map: str | None = None,
         lenient: bool | None = None, settings: dict | None = None,
         snapshot: str | None = None) -> tuple[Dataset, View]:
    """The dataset and its view from ``as_of`` (empty: the dataset's own).

    Loads as ``b2bkit validate DATA --map MAP [--lenient]`` does: a foreign
    export is read through ``column_map`` (a file, resolved like ``data``,
    or a preset name); rows that break a rule are set aside only when
    ``lenient`` is true or dataset.toml says ``lenient = true`` (``False``
    and ``None`` leave it to the dataset). Under ``b2bkit report``,
    ``snapshot`` names the dataset the command loaded once with the same
    options (:mod:`b2bkit.reports.snapshot`), and nothing is read again. Otherwise
    a large folder loaded before with the same files and options comes
    from the cache of validated datasets (:mod:`b2bkit.load.cache`).
    """
    overrides = {k: v for k, v in (settings or {}).items() if v}  # 0 / empty: keep the file's
    if snapshot:
        from b2bkit.reports.snapshot import read_snapshot

        ds = read_snapshot(snapshot)
    else:
        mapped = source.resolve_map(column_map, PROJECT)
        if not overrides:  # the view as the files give it: kept with them in the cache
            return load_view(resolve(data), as_of=as_of or None, lenient=lenient or None,
                             column_map=mapped)
        ds = load_dataset(resolve(data), lenient=lenient or None, column_map=mapped)
    if overrides:
        ds = replace(ds, settings=replace(ds.settings, **overrides))
    return ds, prepare(ds, as_of or None)


class Start(NamedTuple):
    """What a report notebook works with, from :func:`start`."""

    ds: Dataset
    view: View
    period: Period
    before: Period  # the comparison: compare_to, else the previous period
    currency: str


def start(data: str | Path, period: str | int, *, compare_to: str | int | None = None,
          compared: bool = False, as_of: str | None = None, column_map: str | None = None,
          lenient: bool | None = None, snapshot: str | None = None,
          settings: dict | None = None, note: str = "", language: str = "",
          team: str = "") -> Start:
    """Open a report: its style, the data, its view from as_of and the period; print the
    header line (:func:`~b2bkit.analysis.periods_note.header_line`).

    The first cell after the parameters of every report notebook. Arguments
    are the notebook's parameters, as :func:`load` and :func:`period_of`
    take them; ``compared`` names the comparison period in the header, and
    ``note`` follows it, and `` Team East.`` for ``team="East"``. ``language`` (``en``, ``ru``;
    empty: ``language`` of dataset.toml) is the language of everything the
    report writes from here on (:func:`b2bkit.core.i18n.set_language`).

    Examples
    --------
    >>> ds, view, P, before, currency = start("b2bkit/load/sample", "2025-Q1", compared=True)
    Tiny Co: 2025-Q1 (2025-01-01 to 2025-03-31), compared with 2024-Q4, data as of \
2025-03-15. 2025-Q1 is incomplete: 74 of 90 days observed.
    >>> str(before), currency
    ('2024-Q4', 'EUR')
    """
    from b2bkit.analysis.periods_note import header_line

    setup()
    ds, view = load(data, as_of=as_of, column_map=column_map, lenient=lenient,
                    settings=settings, snapshot=snapshot)
    set_language(language or ds.settings.language)  # every sentence from here on
    if team:
        note = _(" Team {team}.").format(team=team) + note
    p, before = period_of(period, compare_to)
    print(header_line(ds.settings.name, p, view.as_of, compare_to=before if compared else None)
          + note)
    return Start(ds, view, p, before, ds.settings.currency)


#: Classes that keep MathJax (2 and 3) from typesetting ``$...$`` in data text.
PLAIN = "tex2jax_ignore mathjax_ignore"


class Text:
    """Data text for a page: escaped HTML that no Markdown or LaTeX renderer reads.

    ``_repr_html_`` is what notebooks and reports show; ``repr`` is the plain
    text (what nbval compares besides the HTML).

    >>> Text("p", "[x](javascript:alert(1)) costs $10 <b>")._repr_html_()
    '<p class="tex2jax_ignore mathjax_ignore">[x](javascript:alert(1)) costs $10 &lt;b&gt;</p>'
    """

    def __init__(self, tag: str, *lines: str, title: str = "") -> None:
        self.tag, self.lines, self.title = tag, [str(line) for line in lines], str(title)

    def __repr__(self) -> str:
        if self.title and self.tag == "ul":
            return "\n".join([self.title, *(f"* {line}" for line in self.lines)])
        return "\n".join([f"{self.title} {self.lines[0]}"] if self.title else self.lines)

    def _repr_html_(self) -> str:
        e = html.escape
        if self.tag == "ul":
            body = "".join(f"<li>{e(line)}</li>" for line in self.lines)
            if self.title:
                return (f'<div class="{PLAIN}"><strong>{e(self.title)}</strong>'
                        f"<ul>{body}</ul></div>")
        else:
            strong = f"<strong>{e(self.title)}</strong> " if self.title else ""
            body = strong + e(" ".join(self.lines))
        return f'<{self.tag} class="{PLAIN}">{body}</{self.tag}>'


def say(text: str) -> Text:
    """A sentence as a paragraph of plain text: no character from the data is markup."""
    return Text("p", text)


def say_list(lines: list[str], title: str = "") -> Text:
    """A bulleted list of plain-text lines (under ``title``): no character from the data is
    markup."""
    return Text("ul", *lines, title=title)


class Details(Text):
    """A plain sentence with the technical detail folded away (an HTML ``<details>`` block).

    >>> Details("No model.", ["b = 5e20 <big>"])._repr_html_()
    '<div class="tex2jax_ignore mathjax_ignore"><p>No model.</p><details><summary>Technical detail</summary><ul><li>b = 5e20 &lt;big&gt;</li></ul></details></div>'
    """  # noqa: E501

    def __init__(self, sentence: str, detail: list[str]) -> None:
        super().__init__("div", *detail, title=sentence)

    def __repr__(self) -> str:
        return self.title

    def _repr_html_(self) -> str:
        e = html.escape
        body = "".join(f"<li>{e(line)}</li>" for line in self.lines)
        summary = e(_("Technical detail"))
        return (f'<div class="{PLAIN}"><p>{e(self.title)}</p><details><summary>{summary}'
                f"</summary><ul>{body}</ul></details></div>")


def details(sentence: str, detail: list[str]) -> Details:
    """One plain sentence for the reader, the technical detail collapsed beneath it."""
    return Details(sentence, list(detail))


def missing(what: str, reason: str) -> Text:
    """A visible note for a section that has no data (both texts shown as text).

    The reason is a sentence after the title's full stop, so its first
    letter is capitalised, unless its first word is a name from the data
    model (``sql_at``).

    >>> repr(missing("Stage durations", "the dataset has no stage history."))
    'Stage durations: not available. The dataset has no stage history.'
    >>> repr(missing("Lead quality chart", "sql_at is not recorded."))
    'Lead quality chart: not available. sql_at is not recorded.'
    """
    if "_" not in reason.split(" ", 1)[0]:
        reason = reason[:1].upper() + reason[1:]
    return Text("blockquote", reason, title=_("{what}: not available.").format(what=what))


def data_quality(ds: Dataset, view: View | None = None) -> Text:
    """The data-quality statement a report opens with (CONTRACT sections 1 and 2).

    Rows read, loaded and set aside, every rule with its rows and the amount
    involved, warnings, files not read; with ``view``, the rows dated after
    its as_of that no number counts. The same sentences as ``b2bkit
    validate`` (:func:`b2bkit.analysis.quality.quality_lines`,
    :func:`b2bkit.analysis.quality.as_of_lines`).

    >>> from b2bkit.load.dataset import sample_dataset
    >>> ds = sample_dataset()
    >>> print(repr(data_quality(ds, prepare(ds, "2025-03-10"))))
    Data quality
    * engagement: 1 row kept with a warning: exact duplicate of an earlier row
    * rows read 40 = loaded 40 + set aside 0
    * leads: 1 row created after as_of 2025-03-10 not counted
    * orders: 1 row dated after as_of 2025-03-10 not counted
    """
    from b2bkit.analysis.quality import statement

    return Text("ul", *statement(ds, view), title=_("Data quality"))


def formatted(frame: pd.DataFrame, units: dict[str, str] | None = None, currency: str = ""
              ) -> pd.DataFrame:
    """A copy for display: ``units`` columns as text (money, percents), first column as index.

    ``units`` defaults to the units the table carries (``frame.attrs["units"]``,
    set by the :mod:`b2bkit.analysis` function that made it); given, it adds
    to them. A unit ending in ``_change`` (``rate_change``, ``currency_change``)
    is a signed change of that unit, rates in percentage points. The loop
    formats the cells of a small result table, never the rows of the data.

    >>> table = pd.DataFrame({"channel": ["ads"], "share": [0.25]})
    >>> table.attrs["units"] = {"share": "rate"}
    >>> formatted(table)["share"].tolist()
    ['25.0%']
    """
    return _headers(_formatted(frame, units, currency), names=True)


def _formatted(frame: pd.DataFrame, units: dict[str, str] | None, currency: str
               ) -> pd.DataFrame:
    out = frame.copy()
    for column, unit in {**frame.attrs.get("units", {}), **(units or {})}.items():
        if column in out and unit.endswith("_change"):
            base = unit.removesuffix("_change")
            out[column] = [format_change(v, base, currency) for v in out[column]]
        elif column in out:
            out[column] = [format_value(v, unit, currency) for v in out[column]]
    return out.set_index(out.columns[0]) if len(out.columns) > 1 else out


def _headers(out: pd.DataFrame, names: bool = False) -> pd.DataFrame:
    """Column headers, the index's name and its canonical row labels in the report's
    language (:mod:`b2bkit.core.labels`); in English the table as it is. Last, after
    the units (keyed by the English names) have formatted the cells. ``names``: the
    headers are still code names (``campaign_id``), read as their labels first."""
    if current().english:
        return out
    from b2bkit.metrics.glossary import label

    def name(text: object) -> object:
        return header(label(text)) if names and isinstance(text, str) else header(text)

    out = out.copy()
    if isinstance(out.columns, pd.MultiIndex):  # a header of groups ("lead source" over models)
        out.columns = pd.MultiIndex.from_tuples(
            [tuple(name(part) for part in column) for column in out.columns],
            names=[name(level) for level in out.columns.names])
    else:
        out.columns = out.columns.map(name)
    if isinstance(out.index, pd.MultiIndex):
        out.index = pd.MultiIndex.from_tuples(
            [tuple(row(part) for part in labels) for labels in out.index],
            names=[name(level) for level in out.index.names])
    else:
        out.index = out.index.map(row)
        out.index.name = name(out.index.name)
    return out


def readable(frame: pd.DataFrame, units: dict[str, str] | None = None, currency: str = ""
             ) -> pd.DataFrame:
    """A table as a reader sees it: values in their units, metrics by their glossary labels.

    :func:`formatted`, then :func:`b2bkit.metrics.glossary.labelled` on the header and on row
    labels that are metrics (channels, reps and other names from the data stay as they are).
    """
    from b2bkit.metrics.glossary import labelled

    out = labelled(_formatted(frame, units, currency), index=True)
    if isinstance(out.index.name, str):  # the index's header too: "campaign id", not campaign_id
        out.index.name = labelled(pd.DataFrame(columns=[out.index.name])).columns[0]
    return _headers(out)


def period_of(period: str | int, compare_to: str | int | None = None) -> tuple[Period, Period]:
    """The period and its comparison (default: the previous period)."""
    p = Period.parse(period)
    return p, (Period.parse(compare_to) if compare_to not in (None, "") else p.previous())
