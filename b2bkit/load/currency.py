"""Amounts in other currencies, converted to the dataset currency.

opportunities, orders, spend, sales_costs, quotas and forecasts may carry a
``currency`` column (ISO code; blank = the dataset currency). A row in
another currency is converted with the ``fx_rates`` rate of that currency on
the latest date on or before the row's date (CONTRACT section 1,
"Currencies"):

.. math:: \\text{amount} = \\text{amount}_\\text{original} \\times
          \\text{rate}(\\text{currency}, \\max\\{d \\le \\text{row date}\\})

The original amount is kept in ``<amount>_original`` and the code, upper
case, in ``currency``. A row whose currency has no usable rate is an
:class:`~b2bkit.load.validate.Issue` naming the currency.

Examples
--------
>>> orders = pd.DataFrame({"date": pd.to_datetime(["2025-01-10", "2025-02-10", "2025-01-10"]),
...                        "amount": pd.array([100.0, 100.0, 7.0], dtype="Float64"),
...                        "currency": pd.array(["MXN", "mxn", None], dtype="string")})
>>> fx = pd.DataFrame({"currency": ["MXN", "MXN"],
...                    "date": pd.to_datetime(["2025-01-01", "2025-02-01"]),
...                    "rate": [0.05, 0.06]})
>>> out, issues = convert(orders, "orders", fx, "USD")
>>> out[["amount", "amount_original"]].to_dict("list")
{'amount': [5.0, 6.0, 7.0], 'amount_original': [100.0, 100.0, 7.0]}
>>> out["currency"].tolist()
['MXN', 'MXN', 'USD']
>>> issues
[]
"""

from __future__ import annotations

import pandas as pd

from b2bkit.core.currencies import CODES
from b2bkit.core.i18n import N_
from b2bkit.core.schema import TABLES
from b2bkit.load.validate import Issue

__all__ = ["CODE_RULE", "convert", "fx_code_issues", "rates_on", "row_dates"]

#: The rule of a currency cell that is not an ISO 4217 code.
CODE_RULE = N_("not a three-letter ISO currency code")
#: A foreign currency without a rate for the row's day.
NO_RATE = N_("no fx_rates rate for {code} on or before the row's date")
NO_RATE_TABLE = N_("no fx_rates rate for {code} on or before the row's date (the dataset has "
                   "no fx_rates table)")
#: Every rule of this module, for :mod:`b2bkit.load.rules`.
RULES = (CODE_RULE, NO_RATE, NO_RATE_TABLE)


def row_dates(frame: pd.DataFrame, table: str) -> pd.Series:
    """The date whose rate converts each row.

    opportunities: closed_at when closed (won or lost), else created_at;
    quotas and forecasts: period_start; the other tables: date.
    """
    if table == "opportunities":
        closed = frame["status"].astype("string").isin(["won", "lost"]).fillna(False)
        if "closed_at" not in frame:
            return frame["created_at"]
        return frame["closed_at"].where(closed.astype(bool) & frame["closed_at"].notna(),
                                        frame["created_at"])
    if table in ("quotas", "forecasts"):
        return frame["period_start"]
    return frame["date"]


def fx_code_issues(fx: pd.DataFrame) -> list[Issue]:
    """fx_rates rows whose currency is not an ISO 4217 code ("Euro", "$"): never used.

    >>> fx = pd.DataFrame({"currency": pd.array(["EUR", "Euro", "eur", None], dtype="string")})
    >>> [(i.column, i.mask.tolist()) for i in fx_code_issues(fx)]
    [('currency', [False, True, False, False])]
    """
    codes = fx["currency"].astype("string").str.strip().str.upper()
    bad = (codes.notna() & ~codes.isin(CODES)).astype(bool)
    return [Issue("fx_rates", "currency", CODE_RULE, bad)] if bad.any() else []


def rates_on(codes: pd.Series, dates: pd.Series, fx: pd.DataFrame) -> pd.Series:
    """The latest rate on or before each date of each code (NaN: none).

    >>> fx = pd.DataFrame({"currency": ["EUR", "EUR"],
    ...                    "date": pd.to_datetime(["2025-01-01", "2025-02-01"]),
    ...                    "rate": [1.1, 1.2]})
    >>> rates_on(pd.Series(["EUR", "EUR", "EUR"]),
    ...          pd.Series(pd.to_datetime(["2024-12-31", "2025-01-15", "2025-03-01"])), fx).tolist()
    [nan, 1.1, 1.2]
    """
    return _rates(codes, dates, fx)


def _rates(codes: pd.Series, dates: pd.Series, fx: pd.DataFrame) -> pd.Series:
    """The latest rate on or before each date of each code (NaN: none)."""
    left = pd.DataFrame({"currency": codes.to_numpy(), "date": dates.to_numpy(),
                         "row": range(len(codes))}).sort_values("date", kind="stable")
    right = pd.DataFrame({"currency": fx["currency"].astype("string").str.strip().str.upper()
                          .to_numpy(), "date": pd.to_datetime(fx["date"]).to_numpy(),
                          "rate": pd.to_numeric(fx["rate"]).astype(float).to_numpy()})
    right = right.dropna().sort_values("date", kind="stable")
    left["currency"] = left["currency"].astype(object)
    right["currency"] = right["currency"].astype(object)
    left["date"] = left["date"].astype("datetime64[ns]")
    right["date"] = right["date"].astype("datetime64[ns]")
    found = pd.merge_asof(left, right, on="date", by="currency", direction="backward")
    return pd.Series(found.sort_values("row")["rate"].to_numpy(), index=codes.index)


def convert(frame: pd.DataFrame, table: str, fx: pd.DataFrame | None,
            currency: str) -> tuple[pd.DataFrame, list[Issue]]:
    """``frame`` with its amounts in ``currency``, and the rows that could not be.

    Parameters
    ----------
    frame : pandas.DataFrame
        A typed table; returned unchanged without a ``currency`` column.
    table : str
        Its name (which amount column, which date).
    fx : pandas.DataFrame or None
        The valid rows of fx_rates (currency, date, rate), if any.
    currency : str
        The dataset currency (needs no rate).

    Returns
    -------
    (pandas.DataFrame, list of Issue)
        The converted frame and one issue per currency code that is not
        an ISO 4217 code (:data:`b2bkit.core.currencies.CODES`) or has no
        rate on or before a row's date.
    """
    amount = TABLES[table].amount
    if "currency" not in frame or amount is None or amount not in frame:
        return frame, []
    home = currency.strip().upper()
    codes = frame["currency"].astype("string").str.strip().str.upper()
    codes = codes.mask(codes.isna() | (codes == ""), home)
    valid = codes.isin(CODES).fillna(False).astype(bool)
    dates = row_dates(frame, table)
    foreign = (valid & (codes != home) & dates.notna()).astype(bool)
    rate = pd.Series(1.0, index=frame.index)
    if foreign.any():
        none = pd.DataFrame(columns=["currency", "date", "rate"])
        rate[foreign] = _rates(codes[foreign], dates[foreign], none if fx is None else fx)
    out = frame.copy()
    out["currency"] = codes
    out[f"{amount}_original"] = frame[amount]
    # no usable rate: no amount in the dataset currency either
    out[amount] = (frame[amount] * rate.to_numpy()).astype(frame[amount].dtype)
    issues = []
    if (~valid).any():
        issues.append(Issue(table, "currency", CODE_RULE, ~valid))
    missing = foreign & rate.isna()
    shown = "currency=" + codes + ", date=" + dates.dt.strftime("%Y-%m-%d")
    no_rate = NO_RATE_TABLE if fx is None else NO_RATE
    for code in sorted(codes[missing].unique()):
        mask = missing & (codes == code)
        issues.append(Issue(table, "currency",
                            no_rate.format(code=code),
                            mask.astype(bool), shown.where(mask)))
    return out, issues
