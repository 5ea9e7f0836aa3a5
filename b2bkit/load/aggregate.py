"""Combining the lines of a line-level export into one row per key.

An export of order lines (several rows per order) becomes the ``orders``
table by grouping on the key and combining each column: ``sum``, ``first``,
``last``, ``min`` or ``max`` (first and last: the first and last filled value
in file order; a column not named takes its first). Each combined row keeps
the index label of its group's first line, so messages name that line.

Examples
--------
>>> lines = pd.DataFrame({"order_id": ["A", "B", "A"],
...                       "date": pd.to_datetime(["2025-01-02", "2025-01-03", "2025-01-01"]),
...                       "amount": pd.array([10.0, 5.0, 2.5], dtype="Float64")})
>>> combined = combine_lines(lines, ["order_id"], {"amount": "sum", "date": "min"})
>>> combined.rows
  order_id       date  amount
0        A 2025-01-01    12.5
1        B 2025-01-03     5.0
>>> combined.lines.tolist(), combined.group.tolist()
([2, 1], [0, 1, 0])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["Combined", "any_line", "combine_lines"]


@dataclass
class Combined:
    """Lines combined by key.

    ``rows``: one row per key, indexed by the label of its first line;
    ``lines``: how many source lines each row combines (aligned with
    ``rows``); ``group``: for each source line, the position of its row.
    """

    rows: pd.DataFrame
    lines: pd.Series
    group: np.ndarray


def combine_lines(frame: pd.DataFrame, by: Sequence[str], how: Mapping[str, str]) -> Combined:
    """Group ``frame`` by the ``by`` columns (blank keys form one group) and combine.

    Parameters
    ----------
    frame : pandas.DataFrame
        Typed lines.
    by : sequence of str
        The key column(s).
    how : mapping of str to str
        Per column: ``sum`` (blank when every line is blank), ``first``,
        ``last``, ``min`` or ``max``; columns not named take ``first``.

    Returns
    -------
    Combined
    """
    group = frame.groupby(list(by), sort=False, dropna=False, observed=True).ngroup().to_numpy()
    grouped = frame.groupby(group, sort=False)
    columns = {}
    for column in frame.columns:
        function = "first" if column in by else how.get(column, "first")
        values = grouped[column]
        columns[column] = (values.sum(min_count=1) if function == "sum"
                           else getattr(values, function)())
    first_line = pd.Series(frame.index).groupby(group, sort=False).min()
    rows = pd.DataFrame(columns, columns=frame.columns)
    rows.index = pd.Index(first_line.to_numpy())
    lines = pd.Series(grouped.size().to_numpy(), index=rows.index)
    return Combined(rows=rows, lines=lines, group=group)


def any_line(mask: pd.Series, combined: Combined) -> pd.Series:
    """A line mask as a row mask: True where any line of the row is True.

    >>> lines = pd.DataFrame({"k": ["A", "B", "A"], "x": [1, 2, 3]})
    >>> c = combine_lines(lines, ["k"], {})
    >>> any_line(pd.Series([False, False, True]), c).tolist()
    [True, False]
    """
    hit = pd.Series(mask.to_numpy(), dtype=bool).groupby(combined.group, sort=False).any()
    return pd.Series(hit.to_numpy(), index=combined.rows.index)
