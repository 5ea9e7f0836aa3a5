"""The toolkit's own exceptions.

Every error b2bkit raises on purpose is a :class:`B2bkitError`. Errors about
the data carry the data: :class:`DatasetError` holds a frame of violations
(file, column, rule, how many rows, the first offending keys and lines) so
that a report can show them and a test can assert them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import pandas as pd

__all__ = [
    "VIOLATION_COLUMNS",
    "B2bkitError",
    "DatasetError",
    "PeriodError",
    "UsageError",
]

#: Columns of the frame that :attr:`DatasetError.violations` holds.
VIOLATION_COLUMNS = ["table", "file", "column", "rule", "rows", "examples"]

#: How many offending rows a message shows per rule.
MAX_EXAMPLES = 5


class B2bkitError(Exception):
    """Base class of every error b2bkit raises on purpose.

    The command line turns it into a message and exit code 1 (data or
    analysis error) unless the subclass says otherwise.
    """

    exit_code = 1


class UsageError(B2bkitError):
    """A call was malformed: an unknown option value, a bad parameter."""

    exit_code = 2


class Interrupted(B2bkitError):
    """The user stopped the command (Ctrl-C): exit 130, as a shell reports SIGINT."""

    exit_code = 130


class PeriodError(UsageError, ValueError):
    """A period string could not be parsed (``2025-Q5``, ``2025-13``, ...)."""


class DatasetError(B2bkitError):
    """A dataset could not be read or failed validation.

    Parameters
    ----------
    violations : pandas.DataFrame
        One row per (file, column, rule) with the columns
        :data:`VIOLATION_COLUMNS`: ``rows`` counts the offending rows and
        ``examples`` lists the first few as ``"key (line N): value"``.
    header : str, optional
        First line of the message.
    """

    def __init__(self, violations: pd.DataFrame, header: str | None = None) -> None:
        self.violations = violations.reset_index(drop=True)
        n = len(self.violations)
        self.header = header or f"the dataset has {n} problem{'s' if n != 1 else ''}"
        super().__init__(self._format())

    @classmethod
    def single(
        cls, *, table: str, file: str, column: str, rule: str, examples: list[str] | None = None,
        rows: int = 0,
    ) -> DatasetError:
        """One violation, for problems found before any row is read."""
        frame = pd.DataFrame(
            [[table, file, column, rule, rows, list(examples or [])]], columns=VIOLATION_COLUMNS
        )
        return cls(frame, header=f"{file}: {rule}" if column == "" else None)

    def _restates(self) -> bool:
        """True when the header already says the one violation (file: rule)."""
        if len(self.violations) != 1:
            return False
        v = self.violations.iloc[0]
        return not v["column"] and self.header == f"{v['file']}: {v['rule']}"

    def _format(self) -> str:
        if self._restates():  # "file: rule" once, then its examples
            v = self.violations.iloc[0]
            lines = [self.header + _count(v["rows"])]
            lines += [f"  {example}" for example in v["examples"][:MAX_EXAMPLES]]
            if v["rows"] > MAX_EXAMPLES:
                lines.append(f"  ... and {v['rows'] - MAX_EXAMPLES} more")
            return "\n".join(lines)
        lines = [self.header + ":"]
        for v in self.violations.itertuples(index=False):
            where = _where(v.file, v.column)
            lines.append(f"  {where}: {v.rule}{_count(v.rows)}")
            for example in v.examples[:MAX_EXAMPLES]:
                lines.append(f"      {example}")
            if v.rows > MAX_EXAMPLES:
                lines.append(f"      ... and {v.rows - MAX_EXAMPLES} more")
        return "\n".join(lines)


def _where(file: str, column: str) -> str:
    """``file, column c`` of a table; ``file, setting k`` of a TOML file or preset.

    >>> _where("data/orders.csv", "amount"), _where("data/dataset.toml", "as_of")
    ('data/orders.csv, column amount', 'data/dataset.toml, setting as_of')
    >>> _where("preset 'hubspot'", "tables.leads.file"), _where("data/leads.csv", "")
    ("preset 'hubspot', setting tables.leads.file", 'data/leads.csv')
    """
    if not column:
        return str(file)
    toml = str(file).endswith(".toml") or str(file).startswith("preset ")
    return f"{file}, {'setting' if toml else 'column'} {column}"


def _count(rows: int) -> str:
    """`` (N rows)`` after a rule, or nothing when no row is counted."""
    return f" ({rows} row{'s' if rows != 1 else ''})" if rows else ""


def did_you_mean(name: object, names: Iterable[object], n: int = 1) -> str:
    """`` (did you mean 'x'?)`` for the closest of ``names`` (up to ``n``), or empty text.

    The one way every b2bkit error suggests a name (a metric, a dimension, a
    notebook parameter, a report); case does not matter.

    >>> did_you_mean("chanel", ["channel", "segment"])
    " (did you mean 'channel'?)"
    >>> did_you_mean("revenu", ["revenue", "revenue_growth", "roi"], n=3)
    " (did you mean 'revenue' or 'revenue_growth'?)"
    >>> did_you_mean("colour", ["channel", "segment"])
    ''
    """
    lower = {str(x).lower(): str(x) for x in names}
    close = [lower[c] for c in difflib.get_close_matches(str(name).lower(), list(lower), n=n,
                                                         cutoff=0.6)]
    if not close:
        return ""
    quoted = [repr(c) for c in close]
    listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f" (did you mean {listed}?)"
