"""The cohort report's predictive-CLV section: numbers only from a fit that passed its check."""

import pandas as pd

from b2bkit.analysis.customers import predictive_section
from b2bkit.load.dataset import from_frames
from b2bkit.load.settings import Settings
from b2bkit.metrics import prepare
from tests.metrics.test_predictive_check import AS_OF, breakdown_orders, simulated_orders


def _view(orders: pd.DataFrame, segments: dict[str, str]):
    orders = orders.assign(account_id=orders["account_id"].astype(str),
                           order_id=[f"N{i}" for i in range(len(orders))])
    ids = sorted(orders["account_id"].unique())
    accounts = pd.DataFrame({"account_id": ids,
                             "segment": [segments.get(a, "") for a in ids]})
    ds = from_frames({"orders": orders, "accounts": accounts},
                     settings=Settings(as_of=AS_OF, gross_margin=0.5))
    return prepare(ds)


def test_a_broken_down_fit_shows_no_number_and_says_why() -> None:
    section = predictive_section(_view(breakdown_orders(), {}))
    assert not section.shown and section.table is None and section.sentence == ""
    assert any(reason.startswith("BG/NBD") for reason in section.reasons), section.reasons


def test_a_healthy_population_is_shown_per_segment() -> None:
    orders = simulated_orders(3000, seed=5)
    segments = {str(i): ("SMB" if i % 2 else "Enterprise") for i in range(2900)}
    section = predictive_section(_view(orders, segments))  # the last 100: no segment
    assert section.shown and section.reasons == ()
    table = section.table.set_index("segment")
    assert table.index.tolist() == ["Enterprise", "SMB", "(unknown)"]  # unknown last
    assert table["customers"].tolist() == [1450, 1450, 100]
    assert ((table["p_alive"] > 0) & (table["p_alive"] <= 1)).all()
    assert section.sentence.startswith("Fitted on 3,000 customers and checked: the fits "
                                       "converged")
    # the parameters go in the technical note, never in the sentence a manager reads
    assert "BG/NBD" not in section.sentence and "alpha" not in section.sentence
    assert [line.split(" = ")[0] for line in section.parameters] == ["BG/NBD r", "Gamma-Gamma p"]
