"""A rep report for a team of thousands stays readable and small (issue 28, item 5)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from b2bkit.cli import main

NOTEBOOK = Path(__file__).parents[2] / "notebooks" / "rep_performance.ipynb"


@pytest.mark.render
def test_rep_performance_for_three_thousand_reps(tmp_path: Path) -> None:
    n, deals = 3000, 6
    data = tmp_path / "team"
    data.mkdir()
    rng = np.random.default_rng(3)
    reps = pd.DataFrame({"rep_id": [f"R{i:05d}" for i in range(n)],
                         "name": [f"Rep {i}" for i in range(n)]})
    reps.to_csv(data / "reps.csv", index=False)
    pd.DataFrame({"account_id": ["A1"], "name": ["Acme"]}).to_csv(data / "accounts.csv",
                                                                  index=False)
    pd.DataFrame({
        "opportunity_id": [f"D{i}" for i in range(n * deals)], "created_at": "2025-04-01",
        "status": np.where(rng.random(n * deals) < 0.5, "won", "lost"),
        "amount": rng.integers(1000, 9000, size=n * deals).astype(float), "account_id": "A1",
        "rep_id": np.repeat(reps["rep_id"].to_numpy(), deals), "closed_at": "2025-05-11",
    }).to_csv(data / "opportunities.csv", index=False)
    out = tmp_path / "out"
    assert main(["report", str(NOTEBOOK), "--data", str(data), "--period", "2025-Q2",
                 "--out", str(out)]) == 0
    page = (out / "2025-Q2" / "rep_performance.html").read_text()
    assert len(page) < 1_000_000  # was 38 MB for 10,000 reps
    assert ("Of 3,000 reps, the top 10 and the bottom 10 by bookings are shown; the other "
            "2,980 are summed in one row.") in page
    assert "(other 2,980 reps)" in page
    # equal reps (every deal a coin flip): the team-wide interval names nobody by luck
    assert "3,000 reps with at least 5 closed deals are compared at once" in page
    assert "Learn from" not in page and "No rep differs clearly" in page
