"""Report building blocks: the tables and sentences the notebooks show.

Notebooks only call these and display the results; the logic lives here so
it is tested like the rest of the package. The analyst's helpers are
exported here: :func:`trend` (a metric over several periods) and
:func:`customers_at_risk` (P(alive) and value at risk per account).

Every table a notebook shows carries the unit of each of its number columns
in ``attrs["units"]`` (:func:`with_units`), which
:func:`b2bkit.reports.notebook.readable` formats by; a table that holds its
display text already (each row in its own unit) carries an empty mapping.
"""

from collections.abc import Mapping

import pandas as pd

from b2bkit.analysis.trend import trend  # eager: the name is also its submodule's

__all__ = ["TooFewCustomersError", "customers_at_risk", "trend", "with_units"]

_LAZY = {"TooFewCustomersError": "customers", "customers_at_risk": "customers"}


def with_units(frame: pd.DataFrame, units: Mapping[str, str]) -> pd.DataFrame:
    """``frame`` with the units of its columns in ``attrs["units"]`` (set in place).

    Parameters
    ----------
    frame : pandas.DataFrame
        A result table.
    units : mapping of str to str
        Column -> unit: ``count``, ``currency``, ``rate``, ``ratio``,
        ``days``, ``months``, ``score`` (:func:`b2bkit.core.formatting.format_value`),
        or ``<unit>_change`` for a signed change of that unit. Columns the
        frame does not have are left out; an empty mapping says no column is
        to be formatted (the table holds its display text).

    Returns
    -------
    pandas.DataFrame
        The same frame (its other attrs kept), for chaining.

    Examples
    --------
    >>> table = with_units(pd.DataFrame({"channel": ["ads"], "leads": [3.0]}),
    ...                    {"leads": "count", "cpl": "currency"})
    >>> table.attrs["units"]
    {'leads': 'count'}
    """
    frame.attrs["units"] = {column: unit for column, unit in units.items()
                            if column in frame.columns}
    return frame


def __getattr__(name: str) -> object:
    """The analyst's helpers, imported on first use: a report importing one block
    (``from b2bkit.analysis import funnel``) does not pay for SciPy's optimiser."""
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f"b2bkit.analysis.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'b2bkit.analysis' has no attribute {name!r}")
