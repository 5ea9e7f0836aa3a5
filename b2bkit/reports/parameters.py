"""The parameters of the report notebooks, declared once.

Every parameter a report notebook takes is a :class:`Parameter` in
:data:`PARAMETERS`: its name, type, default, the values it allows and a
line of help. :data:`NOTEBOOKS` lists which parameters each notebook takes
(with a default or help of its own where it differs), the parameters cells
of the notebooks are written from it (:func:`cell`), and ``b2bkit report``
checks every value with :func:`check` before any kernel starts.

>>> check({"top": "5", "cohort_grain": "month"})
{'top': 5, 'cohort_grain': 'month'}
>>> check({"gross_margin": "-1"})
Traceback (most recent call last):
...
b2bkit.core.errors.UsageError: parameter gross_margin must be a number with 0 < x <= 1 \
(0: as in dataset.toml); not '-1'
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from typing import Any

from b2bkit.core.asof import parse_as_of
from b2bkit.core.errors import B2bkitError, UsageError, did_you_mean
from b2bkit.core.periods import Period
from b2bkit.metrics import DIMENSIONS

__all__ = ["NOTEBOOKS", "PARAMETERS", "SET_BY_COMMAND", "Parameter", "cell", "check",
           "parameters_of"]

_TYPE_NAMES = {str: "a text", int: "an int", float: "a number", bool: "true or false"}
_TRUE, _FALSE = ("true", "1", "yes"), ("false", "0", "no")


@dataclass(frozen=True)
class Parameter:
    """One notebook parameter.

    Attributes
    ----------
    name : str
        The variable of the parameters cell and the NAME of ``-p NAME VALUE``.
    kind : type
        ``str``, ``int``, ``float`` or ``bool``.
    default : object
        The value of the parameters cell.
    help : str
        One line, written as the comment of the parameters cell.
    choices : tuple of str
        The allowed values (empty: any value of ``kind``).
    low, high : float, optional
        The allowed range, ``low <= x <= high`` (``low < x`` when
        ``low_open``).
    zero_keeps : bool
        ``0`` is allowed outside the range and means "as in dataset.toml".
    rule : str
        A check of its own: ``period``, ``as_of`` or ``team`` (the team must
        exist in the data); empty text always passes these.
    flag : str
        The command-line flag that sets it; ``-p`` may not.
    """

    name: str
    kind: type
    default: Any
    help: str
    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    zero_keeps: bool = False
    rule: str = ""
    flag: str = ""

    def allowed(self) -> str:
        """What the parameter accepts, in words (the end of its error messages)."""
        if self.choices:
            return "one of " + ", ".join(c or '""' for c in self.choices)
        text = _TYPE_NAMES[self.kind]
        if self.low is not None and self.high is not None:
            text += f" with {self.low:g} {'<' if self.low_open else '<='} x <= {self.high:g}"
        elif self.low is not None:
            text += f" {'>' if self.low_open else '>='} {self.low:g}"
        elif self.high is not None:
            text += f" <= {self.high:g}"
        if self.zero_keeps:
            text += " (0: as in dataset.toml)"
        return text

    def line(self) -> str:
        """The line of the parameters cell: ``name: type = default  # help``."""
        value = json.dumps(self.default) if self.kind is str else repr(self.default)
        return f"{self.name}: {self.kind.__name__} = {value}  # {self.help}"


def _p(name: str, kind: type, default: Any, help: str, **rules: Any) -> Parameter:
    return Parameter(name, kind, default, help, **rules)



#: Every notebook parameter, by name: the one place each is declared.
PARAMETERS: dict[str, Parameter] = {p.name: p for p in [
    _p("data", str, "data/demo", "dataset folder (absolute, or relative to the project)",
       flag="--data"),
    _p("period", str, "2025-Q4", "period to report: 2025, 2025-Q4, 2025-11, 2025-W47 or A..B",
       rule="period", flag="--period"),
    _p("compare_to", str, "", "period to compare with (empty: the previous period)",
       rule="period"),
    _p("segment_by", str, "channel", f"breakdown: {', '.join(DIMENSIONS)}",
       choices=tuple(DIMENSIONS)),
    _p("team", str, "", "only this team (empty: everyone)", rule="team"),
    _p("top", int, 10, "campaigns to show in the ranking", low=1),
    _p("cohort_grain", str, "quarter", "cohorts by month or quarter of the first order",
       choices=("month", "quarter")),
    _p("gross_margin", float, 0.0, "margin for CLV (0: as in dataset.toml)",
       low=0.0, high=1.0, low_open=True, zero_keeps=True),
    _p("max_lifetime_years", float, 0.0, "cap on the lifetime in CLV (0: as in dataset.toml)",
       low=0.0, high=100.0, low_open=True, zero_keeps=True),
    _p("churn_after_days", int, 0, "inferred churn after days without orders (0: dataset.toml)",
       low=1, high=36500, zero_keeps=True),
    _p("trend_margin", float, 0.25, "ROI improvement that saves a failing practice from drop",
       low=0.0),
    _p("backtest_periods", int, 4, "earlier periods the forecast is backtested on",
       low=1, high=12),
    _p("as_of", str, "", "see the data as of this day (empty: the as_of of the dataset)",
       rule="as_of"),
    _p("column_map", str, "", "column map file or preset for a foreign export (empty: none)",
       flag="--map"),
    _p("lenient", bool, False, "set rows that break a rule aside (False: as in dataset.toml)",
       flag="--lenient"),
    _p("output_dir", str, "", "where to write the decision table CSV (empty: do not write)",
       flag="--out"),
    _p("language", str, "", "language of the report: en or ru (empty: as in dataset.toml)",
       choices=("", "en", "ru"), flag="--language"),
    _p("snapshot", str, "", "the dataset as `b2bkit report` loaded it once (empty: load data)",
       flag="--data"),
]}

#: Parameters set by ``b2bkit report``'s own flags, never by ``-p``.
SET_BY_COMMAND = {name: p.flag for name, p in PARAMETERS.items() if p.flag}

_LOAD = ("as_of", "column_map", "lenient", "snapshot")

#: The parameters of each report notebook, in the order of its parameters cell;
#: a pair gives the fields that differ from the declaration for that notebook.
NOTEBOOKS: dict[str, tuple[str | tuple[str, dict[str, Any]], ...]] = {
    "funnel_diagnosis": ("data", "period", "compare_to", "segment_by", *_LOAD),
    "campaign_roi": ("data", ("period", {"help": "period of the leads and spend: 2025, "
                                                 "2025-Q4, 2025-11, ..."}),
                     "as_of", "top", "column_map", "lenient", "snapshot"),
    "rep_performance": ("data", ("period", {"help": "period to report: 2025, 2025-Q4, "
                                                    "2025-11, ..."}), "team", *_LOAD),
    "cohort_retention_clv": ("data", ("period", {"help": "period to report: 2025, 2025-Q4, "
                                                         "2025-11, ..."}),
                             "cohort_grain", "gross_margin", "max_lifetime_years",
                             "churn_after_days", *_LOAD),
    "strategy_review": ("data", ("period", {"default": "2025-Q3", "help": "period under "
                                            "review (leads need time to mature: see metric@d)"}),
                        "compare_to", "trend_margin", *_LOAD, "output_dir"),
    "pipeline_forecast": ("data", ("period", {"help": "period to forecast: 2025, 2025-Q4, "
                                                      "2025-11, ..."}),
                          "backtest_periods", *_LOAD),
    "kpi_scorecard": ("data", ("period", {"help": "period to report: 2025, 2025-Q4, "
                                                  "2025-11, ..."}),
                      *_LOAD),
}
# Every report is written in the language of its ``language`` parameter.
NOTEBOOKS = {name: (*names, "language") for name, names in NOTEBOOKS.items()}


def parameters_of(notebook: str) -> list[Parameter]:
    """The parameters of one report notebook (by its name), as its cell declares them.

    >>> [p.name for p in parameters_of("campaign_roi")]
    ['data', 'period', 'as_of', 'top', 'column_map', 'lenient', 'snapshot', 'language']
    """
    if notebook not in NOTEBOOKS:
        raise UsageError(f"no report notebook {notebook!r}{did_you_mean(notebook, NOTEBOOKS)}; "
                         f"the notebooks are {', '.join(NOTEBOOKS)}")
    out = []
    for entry in NOTEBOOKS[notebook]:
        name, changes = (entry, {}) if isinstance(entry, str) else entry
        out.append(replace(PARAMETERS[name], **changes))
    return out


def cell(notebook: str) -> str:
    """The source of a notebook's parameters cell, one line per parameter.

    >>> print(cell("campaign_roi").splitlines()[3])
    top: int = 10  # campaigns to show in the ranking
    """
    return "\n".join(p.line() for p in parameters_of(notebook))


def _bad(p: Parameter, value: object, allowed: str | None = None, names: object = ()) -> UsageError:
    hint = did_you_mean(value, names) if isinstance(value, str) else ""
    return UsageError(f"parameter {p.name} must be {allowed or p.allowed()}; "
                      f"not {value!r}{hint}")


def _typed(p: Parameter, value: object) -> object:
    """``value`` as ``p.kind``: text is read (from ``-p``), other values must fit."""
    if p.kind is str:
        if not isinstance(value, str):
            raise _bad(p, value)
        return value
    if p.kind is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
            return value.strip().lower() in _TRUE
        raise _bad(p, value)
    if isinstance(value, bool):
        raise _bad(p, value)
    try:
        if p.kind is int:
            if isinstance(value, float) and not value.is_integer():
                raise ValueError(value)
            number: float = int(value.strip() if isinstance(value, str) else value)
        else:
            number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise _bad(p, value) from None
    if not math.isfinite(number):
        raise _bad(p, value)
    return number


def _in_range(p: Parameter, number: float) -> bool:
    if p.zero_keeps and number == 0:
        return True
    above = p.low is None or (number > p.low if p.low_open else number >= p.low)
    return above and (p.high is None or number <= p.high)


def _teams(dataset: Any) -> list[str]:
    if dataset is None or "reps" not in dataset.tables or "team" not in dataset["reps"]:
        return []
    return sorted(dataset["reps"]["team"].dropna().astype(str).unique())


def _checked(p: Parameter, value: object, dataset: Any) -> object:
    typed = _typed(p, value)
    if p.choices and typed not in p.choices:
        raise _bad(p, typed, names=p.choices)
    if p.kind in (int, float) and not _in_range(p, typed):
        raise _bad(p, value)
    if p.rule and typed != "":
        try:
            if p.rule == "period":
                Period.parse(typed)
            elif p.rule == "as_of":
                parse_as_of(typed)
        except B2bkitError as exc:
            raise UsageError(f"parameter {p.name}: {exc}") from None
        teams = _teams(dataset)
        if p.rule == "team" and dataset is not None and typed not in teams:
            raise _bad(p, typed, "empty or a team of the data: " + (", ".join(teams) or
                                                                    "(the data has none)"),
                       names=teams)
    return typed


def check(values: dict[str, object], *, dataset: Any = None) -> dict[str, object]:
    """``values`` checked and converted to the declared types.

    Parameters
    ----------
    values : dict
        Parameter name to value; text (as ``-p NAME VALUE`` gives it) is
        read as the declared type.
    dataset : Dataset, optional
        The loaded data; with it, ``team`` must name a team of the reps
        table. Without it that check is left out.

    Returns
    -------
    dict
        The same names, values of the declared types.

    Raises
    ------
    UsageError
        An unknown name (with the nearest known one), a value of the wrong
        type, out of range, not an allowed value, or naming a team that is
        not in the data. The message names the parameter, what it allows
        and the bad value.

    Examples
    --------
    >>> check({"lenient": "yes", "gross_margin": 0.6})
    {'lenient': True, 'gross_margin': 0.6}
    >>> check({"cohort_grain": "week"})
    Traceback (most recent call last):
    ...
    b2bkit.core.errors.UsageError: parameter cohort_grain must be one of month, quarter; not 'week'
    """
    unknown = [name for name in values if name not in PARAMETERS]
    if unknown:
        name = unknown[0]
        raise UsageError(f"no notebook has a parameter {name!r}{did_you_mean(name, PARAMETERS)}; "
                         f"the parameters are {', '.join(PARAMETERS)}")
    return {name: _checked(PARAMETERS[name], value, dataset) for name, value in values.items()}
