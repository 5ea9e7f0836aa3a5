"""Report building blocks: the tables and sentences the notebooks show.

Notebooks only call these and display the results; the logic lives here so
it is tested like the rest of the package. The analyst's helpers are
exported here: :func:`trend` (a metric over several periods) and
:func:`customers_at_risk` (P(alive) and value at risk per account).
"""

from b2bkit.analysis.trend import trend  # eager: the name is also its submodule's

__all__ = ["TooFewCustomersError", "customers_at_risk", "trend"]

_LAZY = {"TooFewCustomersError": "customers", "customers_at_risk": "customers"}


def __getattr__(name: str) -> object:
    """The analyst's helpers, imported on first use: a report importing one block
    (``from b2bkit.analysis import funnel``) does not pay for SciPy's optimiser."""
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f"b2bkit.analysis.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'b2bkit.analysis' has no attribute {name!r}")
