"""The as_of cut of CONTRACT.md section 2: the tables as they stood on the as_of day.

Leads and opportunities created after as_of do not exist; a lead's mql_at /
sql_at after it are unset; an opportunity closed after it is open; an
account's churned_at after it is unset; every other dated row after it
(by the first column of :data:`b2bkit.core.schema.EVENT_DATE_COLUMNS`) is
dropped. The links are renumbered for the rows kept, and a lead/opportunity
link to a row that does not exist yet counts as unset.

Examples
--------
>>> orders = pd.DataFrame({"date": pd.to_datetime(["2025-01-31 23:00", "2025-02-01 00:00"])})
>>> tables, links, dropped = cut_tables({"orders": orders}, {}, pd.Timestamp("2025-01-31"))
>>> len(tables["orders"]), dropped.to_dict("records")
(1, [{'table': 'orders', 'column': 'date', 'rows': 1}])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from b2bkit.core.currencies import CODES
from b2bkit.core.schema import EVENT_DATE_COLUMNS, TABLES
from b2bkit.load.currency import rates_on, row_dates
from b2bkit.load.links import renumber_link, unfound

__all__ = ["CUT_COLUMNS", "cut_counts", "cut_tables", "dropped", "on_or_before"]

#: Columns of :attr:`b2bkit.metrics.View.cut`: per table, the date column of the
#: cut and the rows dropped.
CUT_COLUMNS = ["table", "column", "rows"]

#: Per table, the date of the row that the cut compares with as_of.
_ROW_DATE = {table: columns[0] for table, columns in EVENT_DATE_COLUMNS.items()}

_DAY = pd.Timedelta(days=1)


def on_or_before(values: pd.Series, as_of: pd.Timestamp) -> np.ndarray:
    """True where a timestamp's calendar date is on or before as_of (NaT: False).

    >>> on_or_before(pd.Series(pd.to_datetime(["2025-01-31 23:59", "2025-02-01 00:00", None])),
    ...              pd.Timestamp("2025-01-31")).tolist()
    [True, False, False]
    """
    if isinstance(values.dtype, np.dtype):  # datetime64[unit]: numpy compares, NaT is False
        stamps = values.to_numpy()
        bound = np.datetime64((as_of + _DAY).to_datetime64(), np.datetime_data(stamps.dtype)[0])
        return stamps < bound
    return (values < as_of + _DAY).fillna(False).to_numpy(dtype=bool)


def cut_counts(keep: dict[str, np.ndarray]) -> pd.DataFrame:
    """Rows dropped by the as_of cut, per table (tables that lost none are left out).

    ``keep[table]`` is the mask of the rows kept; the count is ``len - sum``.

    >>> cut_counts({"orders": np.array([True, False, False]), "reps": np.array([True])})
        table column  rows
    0  orders   date     2
    """
    rows = [[name, _ROW_DATE.get(name, ""), int((~mask).sum())] for name, mask in keep.items()
            if (~mask).any()]
    return pd.DataFrame(rows, columns=CUT_COLUMNS).astype({"rows": "int64"})


def _keep(name: str, frame: pd.DataFrame, as_of: pd.Timestamp) -> np.ndarray:
    """The rows of a table that existed on as_of."""
    if name in _ROW_DATE:
        return on_or_before(frame[_ROW_DATE[name]], as_of)
    return np.ones(len(frame), dtype=bool)


def dropped(tables: dict[str, pd.DataFrame], as_of: pd.Timestamp) -> pd.DataFrame:
    """:func:`cut_counts` of the rows the cut at ``as_of`` drops, without cutting.

    >>> dropped({"orders": pd.DataFrame({"date": pd.to_datetime(["2025-01-01", "2025-03-01"])})},
    ...         pd.Timestamp("2025-01-31"))
        table column  rows
    0  orders   date     1
    """
    return cut_counts({name: _keep(name, frame, as_of) for name, frame in tables.items()})


def _changes(name: str, frame: pd.DataFrame, as_of: pd.Timestamp) -> dict[str, pd.Series]:
    """The cells a row keeps but that did not exist yet on as_of."""
    changes = {}
    if name == "leads":
        for column in ("mql_at", "sql_at"):
            if column in frame:
                changes[column] = frame[column].where(on_or_before(frame[column], as_of))
    elif name == "opportunities" and "closed_at" in frame:
        later = frame["closed_at"].notna().to_numpy() & ~on_or_before(frame["closed_at"], as_of)
        changes["status"] = frame["status"].where(~later, "open")
        changes["closed_at"] = frame["closed_at"].where(~later)
    elif name == "accounts" and "churned_at" in frame:
        changes["churned_at"] = frame["churned_at"].where(
            on_or_before(frame["churned_at"], as_of))
    return changes


def _conversion_date(name: str, frame: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """The date whose rate converts each row as of ``as_of``: never after it.

    An opportunity still open at as_of (closed later) is converted on its
    created_at, not on the closed_at the load saw; a quota or forecast of a
    period starting after as_of, on as_of.
    """
    dates = row_dates(frame, name)
    if name in ("quotas", "forecasts"):
        dates = dates.where(on_or_before(dates, as_of) | dates.isna(), as_of)
    return dates


def _reconverted(name: str, loaded: pd.DataFrame, frame: pd.DataFrame,
                 fx: pd.DataFrame | None, as_of: pd.Timestamp, home: str) -> pd.DataFrame:
    """``frame`` with each foreign amount whose conversion date moves under as_of converted
    again, with the rates known on as_of (CONTRACT section 2: a rate dated after as_of never
    changes an as_of view).

    ``loaded`` is the row as the load converted it (its dates), ``frame`` the row after the
    cut's changes. A row without a rate on or before its new date takes the first rate of its
    currency on or before as_of; without any, it keeps the amount the load gave it.
    """
    amount = TABLES[name].amount
    original = f"{amount}_original"
    if fx is None or amount is None or "currency" not in frame or original not in frame:
        return frame
    codes = frame["currency"].astype("string")
    foreign = (codes.isin(CODES) & (codes != home)).fillna(False).to_numpy(dtype=bool)
    if not foreign.any():
        return frame
    before, after = row_dates(loaded, name), _conversion_date(name, frame, as_of)
    moved = foreign & after.notna().to_numpy() & (before != after).fillna(True).to_numpy()
    if not moved.any():
        return frame
    known = fx[on_or_before(fx["date"], as_of)]
    if known.empty:
        return frame
    codes_moved, dates_moved = codes[moved], after[moved]
    rate = rates_on(codes_moved, dates_moved, known)
    first = known.sort_values("date", kind="stable").groupby(
        known["currency"].astype("string").str.strip().str.upper().to_numpy())["rate"].first()
    rate = rate.fillna(codes_moved.map(first).astype(float))
    new = frame[original][moved] * rate.to_numpy()
    values = frame[amount].copy()
    values[moved] = new.where(rate.notna().to_numpy(), frame[amount][moved])
    return frame.assign(**{amount: values.astype(frame[amount].dtype)})


def cut_tables(tables: dict[str, pd.DataFrame], links: dict[tuple[str, str], np.ndarray],
               as_of: pd.Timestamp, *, currency: str | None = None
               ) -> tuple[dict[str, pd.DataFrame],
                                             dict[tuple[str, str], np.ndarray], pd.DataFrame]:
    """The tables as of as_of, their links renumbered, and the rows dropped per table.

    Parameters
    ----------
    tables : dict of str to pandas.DataFrame
        The loaded tables (:attr:`b2bkit.load.dataset.Dataset.tables`).
    links : dict of (str, str) to numpy.ndarray
        Their foreign-key positions (:attr:`b2bkit.load.dataset.Dataset.links`).
    as_of : pandas.Timestamp
        Midnight of the as_of day; rows dated on that day stay.
    currency : str, optional
        The dataset currency: given, a foreign amount whose conversion date
        moves under as_of (an opportunity open at as_of, converted on its
        created_at; a quota of a later period, on as_of) is converted again
        with the fx_rates rates known on as_of.

    Returns
    -------
    tuple
        The cut tables, their links and :func:`cut_counts` of the rows dropped.
    """
    cut, keep = {}, {}
    for name, frame in tables.items():
        mask = _keep(name, frame, as_of)
        changes = _changes(name, frame, as_of)
        if changes or name in ("quotas", "forecasts"):
            loaded = frame
            frame = frame.assign(**changes) if changes else frame
            if currency is not None:
                frame = _reconverted(name, loaded, frame, tables.get("fx_rates"), as_of,
                                     currency.strip().upper())
        cut[name] = frame[mask].reset_index(drop=True) if not mask.all() else frame
        keep[name] = mask
    every = {name: bool(mask.all()) for name, mask in keep.items()}
    renumbered = {}
    for (child, column), positions in links.items():
        parent = next(fk.table for fk in TABLES[child].foreign_keys if fk.column == column)
        renumbered[(child, column)] = (positions if every[child] and every[parent]  # shared
                                       else renumber_link(positions, keep[child], keep[parent]))
    # a link to a row that does not exist yet counts as unset
    for child, column in (("leads", "opportunity_id"), ("opportunities", "lead_id")):
        if (child, column) in renumbered:
            frame = cut[child]
            unset = renumbered[(child, column)] < 0
            if unfound(renumbered[(child, column)], frame[column]):
                cut[child] = frame.assign(**{column: frame[column].where(pd.Series(~unset))})
    return cut, renumbered, cut_counts(keep)
