"""Foreign keys between the tables of a dataset, kept by row position: the one place.

Each foreign key ``(table, column)`` whose parent table is present is located
once (:func:`positions_of`, with :func:`pyarrow.compute.index_in` on the key
column), as the row of the parent each row refers to (-1: none). The same
positions serve the key checks of :func:`b2bkit.load.validate.cross_table` (and in
lenient mode the cascade of rows that refer to a row set aside), are
renumbered for the rows kept (:func:`final_links`), fill in the
lead/opportunity link on both sides (:func:`fill_lead_link`), are renumbered
again by the as_of cut, and let the View and the metrics join by position
(:func:`take`, :func:`take_values`) instead of hashing ids again.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from b2bkit.core.schema import TABLES

__all__ = ["as_category", "blank", "fill_lead_link", "final_links", "first_per", "id_rank",
           "link", "links_of", "parent_positions", "positions_of", "renumber_link", "take",
           "take_values", "unfound"]


def _arrow_text(values: pd.Series, *, cast: bool = True) -> pa.ChunkedArray | None:
    """The Arrow strings behind a text column, as large strings unless not ``cast``
    (None for another dtype)."""
    dtype = values.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        array = values.array.__arrow_array__()
        return array.cast(pa.large_string()) if cast and array.type != pa.large_string() else array
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


def renumber_link(positions: np.ndarray, child_keep: np.ndarray,
                  parent_keep: np.ndarray) -> np.ndarray:
    """A link's parent rows after both tables keep only some rows (-1: none or dropped).

    When both tables keep every row the positions stand as they are (a copy).

    >>> renumber_link(np.array([2, 0, -1, 1]), np.array([True, True, True, False]),
    ...               np.array([True, False, True])).tolist()
    [1, 0, -1]
    """
    if parent_keep.all():
        return positions[child_keep] if not child_keep.all() else positions.copy()
    kept = positions[child_keep] if not child_keep.all() else positions
    new = np.where(parent_keep, np.cumsum(parent_keep) - 1, -1)
    if not len(new):
        return np.full(len(kept), -1, dtype=np.int64)
    return np.where(kept >= 0, new[np.maximum(kept, 0)], -1)


def _located(keys: pd.Series, refs: list[pd.Series]) -> list[np.ndarray]:
    """:func:`parent_positions` of several columns naming the same parent key.

    Arrow text is looked up in one :func:`pyarrow.compute.index_in` over the
    chunks of every column (the parent's keys are hashed once, not once per
    column), then split; other dtypes column by column.
    """
    key_array = _arrow_text(keys, cast=False)
    arrays = [_arrow_text(r, cast=False) for r in refs]
    if key_array is None or any(a is None for a in arrays):
        return [parent_positions(keys, r) for r in refs]
    types = {key_array.type} | {a.type for a in arrays}
    kind = types.pop() if len(types) == 1 else pa.large_string()  # no cast when all agree
    chunks = [chunk if chunk.type == kind else chunk.cast(kind)
              for array in arrays for chunk in array.chunks]
    keys_ = key_array.combine_chunks()
    found = pc.index_in(pa.chunked_array(chunks, type=kind),
                        value_set=keys_ if keys_.type == kind else keys_.cast(kind),
                        skip_nulls=True)
    every = pc.fill_null(found, -1).to_numpy().astype(np.int64)
    ends = np.cumsum([len(r) for r in refs])
    return np.split(every, ends[:-1])


def positions_of(frames: dict[str, pd.DataFrame], *, workers: int = 1
                 ) -> dict[tuple[str, str], tuple[str, np.ndarray]]:
    """Every foreign key whose parent table is present: the parent and the row positions.

    Computed once per parent key (:func:`_located`: every column naming it
    at once), the parents in a pool of ``workers`` threads; the key checks,
    the lenient cascade, the final links and the lead/opportunity fill all
    use them. The result is in the order of ``frames`` and of each table's
    foreign keys.

    >>> frames = {"accounts": pd.DataFrame({"account_id": ["A1", "A2"]}),
    ...           "orders": pd.DataFrame({"account_id": ["A2", "A9"]})}
    >>> {k: (p, v.tolist()) for k, (p, v) in positions_of(frames).items()}
    {('orders', 'account_id'): ('accounts', [1, -1])}
    """
    order, by_parent = [], {}
    for name, frame in frames.items():
        for fk in TABLES[name].foreign_keys:
            parent = frames.get(fk.table)
            if parent is None or fk.column not in frame or fk.target not in parent:
                continue
            order.append((name, fk.column))
            by_parent.setdefault((fk.table, fk.target), []).append((name, fk.column))

    def locate(target: tuple[str, str]) -> list[np.ndarray]:
        children = by_parent[target]
        return _located(frames[target[0]][target[1]],
                        [frames[name][column] for name, column in children])

    targets = list(by_parent)
    if workers > 1 and len(targets) > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=workers) as pool:
            located = list(pool.map(locate, targets))
    else:
        located = [locate(t) for t in targets]
    found = {child: (target[0], pos) for target, pos_list in zip(targets, located, strict=True)
             for child, pos in zip(by_parent[target], pos_list, strict=True)}
    return {child: found[child] for child in order}


def links_of(frames: dict[str, pd.DataFrame]) -> dict[tuple[str, str], np.ndarray]:
    """Row positions of every foreign key's parent (keys are unique once validated)."""
    return {key: positions for key, (_, positions) in positions_of(frames).items()}


def final_links(keep: dict[str, np.ndarray],
                positions: dict[tuple[str, str], tuple[str, np.ndarray]]
                ) -> dict[tuple[str, str], np.ndarray]:
    """The checked positions renumbered for the rows each table keeps (as they are, not
    copied, where both tables keep every row)."""
    every = {name: bool(k.all()) for name, k in keep.items()}
    return {(child, column): pos if every[child] and every[parent]
            else renumber_link(pos, keep[child], keep[parent])
            for (child, column), (parent, pos) in positions.items()}


def _created(frame: pd.DataFrame) -> np.ndarray:
    return frame["created_at"].to_numpy(dtype="datetime64[ns]").astype(np.int64)


def id_rank(ids: pd.Series) -> np.ndarray:
    """The rank of each id in sorted order (ids are unique once validated): the tie-break
    of :func:`first_per` that does not depend on the order of the rows.

    Arrow text is ranked by :func:`pyarrow.compute.rank` (dense: equal ids share a rank;
    UTF-8 byte order is code point order, the order of Python's sort); a missing id
    ranks -1, before every id, as in :func:`pandas.factorize`.

    >>> id_rank(pd.Series(["L2", "L10", "L1", None])).tolist()
    [2, 1, 0, -1]
    """
    text = ids.astype("string")
    array = _arrow_text(text, cast=False)
    if array is None:
        return pd.factorize(text, sort=True)[0]
    rank = pc.rank(array, sort_keys="ascending", tiebreaker="dense")  # nulls last, dropped
    rank = rank.to_numpy().astype(np.int64) - 1
    rank[text.isna().to_numpy(dtype=bool)] = -1
    return rank


def _rank_where(ids: pd.Series, candidates: np.ndarray) -> np.ndarray:
    """:func:`id_rank` among the ``candidates`` rows only (0 elsewhere): the same order
    between any two candidates, for a fraction of the sort.

    >>> _rank_where(pd.Series(["L2", "L10", "L1"]), np.array([True, True, False])).tolist()
    [1, 0, 0]
    """
    rank = np.zeros(len(ids), dtype=np.int64)
    rows = np.flatnonzero(candidates)
    if len(rows):
        rank[rows] = id_rank(ids.iloc[rows])
    return rank


def fill_lead_link(frames: dict[str, pd.DataFrame],
                   links: dict[tuple[str, str], np.ndarray]) -> None:
    """Fill leads.opportunity_id and opportunities.lead_id from each other, links too.

    A lead without an opportunity_id takes the earliest opportunity (by
    created_at, then opportunity_id) that names it; then an opportunity
    without a lead_id takes the earliest lead (by created_at, then lead_id)
    that names it. Both are found through the links, and the links of the
    filled cells are set without looking the ids up again.

    >>> frames = {"leads": pd.DataFrame({"lead_id": ["L1"],
    ...                                  "created_at": pd.to_datetime(["2025-01-01"])}),
    ...           "opportunities": pd.DataFrame({
    ...               "opportunity_id": ["O2", "O1"], "lead_id": ["L1", "L1"],
    ...               "created_at": pd.to_datetime(["2025-01-05", "2025-01-05"])})}
    >>> links = links_of(frames)
    >>> fill_lead_link(frames, links)
    >>> frames["leads"]["opportunity_id"].tolist(), links[("leads", "opportunity_id")].tolist()
    (['O1'], [1])
    """
    if "leads" not in frames or "opportunities" not in frames:
        return
    if "lead_id" in frames["opportunities"]:
        _fill_side(frames, links, "leads", "lead_id", "opportunities", "opportunity_id")
    if "opportunity_id" in frames["leads"]:
        _fill_side(frames, links, "opportunities", "opportunity_id", "leads", "lead_id")


def _fill_side(frames: dict[str, pd.DataFrame], links: dict[tuple[str, str], np.ndarray],
               target: str, target_key: str, source: str, source_key: str) -> None:
    """Fill ``target[source_key]`` from the earliest ``source`` row naming each target row.

    ``source[target_key]`` names the target row; the earliest such source
    row (created_at, then its id) gives its ``source_key``, where the target
    has none, and the link ``(target, source_key)`` follows.
    """
    tgt, src = frames[target], frames[source]
    named = link(links, source, target_key, len(src))
    first = first_per(named, np.arange(len(src)), len(tgt), _created(src),
                      _rank_where(src[source_key], named >= 0))
    own = link(links, target, source_key, len(tgt))
    if _fills(tgt, source_key, first):
        found = take_values(src[source_key], first).astype(tgt[target_key].dtype)
        tgt[source_key] = tgt[source_key].fillna(found) if source_key in tgt else found
    links[(target, source_key)] = np.where(own >= 0, own, first)


def _fills(frame: pd.DataFrame, column: str, found: np.ndarray) -> bool:
    """Whether ``column`` is absent, or blank in a row where ``found`` names a row (else
    filling it would leave it as it is: no need to take and compare the ids).

    >>> _fills(pd.DataFrame({"x": ["a", None]}), "x", np.array([3, -1]))
    False
    """
    if column not in frame:
        return True
    return bool((frame[column].isna().to_numpy(dtype=bool) & (found >= 0)).any())


def unfound(positions: np.ndarray, ids: pd.Series) -> bool:
    """Whether a row has an id that its link ``positions`` finds no row for (-1).

    >>> unfound(np.array([0, -1]), pd.Series(["A1", None])), unfound(np.array([0, -1]),
    ...                                                             pd.Series(["A1", "A9"]))
    (False, True)
    """
    return bool(((positions < 0) & ids.notna().to_numpy(dtype=bool)).any())


def link(links: dict, table: str, column: str, n: int) -> np.ndarray:
    """The positions of ``links[(table, column)]``, or -1 for all ``n`` rows when absent."""
    positions = links.get((table, column))
    return positions if positions is not None else np.full(n, -1)


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
    taken = _with_missing(codes)[positions]
    return pd.Series(pd.Categorical.from_codes(taken, dtype=values.dtype, validate=False))


def _with_missing(codes: np.ndarray) -> np.ndarray:
    """Category ``codes`` with a -1 appended: indexing it at position -1 gives the missing
    code, so a link's positions take codes in one step (the codes are valid already).

    >>> _with_missing(np.array([2, 0], dtype=np.int8))[np.array([1, -1, 0])].tolist()
    [0, -1, 2]
    """
    return np.append(codes, np.array(-1, dtype=codes.dtype))


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
