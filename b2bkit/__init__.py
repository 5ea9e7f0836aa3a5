"""b2bkit: trustworthy B2B sales and marketing metrics from CRM and marketing data.

Importing the package has no side effects; the heavy modules (plotting,
notebook rendering) are imported only by the functions that need them.

>>> from b2bkit import load_dataset, Period
>>> Period.parse("2025-Q3").days
92
"""

from b2bkit.core.errors import B2bkitError, DatasetError, PeriodError, UsageError
from b2bkit.core.periods import Period
from b2bkit.load.dataset import Dataset, load_dataset, sample_dataset

__all__ = [
    "B2bkitError",
    "Dataset",
    "DatasetError",
    "Period",
    "PeriodError",
    "UsageError",
    "__version__",
    "load_dataset",
    "sample_dataset",
]

__version__ = "0.1.0"
