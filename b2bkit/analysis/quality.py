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


#: A headline figure whose set-aside or warned rows hold more than this share of its
#: count or amount says so in its sentence (CONTRACT section 1, revision 3).
SHARE = 0.05

#: Per headline figure: table, the date that puts a row in a period, and a row filter.
_FIGURES = {
    "won deals": ("opportunities", "closed_at"),
    "orders": ("orders", "date"),
    "spend rows": ("spend", "date"),
    "leads": ("leads", "created_at"),
}


def _in(frame: pd.DataFrame, column: str, period, as_of) -> pd.Series:
    if column not in frame:
        return pd.Series(False, index=frame.index)
    day = frame[column].dt.normalize()
    inside = (day >= period.start) & (day <= period.end)
    if as_of is not None:
        inside &= day <= as_of
    return inside.fillna(False).astype(bool)


def _won(frame: pd.DataFrame) -> pd.Series:
    if "status" not in frame:
        return pd.Series(False, index=frame.index)
    return (frame["status"].astype("string") == "won").fillna(False).astype(bool)


def _reasons(rows: pd.DataFrame) -> str:
    """The reasons of set-aside rows, most frequent first (at most three named)."""
    counts = rows["reason"].astype("string").fillna("").value_counts()
    named = [f"{r} ({n:,})" for r, n in counts.head(3).items()]
    return "; ".join(named) + ("; ..." if len(counts) > 3 else "")


def headline_notes(ds: Dataset, view: View, period) -> list[str]:
    """Sentences that say, beside each headline figure, what its data leaves out.

    - won deals and bookings: how many won deals of the period have no amount
      (counted as 0 in every sum), always when there is one; the won deals
      of the period set aside, and those without an account, when they hold
      more than :data:`SHARE` of the won deals' count or amount;
    - orders (revenue), spend and leads: the rows of the period set aside
      when they hold more than :data:`SHARE` of its rows or amount.

    The rows set aside are weighed by their own dates (as parsed; a row
    whose date did not parse is not placed in any period).

    Examples
    --------
    >>> from b2bkit.load.dataset import from_frames
    >>> from b2bkit.metrics import prepare
    >>> from b2bkit.core.periods import Period
    >>> ds = from_frames({"opportunities": pd.DataFrame({
    ...     "opportunity_id": ["D1", "D2", "D3"], "created_at": ["2025-01-02"] * 3,
    ...     "status": ["won", "won", "won"], "amount": [100, None, -5],
    ...     "account_id": ["A1", "A1", "A1"],
    ...     "closed_at": ["2025-02-01", "2025-02-02", "2025-02-01"]})}, lenient=True)
    >>> for line in headline_notes(ds, prepare(ds), Period.parse("2025-Q1")):
    ...     print(line)
    2 won deals in 2025-Q1 worth 100.00 USD; 1 of them has no amount and counts 0 in bookings; \
1 won deal worth -5.00 USD was set aside: amount: must be >= 0 (1)
    """
    currency = ds.settings.currency
    notes = []
    for noun, (table, column) in _FIGURES.items():
        if table not in ds.tables and table not in ds.aside:
            continue
        kept = view.tables.get(table, pd.DataFrame())
        aside = ds.aside.get(table, pd.DataFrame())
        kept = kept[_in(kept, column, period, view.as_of)] if len(kept) else kept
        aside = aside[_in(aside, column, period, view.as_of)] if len(aside) else aside
        if noun == "won deals":
            kept, aside = kept[_won(kept)] if len(kept) else kept, (
                aside[_won(aside)] if len(aside) else aside)
        money = "amount"
        amount_k = float(kept[money].astype(float).sum()) if money in kept else 0.0
        amount_a = float(aside[money].astype(float).sum()) if money in aside else 0.0
        n_k, n_a = len(kept), len(aside)
        parts = []
        if noun == "won deals" and money in kept:
            blank = int(kept[money].isna().sum())
            if blank:
                parts.append(f"{blank:,} of them {'has' if blank == 1 else 'have'} no amount "
                             "and count{'s' if blank == 1 else ''} 0 in bookings"
                             .replace("count{'s' if blank == 1 else ''}",
                                      "counts" if blank == 1 else "count"))
        total_n, total_a = n_k + n_a, abs(amount_k) + abs(amount_a)
        if n_a and (n_a / total_n > SHARE or (total_a and abs(amount_a) / total_a > SHARE)):
            one = noun[:-1] if n_a == 1 else noun
            parts.append(f"{n_a:,} {one} worth {amount_a:,.2f} {currency} "
                         f"{'was' if n_a == 1 else 'were'} set aside: {_reasons(aside)}")
        if noun == "won deals" and "account_id" in kept and n_k:
            lacking = int(kept["account_id"].isna().sum())
            if lacking and lacking / n_k > SHARE:
                parts.append(f"{lacking:,} won deal{'' if lacking == 1 else 's'} without an "
                             "account make{'s' if lacking == 1 else ''} no customer"
                             .replace("make{'s' if lacking == 1 else ''}",
                                      "makes" if lacking == 1 else "make"))
        if parts:
            shown = f" worth {amount_k:,.2f} {currency}" if money in kept else ""
            head = f"{n_k:,} {noun[:-1] if n_k == 1 else noun} in {period}{shown}"
            notes.append("; ".join([head, *parts]))
    return notes
