"""The dataset seen from as_of: the :class:`~b2bkit.view.view.View` the metrics read.

``cut`` (everything dated after as_of removed or unset), ``dims`` (which
row takes which dimension value, CONTRACT section 3), ``customers`` (the
customer lifecycle of section 2) and ``view`` (:func:`prepare`, the View).
May import :mod:`b2bkit.core` and :mod:`b2bkit.load`.
"""
