"""Report building blocks: the tables and sentences the notebooks show.

Notebooks only call these and display the results; the logic lives here so
it is tested like the rest of the package. The analyst's helpers are
exported here: :func:`trend` (a metric over several periods) and
:func:`customers_at_risk` (P(alive) and value at risk per account).
"""

from b2bkit.analysis.customers import TooFewCustomersError, customers_at_risk
from b2bkit.analysis.trend import trend

__all__ = ["TooFewCustomersError", "customers_at_risk", "trend"]
