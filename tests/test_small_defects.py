"""The smaller defects of issue 22, each with a test that fails on the code before it.

- rep_productivity is defined over reps with a quota *or* a won deal (CONTRACT section 3),
  so a dataset without a quotas table gets bookings / reps who won, not null;
- Gamma-Gamma with no customer who bought twice is refused with its reason (was IndexError);
- a database URL whose port is no number is a clear message, exit 1 (was a ValueError);
- as_of is never printed as "none" or 1970: a dataset without dated rows says so, and a
  period cannot be judged against it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from b2bkit.analysis.customers import predictive_section
from b2bkit.cli import main
from b2bkit.load.dataset import from_frames
from b2bkit.metrics import prepare
from b2bkit.metrics.predictive import FitCheckError, fit_gamma_gamma
from b2bkit.metrics.team import rep_productivity


def test_rep_productivity_without_a_quotas_table_is_bookings_per_rep_who_won() -> None:
    # R1 won 100 + 50, R2 won 30, R3 lost only: (100 + 50 + 30) / 2 reps = 90
    ds = from_frames({"opportunities": pd.DataFrame({
        "opportunity_id": ["D1", "D2", "D3", "D4"], "created_at": "2025-01-02",
        "status": ["won", "won", "won", "lost"], "amount": [100, 50, 30, 70],
        "account_id": "A1", "rep_id": ["R1", "R1", "R2", "R3"],
        "closed_at": "2025-02-01"})})
    assert rep_productivity(ds, "2025-Q1") == 90.0


def test_gamma_gamma_without_a_repeat_purchase_is_refused_with_its_reason() -> None:
    with pytest.raises(FitCheckError, match="no customer bought twice"):
        fit_gamma_gamma(np.zeros(30), np.full(30, np.nan))


def test_the_predictive_section_refuses_a_dataset_where_nobody_bought_twice() -> None:
    # 25 customers (more than the 20 the section needs), one order each
    orders = pd.DataFrame({"order_id": [f"O{i}" for i in range(25)],
                           "account_id": [f"A{i}" for i in range(25)],
                           "date": pd.date_range("2025-01-01", periods=25, freq="7D"),
                           "amount": 100.0})
    section = predictive_section(prepare(from_frames({"orders": orders})))
    assert not section.shown
    assert section.reasons == ("no customer bought twice: Gamma-Gamma fits the value of repeat "
                               "purchases, and there are none",)


def test_a_database_url_with_a_port_that_is_no_number_is_a_clear_message(capsys) -> None:
    assert main(["validate", "postgresql+psycopg://u:pw@host:notaport/db"]) == 1
    err = capsys.readouterr().err
    assert "not a valid database URL" in err and "the port a number" in err
    assert "pw" not in err and "Traceback" not in err


def test_a_dataset_without_dated_rows_says_so_and_no_period_is_judged(tmp_path: Path,
                                                                       capsys) -> None:
    (tmp_path / "accounts.csv").write_text("account_id,name\nA1,Acme\n")
    assert main(["validate", str(tmp_path)]) == 0
    head = capsys.readouterr().out.splitlines()[0]
    assert head.endswith("no as_of: the dataset has no dated rows")
    for command in (["kpis", "--data", str(tmp_path), "--period", "2025-Q1"],
                    ["report", "--data", str(tmp_path), "--period", "2025-Q1", "--out",
                     str(tmp_path / "r")]):
        assert main(command) == 1
        err = capsys.readouterr().err
        assert "cannot be judged: the dataset has no dated rows" in err
        assert "1970" not in err and "none" not in err
