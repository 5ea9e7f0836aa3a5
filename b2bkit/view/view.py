"""The dataset as seen from as_of, with every row's dimensions attached.

:func:`prepare` applies the as_of cut of CONTRACT section 2 once
(:mod:`b2bkit.view.cut`), works out each row's dimensions through the links of
section 3 (:mod:`b2bkit.view.dims`) and the customer lifecycle of every account
(:mod:`b2bkit.view.customers`). Metric functions take a :class:`View` (or a
dataset, which they prepare) and never change it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from b2bkit.core.asof import parse_as_of
from b2bkit.core.errors import UsageError
from b2bkit.core.source import is_database
from b2bkit.load.cache import Entry
from b2bkit.load.dataset import Dataset, folder_load, load_dataset
from b2bkit.load.links import links_of, take_values
from b2bkit.view.customers import account_channels, account_dims, lifecycle
from b2bkit.view.cut import CUT_COLUMNS, cut_tables
from b2bkit.view.dims import DIMENSIONS, UNKNOWN, row_dims

__all__ = ["ALIASES", "DIMENSIONS", "UNKNOWN", "View", "load_view", "lookup", "prepare"]

#: Views of a table with other dimensions: orders split by their account's
#: acquisition channel and segment (for customer metrics such as arpa).
ALIASES = {"customer_orders": "orders"}


@dataclass(frozen=True, repr=False)
class View:
    """A dataset cut at ``as_of`` with dimensions attached.

    Attributes
    ----------
    as_of : pandas.Timestamp
        Midnight of the as_of day; rows dated on that day count.
    tables : dict of str to pandas.DataFrame
        The cut tables (absent tables are absent).
    dims : dict of str to dict of str to pandas.Series
        ``dims[table][dimension]``: the text value of the dimension for each
        row of the table (NA when blank); a dimension a table cannot be
        split by is absent.
    links : dict of (str, str) to numpy.ndarray
        The foreign-key row positions of :attr:`b2bkit.load.dataset.Dataset.links`,
        renumbered for the cut tables.
    customers : pandas.DataFrame
        One row per account that ever became a customer up to as_of:
        ``account_id``, ``start``, ``stop`` (NaT = still a customer),
        ``channel`` (acquisition channel) and ``segment``
        (:func:`b2bkit.view.customers.lifecycle`).
    settings : Settings
        The dataset's settings.
    cut : pandas.DataFrame
        The rows the as_of cut dropped, one row per table that lost any
        (:data:`CUT_COLUMNS`: ``table``, the date ``column`` compared with
        as_of, ``rows``); empty when nothing is dated after as_of.
    aside : dict of str to pandas.DataFrame
        The rows the load set aside (:attr:`b2bkit.load.dataset.Dataset.aside`),
        not cut: the headline sentences weigh them against the period's figures
        (:func:`b2bkit.analysis.quality.headline_notes`).
    """

    as_of: pd.Timestamp
    tables: dict[str, pd.DataFrame]
    dims: dict[str, dict[str, pd.Series]]
    customers: pd.DataFrame
    settings: object
    links: dict = field(default_factory=dict)
    cut: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CUT_COLUMNS))
    aside: dict = field(default_factory=dict, repr=False)

    def __repr__(self) -> str:
        """``<View 'Tiny Co' as of 2025-03-15: 14 tables, 51 rows, 1 customer>``."""
        rows = sum(len(frame) for frame in self.tables.values())
        n = len(self.customers)
        name = getattr(self.settings, "name", "")
        return (f"<View {name!r} as of {self.as_of:%Y-%m-%d}: {len(self.tables)} tables, "
                f"{rows:,} rows, {n:,} customer{'' if n == 1 else 's'}>")

    def frame(self, table: str) -> pd.DataFrame:
        """A table, the customers, or ``customer_orders`` (orders seen per account)."""
        if table == "customers":
            return self.customers
        return self.tables[ALIASES.get(table, table)]

    def groups(self, by: str) -> list[str]:
        """Every value of ``by`` in the data, plus ``(unknown)`` for blanks, sorted.

        A blank that means something else is no ``(unknown)``: a forecast row
        with a blank rep_id is the team's forecast (:data:`NOT_UNKNOWN`).
        """
        values: set[str] = set()
        for table, table_dims in self.dims.items():
            if by in table_dims:
                series = table_dims[by]
                codes = series.cat.codes.to_numpy()
                used = np.unique(codes)
                values.update(str(v) for v in series.cat.categories[used[used >= 0]])
                if len(used) and used[0] < 0 and (table, by) not in NOT_UNKNOWN:
                    values.add(UNKNOWN)
        return sorted(values)


#: (table, dimension) whose blank cells make no ``(unknown)`` group (CONTRACT section 3:
#: forecast rows with a blank rep_id are the team's forecast, not an unknown rep).
NOT_UNKNOWN = frozenset({("forecasts", "rep_id")})


def lookup(table: pd.DataFrame, column: str, positions: np.ndarray) -> pd.Series:
    """``table[column]`` at row ``positions`` (a link), missing where -1, dtype kept."""
    return take_values(table[column], positions)


def prepare(ds: Dataset | View, as_of: object = None) -> View:
    """The dataset seen from ``as_of`` (default: the dataset's as_of).

    Parameters
    ----------
    ds : Dataset or View
        A loaded dataset; a View is returned as is when ``as_of`` is None
        or equal to its own.
    as_of : str, date or Timestamp, optional
        Overrides the dataset's as_of (:func:`b2bkit.core.asof.parse_as_of`).

    Raises
    ------
    UsageError
        A View asked for another as_of: it keeps its own.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> view = prepare(sample_dataset(), "2025-02-28")
    >>> view
    <View 'Tiny Co' as of 2025-02-28: 14 tables, 32 rows, 1 customer>
    >>> prepare(view) is view
    True
    >>> prepare(view, "2025-03-31")
    Traceback (most recent call last):
    ...
    b2bkit.core.errors.UsageError: as_of 2025-03-31: a View keeps its own as_of (2025-02-28); \
prepare the Dataset at the as_of wanted
    """
    if isinstance(ds, View):
        if as_of is None or parse_as_of(as_of) == ds.as_of:
            return ds
        raise UsageError(f"as_of {parse_as_of(as_of):%Y-%m-%d}: a View keeps its own as_of "
                         f"({ds.as_of:%Y-%m-%d}); prepare the Dataset at the as_of wanted")
    moment = parse_as_of(as_of) if as_of is not None else ds.as_of
    if moment is None:
        moment = pd.Timestamp("1970-01-01")  # a dataset without dated rows
    if not ds.links and len(ds.tables):  # a Dataset built by hand: link it now
        ds = replace(ds, links=links_of(ds.tables))
    tables, links, cut = cut_tables(ds.tables, ds.links, moment,
                                   currency=ds.settings.currency)
    dims = row_dims(tables, links)
    per_account = account_channels(tables, links)  # once, for the customers and their rows
    customers = lifecycle(tables, links, churn_after_days=ds.settings.churn_after_days,
                          as_of=moment, per_account=per_account)
    dims.update(account_dims(tables, links, customers, per_account))
    return View(as_of=moment, tables=tables, dims=dims, customers=customers,
                settings=ds.settings, links=links, cut=cut, aside=ds.aside)


def load_view(data: str | Path, *, as_of: object = None, lenient: bool | None = None,
              column_map: str | None = None, cache: bool = True,
              read_only: bool = False) -> tuple[Dataset, View]:
    """A dataset and its view from ``as_of``, both from the cache when they are there.

    What ``prepare(load_dataset(data, ...), as_of)`` gives, with the view
    kept beside the dataset (one view per entry: the as_of asked for last).
    ``b2bkit kpis`` and the report notebooks load this way. A caller that
    will not change the dataset or the view (``read_only=True``: the kpis
    command) gets them while the cache entry is still being written.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> ds, view = load_view(sample_dataset().path, as_of="2025-02-28")
    >>> view
    <View 'Tiny Co' as of 2025-02-28: 14 tables, 32 rows, 1 customer>
    """
    if is_database(data):  # a database: nothing to fingerprint
        dataset = load_dataset(data, lenient=lenient, column_map=column_map)
        return dataset, prepare(dataset, as_of)
    slot, load = folder_load(data, lenient=lenient, column_map=column_map, cache=cache)
    wanted = None if as_of is None else parse_as_of(as_of)
    entry = slot.get() if slot is not None else None
    if entry is not None and wanted in entry.views:
        return entry.dataset, entry.views[wanted]
    start = time.perf_counter()
    dataset = entry.dataset if entry is not None else load()
    view = prepare(dataset, wanted)
    if slot is not None:  # one view per entry: the as_of asked for last
        slot.put(Entry(dataset, {wanted: view}), seconds=time.perf_counter() - start,
                 background=read_only)
    return dataset, view
