"""Charts in Russian: their words through the catalogue, tick labels in the Russian formats;
the text renders with a font that has Cyrillic."""

import matplotlib
import pandas as pd

from b2bkit import plots
from b2bkit.core.i18n import use

matplotlib.use("Agg")
NBSP = "\u00a0"


def test_quota_chart_in_russian() -> None:
    with use("ru"):
        ax = plots.quota_chart(pd.Series({"ann": 1.25, "bob": 0.5, "cy": float("nan")}),
                               title="Анна выполнила план")
        ax.figure.canvas.draw()
        ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ax.get_title(loc="left") + ax.get_title() == "Анна выполнила план"
    assert ax.get_xlabel() == "выполнение плана (%)"
    assert ax.get_legend().get_texts()[0].get_text() == f"100{NBSP}% плана"
    assert f"100{NBSP}%" in ticks and "100%" not in ticks
    texts = [t.get_text() for t in ax.texts]
    assert f"125,0{NBSP}%" in texts and "нет значения: cy" in texts


def test_axis_labels_and_counts_in_russian() -> None:
    with use("ru"):
        ax = plots.ranked_bars(pd.Series({"a": 1500.0, "b": 2500.0}), unit="count")
        ax.figure.canvas.draw()
        ticks = [t.get_text() for t in ax.get_xticklabels()]
        assert ax.get_xlabel() == "количество"
        assert f"2{NBSP}000" in ticks
        funnel = plots.funnel_chart(pd.Series({"lead": 100.0, "won": 25.0}),
                                    previous=pd.Series({"lead": 90.0, "won": 20.0}))
        texts = [t.get_text() for t in funnel.texts]
        assert f"25{NBSP}% от предыдущего этапа" in texts
        assert [t.get_text() for t in funnel.get_legend().get_texts()] == [
            "предыдущий период", "этот период"]


def test_trend_chart_metric_label_in_russian() -> None:
    frame = pd.DataFrame({"period": ["2025-01", "2025-02"], "start": pd.to_datetime(
        ["2025-01-01", "2025-02-01"]), "metric": "win_rate", "unit": "rate",
        "value": [0.2, 0.3], "note": pd.NA})
    with use("ru"):
        ax = plots.trend_chart(frame)
    assert ax.get_ylabel() == "Доля выигранных сделок (доля (%))"
    assert plots.trend_chart(frame).get_ylabel() == "Win rate (share (%))"


def test_verdict_legend_translated_colours_by_code() -> None:
    table = pd.DataFrame({"practice": ["a", "b"], "lead_quality": [0.2, 0.3], "roi": [1.0, -0.5],
                          "spend": [10.0, 20.0], "verdict": ["keep", "drop"]})
    with use("ru"):
        ax = plots.quadrant(table)
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["сохранить", "прекратить"]
    assert legend.get_title().get_text() == "решение"
    assert plots._verdict_colour("keep") == plots.VERDICT_COLOURS["keep"]


def test_cyrillic_font_is_found() -> None:
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    # the report style leaves matplotlib's default family, whose first font is DejaVu Sans
    path = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]),
                                 fallback_to_default=False)
    assert "DejaVuSans" in path
    font = FT2Font(path)
    assert all(font.get_char_index(ord(c)) for c in "Доля выигранных сделок ₽")


def test_a_verdict_with_its_reason_is_translated_whole() -> None:
    from b2bkit.core.i18n import use
    from b2bkit.plots import _verdict_label

    with use("ru"):
        assert _verdict_label("not judged: no practice recorded") == (
            "без оценки: практика не указана")
        assert _verdict_label("keep") == "сохранить"
