"""Charts are tested through what they draw: bar lengths equal the numbers."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from b2bkit import plots


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_ranked_bars_sorted_labelled_and_missing_listed() -> None:
    values = pd.Series({"webinar": 0.4, "content": -0.1, "expo": np.nan, "referral": 0.25})
    ax = plots.ranked_bars(values, unit="rate", title="Webinars lead")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["content", "referral", "webinar"]
    assert [p.get_width() for p in ax.patches] == [-0.1, 0.25, 0.4]
    labels = [t.get_text() for t in ax.texts]
    assert labels[:3] == ["-10.0%", "25.0%", "40.0%"]
    assert "no value: expo" in labels
    assert ax.get_title() == "Webinars lead"


def test_funnel_chart_draws_counts_and_rates() -> None:
    counts = pd.Series({"lead": 100.0, "mql": 40.0, "sql": np.nan, "won": 5.0})
    ax = plots.funnel_chart(counts, previous=counts * 2, title="t")
    this = [p.get_width() for p in ax.patches[4:]]          # after the 4 outline bars
    assert this[::-1][:2] == [100.0, 40.0]
    texts = [t.get_text() for t in ax.texts]
    assert "40% of the stage above" in texts and "n/a (no data)" in texts


def test_grouped_bars_and_trend() -> None:
    frame = pd.DataFrame({"channel": ["a", "a", "b", "b"], "share of": ["x", "y", "x", "y"],
                          "share": [0.1, 0.2, 0.3, 0.4]})
    ax = plots.grouped_bars(frame, x="channel", y="share", hue="share of", unit="rate")
    assert sorted(round(p.get_height(), 2) for p in ax.patches) == [0.1, 0.2, 0.3, 0.4]
    ax = plots.trend_chart(pd.Series([1.0, 2.0, 3.0]), pd.Series([1.0, 1.0, 1.0]))
    assert [list(line.get_ydata()) for line in ax.lines] == [[1.0, 1.0, 1.0], [1.0, 2.0, 3.0]]
