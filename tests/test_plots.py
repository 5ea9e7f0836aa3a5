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


def test_dollars_in_data_are_drawn_as_dollars_not_mathtext() -> None:
    names = pd.Series({"Promo: $10 off": 0.4, "$x^2$": 0.1, "$5 and $6": np.nan})
    ax = plots.ranked_bars(names, unit="rate", title="Best: Promo: $10 off")
    ax.figure.canvas.draw()   # mathtext would fail on "$10 off" paired with another $
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [r"\$x^2\$", r"Promo: \$10 off"]
    assert ax.get_title() == r"Best: Promo: \$10 off"
    assert "no value: \\$5 and \\$6" in [t.get_text() for t in ax.texts]
    # what is drawn is the plain text: no mathtext is parsed
    assert [t._preprocess_math(t.get_text()) for t in ax.get_yticklabels()] == [
        ("$x^2$", False), ("Promo: $10 off", False)]
    frame = pd.DataFrame({"channel": ["$a$", "$a$"], "hue": ["$1", "$2"], "v": [1.0, 2.0]})
    ax = plots.grouped_bars(frame, x="channel", y="v", hue="hue")
    ax.figure.canvas.draw()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [r"\$1", r"\$2"]
    counts = pd.Series({"$lead$": 10.0, "won": 1.0})
    plots.funnel_chart(counts).figure.canvas.draw()
    table = pd.DataFrame([[0.5]], index=["$q1$"], columns=["$0$"])
    plots.heatmap(table).figure.canvas.draw()
    verdicts = pd.DataFrame({"practice": ["$x$ ads"], "lead_quality": [0.1], "roi": [1.0],
                             "spend": [5.0], "verdict": ["keep"]})
    plots.quadrant(verdicts).figure.canvas.draw()
    plots.scatter_labelled(pd.Series({"$r$": 0.1}), pd.Series({"$r$": 2.0})).figure.canvas.draw()
    history = pd.DataFrame({"$cpl$": [1.0, 2.0]}, index=["$p1", "$p2"])
    figure = plots.sparklines(history, units={}, title="$t$")
    figure.canvas.draw()
    assert figure.axes[0].get_title(loc="left") == r"\$cpl\$"
