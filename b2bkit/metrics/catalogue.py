"""The whole catalogue at once, in the contract's order.

>>> from b2bkit import sample_dataset
>>> table = compute_all(sample_dataset(), "2025-Q1")
>>> table.set_index("metric").loc[["leads", "cpl", "win_rate"], ["value", "unit"]]
          value      unit
metric
leads       4.0     count
cpl       875.0  currency
win_rate    0.5      rate
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from b2bkit.core.errors import UsageError, did_you_mean
from b2bkit.core.periods import Period
from b2bkit.load.dataset import Dataset
from b2bkit.metrics._base import CATALOGUE, Split, prepare
from b2bkit.view.view import View

__all__ = ["ORDER", "compute_all", "metric_names"]

#: Metric names in the order of CONTRACT.md section 3.
ORDER = (
    "leads", "mqls", "sqls", "lead_to_mql_rate", "mql_to_sql_rate", "lead_conversion_rate",
    "lead_quality", "bant_qualified_share", "marketing_spend", "cpl", "cost_per_sql",
    "opportunities_created", "won_deals", "win_rate", "opportunity_conversion_rate",
    "bookings", "avg_deal_size", "sales_cycle_days", "sales_cycle_days_median", "revenue",
    "revenue_growth", "orders", "aov", "repeat_sales_share", "new_customers",
    "customers_start", "customers_end", "retention_rate", "churn_rate", "nps", "roi", "cac",
    "arpa", "clv", "clv_cac_ratio", "cac_payback_months", "pipeline_velocity",
    "open_pipeline", "pipeline_coverage", "weighted_pipeline", "forecast_accuracy",
    "quota_attainment", "quota_attainment_rate", "rep_productivity", "selling_time_share",
    "unique_visitors",
    "event_attendance", "engaged_leads",
)


def metric_names(metrics: str | Iterable[str], argument: str = "metric") -> tuple[str, ...]:
    """The names of ``metrics`` (one name alone is taken as one metric), checked.

    Raises
    ------
    UsageError
        A name not in the catalogue, with the nearest names: ``argument``
        says what the caller called it.

    Examples
    --------
    >>> metric_names("cpl")
    ('cpl',)
    >>> metric_names(("leads", "win_rat"))
    Traceback (most recent call last):
    ...
    b2bkit.core.errors.UsageError: unknown metric 'win_rat' (did you mean 'win_rate'?)
    """
    names = (metrics,) if isinstance(metrics, str) else tuple(metrics)
    for name in names:
        if name not in CATALOGUE:
            hint = did_you_mean(name, CATALOGUE, n=3) or (
                "; the names are listed in b2bkit.metrics.CATALOGUE")
            raise UsageError(f"unknown {argument} {name!r}{hint}")
    return names


def compute_all(data: Dataset | View, period: Period | str, *, by: str | None = None,
                as_of: object = None, metrics: str | Iterable[str] = ORDER) -> pd.DataFrame:
    """Every metric of the catalogue for one period, optionally per group.

    Parameters
    ----------
    data : Dataset or View
    period : Period or str
    by : str, optional
        A dimension; without it there is one group, ``all``.
    as_of : optional
        Overrides the dataset's as_of.
    metrics : str or iterable of str
        Which metrics, in which order (default: all of them); a single name
        is one metric. An unknown name is a UsageError with the nearest
        names.

    Returns
    -------
    pandas.DataFrame
        Long format, one row per metric: ``metric``, ``unit``, ``value``
        (NaN where missing) and ``note`` (the reason). With ``by``, one row
        per group and metric, the group in a column named after the
        dimension first: ``[<by>, metric, unit, value, note]``, the shape
        of every split result (a metric with ``by`` gives ``[<by>, value,
        note]``; :func:`~b2bkit.analysis.trend` adds ``period`` and
        ``start`` in front).

    Raises
    ------
    UsageError
        An unknown metric or dimension; the message names the nearest.
    """
    names = metric_names(metrics)
    split = Split(prepare(data, as_of), by)
    period = Period.parse(period)
    parts = []
    for name in names:
        info = CATALOGUE[name]
        result = info.compute(split, period)
        parts.append(pd.DataFrame({
            **({by: result.values.index.astype(str)} if by else {}),
            "metric": name,
            "unit": info.unit,
            "value": result.values.to_numpy(dtype=float),
            "note": result.notes.to_numpy(),
        }))
    frame = pd.concat(parts, ignore_index=True)
    frame["note"] = frame["note"].astype("string")
    return frame
