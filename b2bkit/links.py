"""Foreign keys between the tables of a dataset, checked and kept by row position.

Each foreign key ``(table, column)`` whose parent table is present is located
once, as the row of the parent each row refers to (-1: none). The loader
checks the keys with these positions (and in lenient mode sets aside, round
after round, the rows that refer to a row set aside); the metrics join by
them instead of hashing ids again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from b2bkit.schema import TABLES
from b2bkit.validate import Issue

if TYPE_CHECKING:
    from b2bkit.dataset import _Table

__all__ = ["as_category", "blank", "cross_table", "final_links", "first_per", "link",
           "links_of", "parent_positions", "renumber_link", "take", "take_values"]


def _link_issues(tables: dict[str, _Table], *, kept_only: bool) -> list[Issue]:
    """A lead and an opportunity that name each other differently."""
    if "leads" not in tables or "opportunities" not in tables:
        return []
    leads, opps = tables["leads"], tables["opportunities"]
    if "opportunity_id" not in leads.typed or "lead_id" not in opps.typed:
        return []
    o = opps.typed[opps.keep] if kept_only else opps.typed
    lead_of = o.dropna(subset=["lead_id"]).drop_duplicates("opportunity_id").set_index(
        "opportunity_id")["lead_id"]
    named = leads.typed["opportunity_id"].map(lead_of)
    mask = (named.notna() & (named != leads.typed["lead_id"])).fillna(False).astype(bool)
    if not mask.any():
        return []
    detail = ("opportunity_id=" + leads.typed["opportunity_id"] + ", whose lead_id is " + named)
    return [Issue("leads", "opportunity_id", "disagrees with opportunities.lead_id", mask,
                  detail)]


def _arrow_text(values: pd.Series) -> pa.ChunkedArray | None:
    """The Arrow strings behind a text column (None for another dtype)."""
    dtype = values.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        array = values.array.__arrow_array__()
        return array.cast(pa.large_string()) if array.type != pa.large_string() else array
    return None


def parent_positions(keys: pd.Series, refs: pd.Series) -> np.ndarray:
    """The row of ``keys`` (its first filled occurrence) that each ``ref`` names; -1 if none.

    Text keys are looked up with :func:`pyarrow.compute.index_in` (the first
    occurrence of a value in the value set wins; a missing ref names no row),
    other dtypes with a pandas index.

    >>> parent_positions(pd.Series(["a", "b", None, "a"], dtype="string[pyarrow]"),
    ...                  pd.Series(["b", None, "z", "a"], dtype="string[pyarrow]")).tolist()
    [1, -1, -1, 0]
    """
    key_array, ref_array = _arrow_text(keys), _arrow_text(refs)
    if key_array is not None and ref_array is not None:
        found = pc.index_in(ref_array, value_set=key_array.combine_chunks(), skip_nulls=True)
        return pc.fill_null(found, -1).to_numpy().astype(np.int64)
    valid = (keys.notna() & ~keys.duplicated()).to_numpy()
    rows = np.flatnonzero(valid)
    if not len(rows):
        return np.full(len(refs), -1, dtype=np.int64)
    found = pd.Index(keys[valid].array).get_indexer(refs.array)
    found = np.where(found >= 0, rows[np.maximum(found, 0)], -1)
    return np.where(refs.notna().to_numpy(), found, -1).astype(np.int64)


def _positions(tables: dict[str, _Table]) -> dict[tuple[str, str], tuple[str, np.ndarray]]:
    """Every foreign key whose parent table is present: the parent and the row positions.

    Computed once; the key checks, the lenient cascade and the final links all use them.
    """
    positions = {}
    for name, table in tables.items():
        for fk in table.spec.foreign_keys:
            parent = tables.get(fk.table)
            if parent is None or fk.column not in table.typed or fk.target not in parent.typed:
                continue
            positions[(name, fk.column)] = (fk.table, parent_positions(
                parent.typed[fk.target], table.typed[fk.column]))
    return positions


def cross_table(tables: dict[str, _Table], *, lenient: bool
                 ) -> dict[tuple[str, str], tuple[str, np.ndarray]]:
    """Foreign keys and the lead/opportunity link; in lenient mode until nothing changes."""
    positions = _positions(tables)

    def fk_target(child: str, column: str) -> str:
        return next(fk.target for fk in tables[child].spec.foreign_keys if fk.column == column)

    if not lenient:
        for (child, column), (parent, pos) in positions.items():
            table = tables[child]
            mask = pd.Series(table.typed[column].notna().to_numpy() & (pos < 0),
                             index=table.typed.index)
            if mask.any():
                table.add([Issue(child, column,
                                 f"unknown {fk_target(child, column)}: not in {parent}", mask)])
        if "leads" in tables:
            tables["leads"].add(_link_issues(tables, kept_only=False))
        return positions
    for table in tables.values():
        for issue in table.issues:
            table.keep &= ~issue.mask
    unknown_done: set[tuple[str, str]] = set()
    while True:
        changed = False
        for (child, column), (parent, pos) in positions.items():
            table = tables[child]
            keep = table.keep.to_numpy()
            found = []
            if (child, column) not in unknown_done:
                unknown = keep & table.typed[column].notna().to_numpy() & (pos < 0)
                unknown_done.add((child, column))
                if unknown.any():
                    found.append(Issue(child, column,
                                       f"unknown {fk_target(child, column)}: not in {parent}",
                                       pd.Series(unknown, index=table.typed.index)))
            parent_keep = tables[parent].keep.to_numpy()
            cascade = keep & (pos >= 0) & ~parent_keep[np.maximum(pos, 0)]
            if cascade.any():
                found.append(Issue(child, column,
                                   f"refers to a row of {parent} that was set aside",
                                   pd.Series(cascade, index=table.typed.index)))
            for issue in found:
                table.keep &= ~issue.mask
            table.add(found)
            changed |= bool(found)
        if "leads" in tables:
            leads = tables["leads"]
            found = [i for i in _link_issues(tables, kept_only=True)
                     if (i.mask & leads.keep).any()]
            for issue in found:
                leads.keep &= ~issue.mask
            leads.add(found)
            changed |= bool(found)
        if not changed:
            return positions


def renumber_link(positions: np.ndarray, child_keep: np.ndarray,
                  parent_keep: np.ndarray) -> np.ndarray:
    """A link's parent rows after both tables keep only some rows (-1: none or dropped).

    >>> renumber_link(np.array([2, 0, -1, 1]), np.array([True, True, True, False]),
    ...               np.array([True, False, True])).tolist()
    [1, 0, -1]
    """
    kept = positions[child_keep]
    new = np.where(parent_keep, np.cumsum(parent_keep) - 1, -1)
    if not len(new):
        return np.full(len(kept), -1, dtype=np.int64)
    return np.where(kept >= 0, new[np.maximum(kept, 0)], -1)


def final_links(tables: dict[str, _Table], frames: dict[str, pd.DataFrame],
                 positions: dict[tuple[str, str], tuple[str, np.ndarray]]
                 ) -> dict[tuple[str, str], np.ndarray]:
    """The checked positions renumbered for the rows kept; the filled link columns anew."""
    keep = {name: t.keep.to_numpy() for name, t in tables.items()}
    links = {(child, column): renumber_link(pos, keep[child], keep[parent])
             for (child, column), (parent, pos) in positions.items()}
    # the lead/opportunity link was filled in after the checks: locate it on the final rows
    for child, column, parent, target in (("leads", "opportunity_id", "opportunities",
                                           "opportunity_id"),
                                          ("opportunities", "lead_id", "leads", "lead_id")):
        if child in frames and parent in frames and column in frames[child]:
            links[(child, column)] = parent_positions(frames[parent][target],
                                                       frames[child][column])
    return links


def links_of(frames: dict[str, pd.DataFrame]) -> dict[tuple[str, str], np.ndarray]:
    """Row positions of every foreign key's parent (keys are unique once validated)."""
    links = {}
    for name, frame in frames.items():
        for fk in TABLES[name].foreign_keys:
            if fk.table in frames and fk.column in frame:
                links[(name, fk.column)] = parent_positions(frames[fk.table][fk.target],
                                                             frame[fk.column])
    return links


def link(links: dict, table: str, column: str, n: int) -> np.ndarray:
    """The positions of ``links[(table, column)]``, or -1 for all ``n`` rows when absent."""
    return links.get((table, column), np.full(n, -1))


def as_category(values: pd.Series) -> pd.Series:
    """Values as a categorical (blanks are already missing after loading)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values
    return values.astype("category")


def blank(n: int) -> pd.Series:
    """``n`` missing values of an empty categorical."""
    return pd.Series(pd.Categorical.from_codes(np.full(n, -1), categories=[]))


def take(values: pd.Series, positions: np.ndarray) -> pd.Series:
    """``values`` at ``positions`` (-1: missing), as a categorical.

    >>> take(pd.Series(["a", "b"]), np.array([1, -1, 0])).tolist()
    ['b', nan, 'a']
    """
    values = as_category(values)
    codes = values.cat.codes.to_numpy()
    if len(codes) == 0:
        return blank(len(positions))
    taken = np.where(positions >= 0, codes[np.maximum(positions, 0)], -1)
    return pd.Series(pd.Categorical.from_codes(taken, dtype=values.dtype))


def take_values(values: pd.Series, positions: np.ndarray) -> pd.Series:
    """``values`` (any dtype, kept) at ``positions``, missing where -1.

    >>> take_values(pd.Series([1.5, 2.5]), np.array([1, -1])).tolist()
    [2.5, nan]
    """
    if len(values) == 0:
        return pd.Series(pd.array([pd.NA] * len(positions), dtype=values.dtype)) if len(
            positions) else values.iloc[:0].reset_index(drop=True)
    taken = values.iloc[np.maximum(positions, 0)].reset_index(drop=True)
    return taken.where(pd.Series(positions >= 0))


def first_per(keys: np.ndarray, rows: np.ndarray, size: int, *order: np.ndarray) -> np.ndarray:
    """For each key 0..size-1, the row that sorts first by ``order`` (-1: no row).

    ``keys[i]`` is the key of candidate ``rows[i]`` (-1: none); ``order``
    holds one array per sort level, aligned with the candidates, the last
    level deciding the remaining ties (give ids there, not positions, so that
    the choice does not depend on the order of the file).

    >>> first_per(np.array([0, 0, 1, -1]), np.array([5, 6, 7, 8]), 3,
    ...           np.array([2, 2, 0, 0]), np.array([1, 0, 0, 0])).tolist()
    [6, 7, -1]
    """
    out = np.full(size, -1, dtype=np.int64)
    valid = (keys >= 0) & (rows >= 0)
    keys, rows = keys[valid], rows[valid]
    levels = [np.asarray(o)[valid] for o in order]
    sort = np.lexsort((*reversed(levels), keys))
    keys, rows = keys[sort], rows[sort]
    first = np.r_[True, keys[1:] != keys[:-1]] if len(keys) else np.array([], dtype=bool)
    out[keys[first]] = rows[first]
    return out
