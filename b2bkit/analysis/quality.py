"""The data-quality sentences every output prints, from a dataset's quality frame.

:func:`quality_lines` turns :attr:`b2bkit.load.dataset.Dataset.quality` and
its accounting into sentences; :func:`as_of_lines` adds the rows the as_of
cut leaves out; :func:`statement` is both, as every output prints them.

Examples
--------
>>> import pandas as pd
>>> from b2bkit.load.dataset import from_frames
>>> ds = from_frames({"spend": pd.DataFrame({"date": ["2025-01-01", "2025-01-01"],
...                                          "channel": ["ads", "ads"], "amount": [5, 5]})})
>>> for line in quality_lines(ds):
...     print(line)
spend: 1 row worth 5.00 USD kept with a warning: exact duplicate of an earlier row
rows read 2 = loaded 2 + set aside 0
"""

from __future__ import annotations

import pandas as pd

from b2bkit.load.dataset import Dataset
from b2bkit.view.cut import dropped
from b2bkit.view.view import View

__all__ = ["CLEAN", "as_of_lines", "quality_lines", "statement"]

#: The one line of a dataset with nothing set aside, warned about or ignored.
CLEAN = "No rows were set aside and nothing was warned about."

_NOUNS = {"opportunities": ("deal", "deals"), "leads": ("lead", "leads"),
          "orders": ("order", "orders"), "stage_history": ("stage row", "stage rows"),
          "accounts": ("account", "accounts"), "reps": ("rep", "reps"),
          "campaigns": ("campaign", "campaigns")}


def _count(table: str, n: int) -> str:
    one, many = _NOUNS.get(table, ("row", "rows"))
    return f"{n:,} {one if n == 1 else many}"


def _sentence(row: pd.Series, currency: str) -> str:
    if row["severity"] == "ignored" and row["column"]:
        file = str(row["file"]).rsplit("/", 1)[-1]
        return f"{file}, column {row['column']!r}: not read ({row['rule']})"
    if row["severity"] == "ignored":
        return f"{row['file']}: not read ({row['rule']})"
    worth = "" if pd.isna(row["amount"]) else f" worth {row['amount']:,.2f} {currency}"
    if row["severity"] == "left out":  # title lines and summary rows: not data
        n = int(row["rows"])
        noun = "title line" if str(row["rule"]).startswith("title") else "summary row"
        return (f"{row['table']}: {n:,} {noun}{'' if n == 1 else 's'}{worth} left out "
                f"(not data): {row['rule']}")
    what = "set aside" if row["severity"] == "set aside" else "kept with a warning"
    rule = row["rule"]
    if row["column"] and not rule.startswith(row["column"]):
        rule = f"{row['column']}: {rule}"
    return f"{row['table']}: {_count(row['table'], row['rows'])}{worth} {what}: {rule}"


def quality_lines(ds: Dataset) -> list[str]:
    """The sentences about a dataset's data quality that every output prints.

    One per rule set aside or warned about ("opportunities: 4 deals worth
    1,540,000.00 MXN set aside: ..."), the accounting "rows read R = loaded L
    + set aside S" when anything was set aside or warned about, one per
    line-level file combined by a map ("order_lines.csv: 1,204 lines
    combined into 512 orders"), one per file not read; for a dataset with
    none of these, the single line :data:`CLEAN`.
    """
    quality, accounting = ds.quality, ds.accounting
    lines = [_sentence(row, ds.settings.currency) for _, row in quality.iterrows()
             if row["severity"] != "ignored"]
    if lines:
        read, loaded = int(accounting["read"].sum()), int(accounting["loaded"].sum())
        aside = int(accounting["set_aside"].sum())
        lines.append(f"rows read {read:,} = loaded {loaded:,} + set aside {aside:,}")
    if "lines" in accounting:
        combined = accounting[accounting["lines"] != accounting["read"]]
        lines += [f"{r.file.rsplit('/', 1)[-1]}: {r.lines:,} lines combined into "
                  f"{_count(r.table, r.read)}" for r in combined.itertuples()]
    lines += [_sentence(row, ds.settings.currency) for _, row in quality.iterrows()
              if row["severity"] == "ignored"]
    if not (quality["severity"] != "ignored").any():
        lines.append(CLEAN)
    return lines


def as_of_lines(view: View) -> list[str]:
    """One sentence per table whose rows dated after as_of are not counted.

    The rows are those :attr:`b2bkit.view.view.View.cut` counts: leads
    and opportunities created after as_of, and the dated rows (orders,
    spend, ...) after it. Nothing is said of a table that lost none.

    Examples
    --------
    >>> from b2bkit.load.dataset import from_frames
    >>> from b2bkit.metrics import prepare
    >>> ds = from_frames({"spend": pd.DataFrame({"date": ["2025-01-01", "2025-03-01"],
    ...                                          "channel": ["ads", "ads"], "amount": [5, 7]})})
    >>> as_of_lines(prepare(ds, "2025-01-31"))
    ['spend: 1 row dated after as_of 2025-01-31 not counted']
    """
    return _cut_lines(view.cut, view.as_of)


def _cut_lines(cut: pd.DataFrame, as_of: pd.Timestamp) -> list[str]:
    day = as_of.strftime("%Y-%m-%d")
    return [f"{r.table}: {r.rows:,} row{'' if r.rows == 1 else 's'} "
            f"{'created' if r.column == 'created_at' else 'dated'} after as_of {day} not counted"
            for r in cut.itertuples(index=False)]


def statement(ds: Dataset, view: View | None = None) -> list[str]:
    """Every output's data-quality sentences: :func:`quality_lines`, then :func:`as_of_lines`.

    ``view`` defaults to the dataset seen from its own as_of; a dataset
    without dated rows has no as_of and nothing cut.

    >>> from b2bkit.load.dataset import sample_dataset
    >>> from b2bkit.metrics import prepare
    >>> ds = sample_dataset()
    >>> statement(ds, prepare(ds, "2025-03-14"))[-1]
    'leads: 1 row created after as_of 2025-03-14 not counted'
    """
    if ds.as_of is None:
        return quality_lines(ds)
    if view is None:  # the rows the View of the dataset's own as_of leaves out
        return quality_lines(ds) + _cut_lines(dropped(ds.tables, ds.as_of), ds.as_of)
    return quality_lines(ds) + as_of_lines(view)
