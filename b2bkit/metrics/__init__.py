"""The metric catalogue of CONTRACT.md section 3, one function per metric.

Every metric is called the same way::

    name(data, period, *, by=None, as_of=None)

``data`` is a loaded :class:`~b2bkit.load.dataset.Dataset` (or a :class:`View`
from :func:`prepare`, to compute many metrics from one as_of cut);
``period`` a :class:`~b2bkit.core.periods.Period` or its text; ``by`` one of
``channel``, ``campaign_id``, ``segment``, ``rep_id``, ``practice``. Without
``by`` a metric returns a number, or a :class:`Missing` (NaN with a
``reason``) when its denominator is zero or its table is absent; with ``by``
it returns a frame with one row per group: ``[by, value, note]``.

:data:`CATALOGUE` lists every metric with its unit, in the contract's order;
:func:`compute_all` computes the whole catalogue at once.

>>> from b2bkit import sample_dataset
>>> from b2bkit.metrics import leads, cpl
>>> ds = sample_dataset()
>>> leads(ds, "2025-Q1"), cpl(ds, "2025-Q1")
(4, 875.0)
"""

from b2bkit.metrics._base import CATALOGUE, MetricInfo, Missing, check_by, prepare
from b2bkit.metrics.attribution import (
    MODELS,
    NO_TOUCHPOINT,
    attributed_roi,
    attribution,
    removal_effects,
    touchpoints,
)
from b2bkit.metrics.catalogue import compute_all, metric_names
from b2bkit.metrics.customers import (
    arpa,
    cac,
    cac_payback_months,
    churn_rate,
    clv,
    clv_cac_ratio,
    customers_end,
    customers_start,
    new_customers,
    nps,
    retention_rate,
)
from b2bkit.metrics.engagement import engaged_leads, event_attendance, unique_visitors
from b2bkit.metrics.funnel import (
    bant_qualified_share,
    lead_conversion_rate,
    lead_quality,
    lead_to_mql_rate,
    leads,
    mql_to_sql_rate,
    mqls,
    sqls,
)
from b2bkit.metrics.marketing import cost_per_sql, cpl, marketing_spend, roi, roi_attribution
from b2bkit.metrics.maturity import (
    LEAD_COHORT_METRICS,
    MIN_MATURE_DAYS,
    Projection,
    at_age,
    common_mature_days,
    development_factors,
    mature_days,
    project,
    too_early,
)
from b2bkit.metrics.revenue import aov, orders, repeat_sales_share, revenue, revenue_growth
from b2bkit.metrics.sales import (
    avg_deal_size,
    bookings,
    cycle_days,
    forecast_accuracy,
    open_pipeline,
    opportunities_created,
    opportunity_conversion_rate,
    pipeline_coverage,
    pipeline_velocity,
    sales_cycle_days,
    sales_cycle_days_median,
    weighted_pipeline,
    win_rate,
    won_deals,
)
from b2bkit.metrics.team import (
    quota_attainment,
    quota_attainment_rate,
    rep_productivity,
    selling_time_share,
)
from b2bkit.view.view import DIMENSIONS, UNKNOWN, View, load_view

__all__ = [
    "CATALOGUE", "DIMENSIONS", "LEAD_COHORT_METRICS", "MIN_MATURE_DAYS", "MODELS", "NO_TOUCHPOINT",
    "UNKNOWN", "MetricInfo", "Missing", "Projection", "View", "aov", "arpa", "at_age",
    "attributed_roi", "attribution", "avg_deal_size",
    "bant_qualified_share", "bookings", "cac", "cac_payback_months", "check_by", "churn_rate",
    "clv", "clv_cac_ratio", "common_mature_days", "compute_all", "cost_per_sql", "cpl",
    "customers_end", "customers_start", "cycle_days", "development_factors", "engaged_leads",
    "event_attendance", "forecast_accuracy", "lead_conversion_rate", "lead_quality",
    "lead_to_mql_rate", "leads", "load_view", "marketing_spend", "mature_days", "metric_names",
    "mql_to_sql_rate", "mqls", "new_customers", "nps", "open_pipeline", "opportunities_created",
    "opportunity_conversion_rate", "orders", "pipeline_coverage", "pipeline_velocity", "prepare",
    "project", "quota_attainment", "quota_attainment_rate", "removal_effects",
    "rep_productivity", "repeat_sales_share", "retention_rate", "revenue", "revenue_growth", "roi",
    "roi_attribution", "sales_cycle_days", "sales_cycle_days_median", "selling_time_share",
    "sqls", "too_early", "touchpoints", "unique_visitors", "weighted_pipeline", "win_rate",
    "won_deals",
]
