"""Charts are tested through what they draw: bar lengths equal the numbers."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.text import Text

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
    ax = plots.trend_chart(pd.Series([1.0, 2.0, 3.0], index=["2025-01", "2025-02", "2025-03"]))
    assert [list(line.get_ydata()) for line in ax.lines] == [[1.0, 2.0, 3.0]]
    assert ax.get_legend() is None  # one line: nothing to tell apart


def test_trend_chart_draws_one_labelled_line_per_group() -> None:
    frame = pd.DataFrame({"period": ["2025-01", "2025-01", "2025-02", "2025-02"],
                          "start": pd.to_datetime(["2025-01-01"] * 2 + ["2025-02-01"] * 2),
                          "channel": ["a", "b", "a", "b"], "metric": "cpl", "unit": "currency",
                          "value": [10.0, 20.0, 30.0, np.nan], "note": pd.NA})
    ax = plots.trend_chart(frame)
    assert [line.get_label() for line in ax.lines] == ["a", "b"]
    assert list(ax.lines[0].get_ydata()) == [10.0, 30.0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2025-01", "2025-02"]


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


# -- labels never overlap; colours named in sentences are the colours drawn ------------

LONG = ["other_publicities", "paid_search", "organic_search", "social", "unknown",
        "direct_traffic", "referral", "email", "display", "(unknown)"]


def _overlaps(ax, texts) -> list[tuple[str, str]]:
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    # the text's own box (an annotation's extent would include its leader line)
    boxes = [(t.get_text(), Text.get_window_extent(t, renderer)) for t in texts
             if t.get_text()]
    return [(a, b) for i, (a, box_a) in enumerate(boxes) for b, box_b in boxes[i + 1:]
            if box_a.overlaps(box_b)]


def test_quadrant_labels_of_ten_near_equal_practices_do_not_overlap() -> None:
    table = pd.DataFrame({"practice": LONG, "lead_quality": 0.2 + 0.001 * np.arange(10),
                          "roi": 1.0 + 0.002 * np.arange(10), "spend": 100.0 + np.arange(10),
                          "verdict": ["keep", "drop", "optimize", "too early to judge",
                                      "too little data", "not judged: no practice recorded",
                                      "keep", "drop", "optimize", "keep"]})
    ax = plots.quadrant(table, x_target=0.2, y_target=0.0, title="t")
    labels = [t for t in ax.texts if t.get_text() in LONG]
    assert len(labels) == 10
    assert _overlaps(ax, labels) == []
    # every verdict has its own colour; the no-judgement ones are not keep/optimize/drop
    colours = {t.get_text(): tuple(h.get_facecolor()[0][:3]) for t, h in zip(
        ax.get_legend().get_texts(), ax.get_legend().legend_handles, strict=True)}
    assert plots.colour_name(colours["drop"]) == "red"
    assert plots.colour_name(colours["too little data"]) == "grey"
    assert plots.colour_name(colours["not judged: no practice recorded"]) == "grey"
    assert plots.colour_name(colours["too early to judge"]) == "blue"
    assert colours["too early to judge"] != colours["keep"]


def test_scatter_labels_of_crowded_reps_do_not_overlap() -> None:
    x = pd.Series([*(0.5 + 0.001 * np.arange(10)), 0.9], index=[*LONG, "far"])
    y = pd.Series([*(1.0 + 0.001 * np.arange(10)), 5.0], index=[*LONG, "far"])
    ax = plots.scatter_labelled(x, y, title="t")
    assert _overlaps(ax, ax.texts) == []


def test_funnel_labels_do_not_overlap_when_stages_are_near_equal() -> None:
    # Olist-like: every lead becomes an MQL; counts and rates side by side on each row
    counts = pd.Series({"lead": 3343.0, "mql": 3343.0, "sql": np.nan, "opportunity": 3342.0,
                        "won": 333.0})
    ax = plots.funnel_chart(counts, previous=counts, title="t")
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("100% of the stage above") == 1 and "n/a (no data)" in texts
    assert _overlaps(ax, ax.texts) == []


def test_ranked_bars_of_ten_long_names_and_missing_note_do_not_overlap() -> None:
    values = pd.Series(0.3 + 0.0001 * np.arange(10), index=LONG)
    values.iloc[2:] = np.nan   # a short chart: two bars, eight names listed under it
    ax = plots.ranked_bars(values, unit="rate", title="t")
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    note = next(t for t in ax.texts if t.get_text().startswith("no value:"))
    assert note.get_text() == ("no value: organic_search, social, unknown, direct_traffic, "
                               "referral, email, display, (unknown)")
    assert not note.get_window_extent(renderer).overlaps(
        ax.xaxis.label.get_window_extent(renderer))
    ticks = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()]
    assert not any(note.get_window_extent(renderer).overlaps(box) for box in ticks)
    assert _overlaps(ax, ax.texts) == []


def test_quota_chart_has_a_100_percent_line() -> None:
    ax = plots.quota_chart(pd.Series({"ann": 1.25, "bob": 0.5, "cy": 0.98}), title="t")
    [line] = ax.lines
    assert list(line.get_xdata()) == [1.0, 1.0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["100% of quota"]
    assert [p.get_width() for p in ax.patches] == [0.5, 0.98, 1.25]


def test_the_red_dot_is_red() -> None:
    history = pd.DataFrame({"win_rate": [0.4, 0.5, 0.45]}, index=["q1", "q2", "q3"])
    figure = plots.sparklines(history, units={"win_rate": "rate"})
    dot = figure.axes[0].lines[-1]
    assert plots.colour_name(dot.get_color()) == "red"
    assert figure.axes[0].get_title(loc="left") == "Win rate"   # the label, not the code
    assert plots.colour_name(plots.PALETTE[3]) == "orange"   # Okabe-Ito vermillion is not


def test_heatmap_numbers_are_legible_on_every_cell() -> None:
    from matplotlib.colors import to_rgb

    table = pd.DataFrame([[1.0, 0.9, 0.5], [1.0, 0.2, np.nan]], index=["c1", "c2"],
                         columns=[0, 1, 2])
    ax = plots.heatmap(table, unit="rate", title="t")
    cells = ax.images[0]
    for t in ax.texts:
        assert t.get_fontsize() >= 9
        x, y = (round(v) for v in t.get_position())
        background = cells.cmap(cells.norm(table.iloc[y, x]))[:3]
        luminance = np.dot(background, [0.2126, 0.7152, 0.0722])
        ink = np.dot(to_rgb(t.get_color()), [0.2126, 0.7152, 0.0722])
        assert abs(luminance - ink) > 0.4, (t.get_text(), luminance, t.get_color())
    assert [t.get_text() for t in ax.texts] == ["100", "90", "50", "100", "20"]


def test_backtest_chart_draws_band_forecast_actual_and_team() -> None:
    from b2bkit.plots import backtest_chart

    frame = pd.DataFrame({"period": ["2025-Q1", "2025-Q2"], "expected": [10.0, 12.0],
                          "low": [8.0, 9.0], "high": [12.0, 15.0], "actual": [11.0, 16.0],
                          "team_forecast": [10.5, float("nan")]})
    ax = backtest_chart(frame, currency="EUR", title="Q2 beat the interval")
    lines = {line.get_label(): [float(y) for y in line.get_ydata()] for line in ax.lines}
    assert lines["forecast (expected)"] == [10.0, 12.0]
    assert lines["actual bookings"] == [11.0, 16.0]
    assert lines["team's own forecast"][0] == 10.5
    band = ax.collections[0].get_paths()[0].vertices[:, 1]
    assert band.min() == 8.0 and band.max() == 15.0
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2025-Q1", "2025-Q2"]


def test_interval_bars_leave_out_missing_values() -> None:
    from b2bkit.plots import interval_bars

    ax = interval_bars(pd.Series({"model": 100.0, "team": float("nan"), "actual": 120.0}),
                       intervals={"model": (80.0, 130.0)}, currency="EUR")
    assert [float(p.get_height()) for p in ax.patches] == [100.0, 120.0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["model", "actual"]


def test_quadrant_legend_markers_share_one_size() -> None:
    # the bubbles are sized by spend; the legend names verdicts, so its markers are all alike
    table = pd.DataFrame({"practice": ["a", "b", "c"], "lead_quality": [0.1, 0.2, 0.3],
                          "roi": [0.5, -0.2, 1.0], "spend": [100.0, 50_000.0, 10.0],
                          "verdict": ["keep", "drop", "optimize"]})
    handles = plots.quadrant(table).get_legend().legend_handles
    assert [float(h.get_sizes()[0]) for h in handles] == [60.0, 60.0, 60.0]
