"""Helpers for the report notebooks: set-up, loading, and showing results safely.

Notebooks call these so that every report looks the same, never prints a
warning or a memory address (nbval compares outputs), and escapes every
string that comes from the data before it is shown as Markdown.
"""

from __future__ import annotations

import html
import warnings
from dataclasses import replace
from pathlib import Path

import pandas as pd

from b2bkit.dataset import Dataset, load_dataset
from b2bkit.formatting import format_value
from b2bkit.metrics import View, prepare
from b2bkit.periods import Period

__all__ = ["PROJECT", "formatted", "load", "missing", "resolve", "say", "say_list", "setup"]

#: The project folder (the parent of the package), for default data paths.
PROJECT = Path(__file__).resolve().parents[1]


def setup() -> None:
    """Report style for charts and tables; no warnings in the output."""
    from b2bkit.plots import apply_style

    warnings.filterwarnings("ignore")
    apply_style()
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.width", 120)


def resolve(data: str | Path) -> Path:
    """A dataset path as given if it exists, else relative to the project folder.

    Kernels start in the notebook's folder (nbval) or wherever papermill is
    told; ``data/demo`` must mean the project's demo data in both cases.
    """
    path = Path(data)
    if path.is_absolute() or path.exists():
        return path
    return PROJECT / path


def load(data: str | Path, *, as_of: str | None = None, column_map: str | None = None,
         settings: dict | None = None) -> tuple[Dataset, View]:
    """The dataset and its view from ``as_of`` (empty: the dataset's own).

    A foreign export is read through ``column_map`` (a file, resolved like
    ``data``, or a preset name), leniently: rows that break a rule are set
    aside and counted, so a report still renders from an imperfect export.
    """
    if column_map:
        mapped = resolve(column_map)
        ds = load_dataset(resolve(data), lenient=True,
                          column_map=str(mapped) if mapped.exists() else column_map)
    else:
        ds = load_dataset(resolve(data))
    overrides = {k: v for k, v in (settings or {}).items() if v}  # 0 / empty: keep the file's
    if overrides:
        ds = replace(ds, settings=replace(ds.settings, **overrides))
    return ds, prepare(ds, as_of or None)


def metric_table(view: View, period: Period, names: list[str]) -> pd.DataFrame:
    """Metrics of the period and the previous one, formatted, with reasons."""
    from b2bkit.analysis.funnel import summary_table

    return summary_table(view, period, names)


def say(text: str) -> object:
    """A sentence as Markdown, every character from the data escaped."""
    from IPython.display import Markdown

    return Markdown(html.escape(text, quote=False))


def say_list(lines: list[str]) -> object:
    """A bulleted list as Markdown, every character from the data escaped."""
    from IPython.display import Markdown

    return Markdown("\n".join(f"* {html.escape(line, quote=False)}" for line in lines))


def missing(what: str, reason: str) -> object:
    """A visible note for a section that has no data."""
    from IPython.display import Markdown

    return Markdown(f"> **{html.escape(what)}: not available.** {html.escape(reason)}")


def formatted(frame: pd.DataFrame, units: dict[str, str], currency: str = "") -> pd.DataFrame:
    """A copy for display: ``units`` columns as text (money, percents), first column as index.

    The loop formats the cells of a small result table, never the rows of the data.
    """
    out = frame.copy()
    for column, unit in units.items():
        if column in out:
            out[column] = [format_value(v, unit, currency) for v in out[column]]
    return out.set_index(out.columns[0]) if len(out.columns) > 1 else out


def period_of(period: str | int, compare_to: str | int | None = None) -> tuple[Period, Period]:
    """The period and its comparison (default: the previous period)."""
    p = Period.parse(period)
    return p, (Period.parse(compare_to) if compare_to not in (None, "") else p.previous())
