"""Row dimensions through the links (b2bkit.view.dims): picking a parent's value by codes."""

import numpy as np
import pandas as pd

from b2bkit.load.links import take
from b2bkit.view.dims import _choose_via, choose


def test_choose_via_equals_choose_of_the_taken_values():
    lead = pd.Series(["web", None, "ads"], dtype="category")
    campaign = pd.Series(["expo", "web", None], dtype="category")
    use_lead = np.array([True, True, False, False, True, False])
    to_lead = np.array([0, 1, -1, 2, -1, 0])
    to_campaign = np.array([-1, 0, 0, 2, 1, 1])
    picked = _choose_via(use_lead, lead, to_lead, campaign, to_campaign)
    # rows: lead web; lead blank; campaign expo; campaign blank; no lead (-1); campaign web
    assert picked.tolist() == ["web", np.nan, "expo", np.nan, np.nan, "web"]
    assert list(picked.cat.categories) == ["ads", "expo", "web"]
    old = choose(use_lead, take(lead, to_lead), take(campaign, to_campaign))
    pd.testing.assert_series_equal(picked, old)
