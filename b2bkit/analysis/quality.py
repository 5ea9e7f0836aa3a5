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

from typing import NamedTuple

import pandas as pd

from b2bkit.core.i18n import N_, NC_, _, date_text, money, ngettext, number, pgettext
from b2bkit.core.i18n import period_text as _period_text
from b2bkit.core.periods import Period
from b2bkit.load.dataset import Dataset
from b2bkit.load.rules import reason_text, rule_text
from b2bkit.view.cut import dropped
from b2bkit.view.view import View

__all__ = ["CLEAN", "FIGURES", "SHARE", "as_of_lines", "figure_note", "figure_parts",
           "headline_notes", "quality_lines", "statement"]

#: The one line of a dataset with nothing set aside, warned about or ignored.
#: (Translated where it is said: ``_(CLEAN)``.)
CLEAN = N_("No rows were set aside and nothing was warned about.")


def _count(table: str, n: int) -> str:
    """``n`` rows of ``table`` by their noun: "4 deals", "1 lead", "12 rows"."""
    text, n = number(n), int(n)
    if table == "opportunities":
        return ngettext("{n} deal", "{n} deals", n).format(n=text)
    if table == "leads":
        return ngettext("{n} lead", "{n} leads", n).format(n=text)
    if table == "orders":
        return ngettext("{n} order", "{n} orders", n).format(n=text)
    if table == "stage_history":
        return ngettext("{n} stage row", "{n} stage rows", n).format(n=text)
    if table == "accounts":
        return ngettext("{n} account", "{n} accounts", n).format(n=text)
    if table == "reps":
        return ngettext("{n} rep", "{n} reps", n).format(n=text)
    if table == "campaigns":
        return ngettext("{n} campaign", "{n} campaigns", n).format(n=text)
    return ngettext("{n} row", "{n} rows", n).format(n=text)


def _worth_text(amount: float | None, currency: str) -> str:
    """" worth 5.00 USD" ("" without an amount): the clause after a count of rows."""
    if amount is None or pd.isna(amount):
        return ""
    return _(" worth {amount}").format(amount=money(float(amount), currency))


def _sentence(row: pd.Series, currency: str) -> str:
    if row["severity"] == "ignored" and row["column"]:
        file = str(row["file"]).rsplit("/", 1)[-1]
        return _("{file}, column {column}: not read ({rule})").format(
            file=file, column=repr(row["column"]), rule=rule_text(row["rule"]))
    if row["severity"] == "ignored":
        return _("{file}: not read ({rule})").format(file=row["file"],
                                                     rule=rule_text(row["rule"]))
    worth = _worth_text(row["amount"], currency)
    if row["severity"] == "left out":  # title lines and summary rows: not data
        n = int(row["rows"])
        values = {"table": row["table"], "n": number(n), "worth": worth,
                  "rule": rule_text(row["rule"])}
        if str(row["rule"]).startswith("title"):
            return ngettext("{table}: {n} title line{worth} left out (not data): {rule}",
                            "{table}: {n} title lines{worth} left out (not data): {rule}",
                            n).format(**values)
        return ngettext("{table}: {n} summary row{worth} left out (not data): {rule}",
                        "{table}: {n} summary rows{worth} left out (not data): {rule}",
                        n).format(**values)
    rule = rule_text(row["rule"])
    if row["column"] and not row["rule"].startswith(row["column"]):
        rule = f"{row['column']}: {rule}"
    values = {"table": row["table"], "count": _count(row["table"], row["rows"]),
              "worth": worth, "rule": rule}
    if row["severity"] == "set aside":
        return _("{table}: {count}{worth} set aside: {rule}").format(**values)
    return _("{table}: {count}{worth} kept with a warning: {rule}").format(**values)


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
        lines.append(_("rows read {read} = loaded {loaded} + set aside {aside}").format(
            read=number(read), loaded=number(loaded), aside=number(aside)))
    if "lines" in accounting:
        combined = accounting[accounting["lines"] != accounting["read"]]
        lines += [ngettext("{file}: {lines} lines combined into {count}",
                           "{file}: {lines} lines combined into {count}", int(r.lines)).format(
                      file=r.file.rsplit("/", 1)[-1], lines=number(r.lines),
                      count=_count(r.table, r.read)) for r in combined.itertuples()]
    lines += [_sentence(row, ds.settings.currency) for _, row in quality.iterrows()
              if row["severity"] == "ignored"]
    if not (quality["severity"] != "ignored").any():
        lines.append(_(CLEAN))
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
    day = date_text(as_of)
    return [(ngettext("{table}: {n} row created after as_of {day} not counted",
                      "{table}: {n} rows created after as_of {day} not counted", int(r.rows))
             if r.column == "created_at" else
             ngettext("{table}: {n} row dated after as_of {day} not counted",
                      "{table}: {n} rows dated after as_of {day} not counted", int(r.rows))
             ).format(table=r.table, n=number(r.rows), day=day)
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
#: count or amount says so in its sentence (CONTRACT section 1, revision 3): exactly 5%
#: says nothing.
SHARE = 0.05


class _Figure(NamedTuple):
    table: str
    date: str  # the date that puts a row in a period
    day: str  # that date in words, for rows set aside without it (translated where used)


#: The headline figures (CONTRACT section 1): won deals (with bookings, their amount), revenue
#: (orders), marketing spend and leads.
FIGURES = {
    "won_deals": _Figure("opportunities", "closed_at", NC_("without a", "close date")),
    "revenue": _Figure("orders", "date", NC_("without a", "date")),
    "marketing_spend": _Figure("spend", "date", NC_("without a", "date")),
    "leads": _Figure("leads", "created_at", NC_("without a", "creation date")),
}

#: The warnings that bear on a headline figure, in words (others: their rule as validate says).
_WARNED = {
    ("opportunities", "closed_at"): N_("closed before they were created (entered after the "
                                       "fact)"),
    ("leads", "created_at"): N_("created after their won deal closed (entered after the fact)"),
}


def _plural(figure: str, n: int) -> str:
    """``n`` rows of a headline figure by their noun: "4 won deals", "12 spend rows"."""
    text = number(n)
    if figure == "won_deals":
        return ngettext("{n} won deal", "{n} won deals", n).format(n=text)
    if figure == "revenue":
        return ngettext("{n} order", "{n} orders", n).format(n=text)
    if figure == "marketing_spend":
        return ngettext("{n} spend row", "{n} spend rows", n).format(n=text)
    return ngettext("{n} lead", "{n} leads", n).format(n=text)


def _amount(frame: pd.DataFrame) -> float | None:
    return float(frame["amount"].astype(float).sum()) if "amount" in frame else None


def _worth(frame: pd.DataFrame, currency: str) -> str:
    return _worth_text(_amount(frame), currency)


def _won(frame: pd.DataFrame) -> pd.Series:
    if "status" not in frame:
        return pd.Series(False, index=frame.index)
    return (frame["status"].astype("string") == "won").fillna(False).astype(bool)


def _dated(frame: pd.DataFrame, figure: _Figure, period: Period, as_of) -> pd.Series:
    """Rows of the figure in the period (up to as_of); NA where the row has no usable date."""
    if figure.date not in frame:
        return pd.Series(pd.NA, index=frame.index, dtype="boolean")
    day = pd.to_datetime(frame[figure.date], errors="coerce").dt.normalize()
    inside = (day >= period.start) & (day <= period.end)
    if as_of is not None:
        inside &= day <= as_of
    out = inside.astype("boolean")
    out[day.isna()] = pd.NA
    if figure.table == "opportunities":
        out &= _won(frame)
    return out


def _reasons(rows: pd.DataFrame) -> str:
    """The reasons of set-aside rows, most frequent first (at most three named)."""
    counts = rows["reason"].astype("string").fillna("").value_counts()
    named = [f"{reason_text(r)} ({number(n)})" for r, n in counts.head(3).items()]
    return "; ".join(named) + ("; ..." if len(counts) > 3 else "")


def _warnings(rows: pd.DataFrame, figure: _Figure, view: View) -> list:
    """The warnings of the figure's kept rows that bear on it (not case variants of names)."""
    from b2bkit.core.schema import TABLES
    from b2bkit.load.warn import lead_after_won, table_warnings

    if not len(rows):
        return []
    issues = table_warnings(rows, TABLES[figure.table], variants=False)
    if figure.table == "leads" and "opportunities" in view.tables:
        issues += lead_after_won(rows, view.tables["opportunities"])
    return [i for i in issues if i.mask.any()]


class _Rows(NamedTuple):
    kept: pd.DataFrame  # the figure's rows of the period
    aside: pd.DataFrame  # its rows set aside, dated in the period
    undated: pd.DataFrame  # its rows set aside without a usable date


def _rows(view: View, period: Period, spec: _Figure, figure: str) -> _Rows | None:
    kept, aside = view.tables.get(spec.table), view.aside.get(spec.table)
    if kept is None and aside is None:
        return None
    kept = kept if kept is not None else pd.DataFrame()
    aside = aside if aside is not None else pd.DataFrame(columns=["reason"])
    kept = kept[_dated(kept, spec, period, view.as_of).fillna(False).to_numpy(dtype=bool)]
    where = _dated(aside, spec, period, view.as_of)
    loose = where.isna().to_numpy(dtype=bool, copy=True)
    if figure == "won_deals":
        loose &= _won(aside).to_numpy(dtype=bool)
    return _Rows(kept, aside[where.fillna(False).to_numpy(dtype=bool)], aside[loose])


def _magnitude(frame: pd.DataFrame) -> float:
    return float(frame["amount"].astype(float).abs().sum()) if "amount" in frame else 0.0


def _crosses(rows: _Rows, affected: pd.Series) -> bool:
    """More than :data:`SHARE` of the figure's rows, or of its amount, set aside or warned."""
    n = len(rows.kept) + len(rows.aside) + len(rows.undated)
    hit = int(affected.sum()) + len(rows.aside) + len(rows.undated)
    total = _magnitude(rows.kept) + _magnitude(rows.aside) + _magnitude(rows.undated)
    held = (_magnitude(rows.kept[affected.to_numpy(dtype=bool)]) + _magnitude(rows.aside)
            + _magnitude(rows.undated))
    return bool(n) and (hit / n > SHARE or (total > 0 and held / total > SHARE))


def figure_parts(view: View, period: Period | str, figure: str) -> list[str]:
    """What one headline figure's data leaves out, as clauses for the sentence stating it.

    The rule (CONTRACT section 1, revision 3):

    - won deals and bookings: the won deals closed in the period without an
      amount are said whenever there is one (they count as won and as 0 in
      bookings);
    - every figure (won deals, revenue, marketing spend, leads): when its
      rows set aside or kept with a warning hold more than :data:`SHARE`
      of its count or of its amount (kept and set-aside rows of the period
      together; exactly 5% is not more), the clauses name them, with their
      count, amount and reason. Set-aside rows are placed in a period by
      their own date; those without a usable date could be in any period
      and are named too, as rows that may belong to it. Summary rows and
      title lines of an export are not data and never part of a figure;
      case variants of a grouping value bear on the groups, not on a figure.

    ``figure`` is a key of :data:`FIGURES`; :func:`figure_note` puts the
    clauses after the figure itself.

    >>> from b2bkit.load.dataset import from_frames
    >>> from b2bkit.metrics import prepare
    >>> opps = pd.DataFrame({"opportunity_id": ["D1", "D2"], "created_at": "2025-01-02",
    ...                      "status": "won", "amount": [100, None], "account_id": "A1",
    ...                      "closed_at": "2025-02-01"})
    >>> figure_parts(prepare(from_frames({"opportunities": opps})), "2025-Q1", "won_deals")
    ['1 of them has no amount and counts 0 in bookings']
    """
    period, spec = Period.parse(period), FIGURES[figure]
    rows = _rows(view, period, spec, figure)
    return [] if rows is None else _parts(view, period, spec, figure, rows)


def _parts(view: View, period: Period, spec: _Figure, figure: str, rows: _Rows) -> list[str]:
    currency, kept = view.settings.currency, rows.kept
    warned = _warnings(kept, spec, view)
    affected = pd.Series(False, index=kept.index)
    for issue in warned:  # a few rules, not rows
        affected |= issue.mask.to_numpy(dtype=bool)
    parts = []
    if figure == "won_deals" and "amount" in kept and kept["amount"].isna().any():
        blank = int(kept["amount"].isna().sum())
        parts.append(ngettext("{n} of them has no amount and counts 0 in bookings",
                              "{n} of them have no amount and count 0 in bookings",
                              blank).format(n=number(blank)))
    if not _crosses(rows, affected):
        return parts
    if len(rows.aside):
        n = len(rows.aside)
        parts.append(ngettext("{count}{worth} was set aside: {reasons}",
                              "{count}{worth} were set aside: {reasons}", n).format(
            count=_plural(figure, n), worth=_worth(rows.aside, currency),
            reasons=_reasons(rows.aside)))
    if len(rows.undated):
        n = len(rows.undated)
        parts.append(ngettext(
            "{count}{worth} without a {day} was set aside and may belong to {period}: "
            "{reasons}",
            "{count}{worth} without a {day} were set aside and may belong to {period}: "
            "{reasons}", n).format(
            count=_plural(figure, n), worth=_worth(rows.undated, currency),
            day=pgettext("without a", spec.day), period=_period_text(period),
            reasons=_reasons(rows.undated)))
    for issue in warned:
        if figure == "won_deals" and issue.column == "amount":
            continue  # said above, always
        hit = kept[issue.mask.to_numpy(dtype=bool)]
        if issue.column == "account_id":
            parts.append(ngettext("{n} of them has no account and makes no customer",
                                  "{n} of them have no account and make no customer",
                                  len(hit)).format(n=number(len(hit))))
            continue
        known = _WARNED.get((spec.table, issue.column))
        what = _(known) if known else rule_text(issue.rule)
        parts.append(ngettext("{n} of them{worth} was kept with a warning: {what}",
                              "{n} of them{worth} were kept with a warning: {what}",
                              len(hit)).format(n=number(len(hit)), worth=_worth(hit, currency),
                                               what=what))
    return parts


def figure_note(view: View, period: Period | str, figure: str) -> str:
    """The sentence that states one headline figure with what its data leaves out, or "".

    The figure ("4 won deals in 2026-Q2 worth 455,000.00 USD", "Revenue ...
    in 2025-Q1 from 12 orders", "Marketing spend ... in 2025-Q1 from 30
    spend rows", "12 leads in 2025-Q1"), then :func:`figure_parts`; "" when
    those say nothing.

    Examples
    --------
    >>> from b2bkit.load.dataset import from_frames
    >>> from b2bkit.metrics import prepare
    >>> spend = pd.DataFrame({"date": ["2025-01-05"] * 3, "channel": ["ads", "ads", "web"],
    ...                       "amount": [50, 50, 900]})
    >>> figure_note(prepare(from_frames({"spend": spend})), "2025-Q1", "marketing_spend")
    'Marketing spend 1,000.00 USD in 2025-Q1 from 3 spend rows; 1 of them worth 50.00 USD was \
kept with a warning: exact duplicate of an earlier row'
    >>> days = pd.date_range("2025-01-01", periods=20).astype(str).tolist()
    >>> more = pd.DataFrame({"date": days + days[:1], "channel": "ads", "amount": 50})
    >>> figure_note(prepare(from_frames({"spend": more})), "2025-Q1", "marketing_spend")
    ''

    (the copy is 1 of 21 rows and 50.00 of 1,050.00 USD: not more than 5%).
    """
    period, spec = Period.parse(period), FIGURES[figure]
    rows = _rows(view, period, spec, figure)
    parts = [] if rows is None else _parts(view, period, spec, figure, rows)
    if not parts:
        return ""
    return "; ".join([_head(rows.kept, figure, spec, period, view.settings.currency), *parts])


def _head(kept: pd.DataFrame, figure: str, spec: _Figure, period: Period,
          currency: str) -> str:
    """The figure itself: "4 won deals in 2026-Q2 worth 455,000.00 USD"."""
    n, amount = len(kept), _amount(kept)
    values = {"count": _plural(figure, n), "period": _period_text(period),
              "amount": "" if amount is None else money(amount, currency)}
    if figure == "revenue":
        if amount is None:
            return _("Revenue in {period} from {count}").format(**values)
        return _("Revenue {amount} in {period} from {count}").format(**values)
    if figure == "marketing_spend":
        if amount is None:
            return _("Marketing spend in {period} from {count}").format(**values)
        return _("Marketing spend {amount} in {period} from {count}").format(**values)
    if figure == "won_deals":
        return pgettext("won deals", "{count} in {period}{worth}").format(
            worth=_worth_text(amount, currency), **values)
    return pgettext("leads", "{count} in {period}").format(**values)


def headline_notes(view: View, period: Period | str) -> list[str]:
    """The sentences of :func:`figure_note` for every headline figure that has one.

    Won deals (with bookings), revenue, marketing spend, leads, in that order.

    Examples
    --------
    >>> from b2bkit.load.dataset import from_frames
    >>> from b2bkit.metrics import prepare
    >>> ds = from_frames({"opportunities": pd.DataFrame({
    ...     "opportunity_id": ["D1", "D2", "D3"], "created_at": ["2025-01-02"] * 3,
    ...     "status": ["won", "won", "won"], "amount": [100, None, -5],
    ...     "account_id": ["A1", "A1", "A1"],
    ...     "closed_at": ["2025-02-01", "2025-02-02", "2025-02-01"]})}, lenient=True)
    >>> for line in headline_notes(prepare(ds), "2025-Q1"):
    ...     print(line)
    2 won deals in 2025-Q1 worth 100.00 USD; 1 of them has no amount and counts 0 in bookings; \
1 won deal worth -5.00 USD was set aside: amount: must be >= 0 (1)
    """
    notes = (figure_note(view, period, figure) for figure in FIGURES)
    return [note for note in notes if note]
