"""Charts for reports: one legible, colour-blind-safe style, axes with units.

Every function takes its data first and the rest by keyword, draws on
``ax`` (a new figure when omitted) and returns the Axes; none calls
``plt.show()``. Titles are passed in by the caller and should state the
finding ("Webinars convert best"), not the chart type.

>>> import pandas as pd
>>> ax = ranked_bars(pd.Series({"webinar": 0.4, "content": 0.1}), unit="rate",
...                  title="Webinars convert best")
>>> [float(p.get_width()) for p in ax.patches]    # smallest at the bottom, largest on top
[0.1, 0.4]
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import matplotlib
import matplotlib.patches
import matplotlib.pyplot as plt
import matplotlib.text
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

from b2bkit.core.formatting import format_value
from b2bkit.core.i18n import NC_, _, current, missing, number, percent, pgettext, plain
from b2bkit.core.labels import header
from b2bkit.metrics.glossary import label as metric_label

__all__ = ["HIGHLIGHT", "PALETTE", "VERDICT_COLOURS", "apply_style", "backtest_chart",
           "colour_name", "declutter", "funnel_chart", "grouped_bars", "heatmap",
           "interval_bars", "quadrant", "quota_chart", "ranked_bars", "scatter_labelled",
           "share_bars", "sparklines", "text", "trend_chart"]

#: Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
           "#000000")
MUTED = "#9E9E9E"
#: The one colour that sentences call "red" (the current period's dot, a missed target).
HIGHLIGHT = "#C8102E"


def colour_name(colour: object) -> str:
    """The everyday name of a drawn colour, so a sentence can say which dot to look at.

    Greys (little saturation) are "grey", "black" or "white"; the rest are
    named by hue.

    >>> colour_name(HIGHLIGHT), colour_name(PALETTE[3]), colour_name(PALETTE[0])
    ('red', 'orange', 'blue')
    >>> colour_name(MUTED), colour_name("#000000")
    ('grey', 'black')
    """
    from matplotlib.colors import rgb_to_hsv, to_rgb

    hue, saturation, value = rgb_to_hsv(to_rgb(colour))
    if value < 0.15:
        return "black"
    if saturation < 0.2:
        return "white" if value > 0.95 else "grey"
    degrees = 360 * hue
    for limit, name in ((12, "red"), (45, "orange"), (70, "yellow"), (165, "green"),
                        (255, "blue"), (290, "purple"), (340, "pink"), (360, "red")):
        if degrees < limit:
            return name
    return "red"


def declutter(ax: Axes, labels: Sequence[matplotlib.text.Annotation], *,
              pad: float = 2.0) -> None:
    """Move annotations (placed in offset points) apart until no two drawn boxes overlap.

    Greedy, top to bottom: each label whose text box overlaps one placed
    before it is moved just below those (``pad`` pixels apart), or just above
    them when below would leave the axes; a thin grey line then joins it to
    its point. Draws the figure to measure; boxes are the text's own
    (``Text.get_window_extent``), without the joining line.
    """
    if not labels:
        return
    figure = ax.figure
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    to_points = 72.0 / figure.dpi
    bottom = ax.get_window_extent(renderer).y0
    boxes = {id(t): matplotlib.text.Text.get_window_extent(t, renderer) for t in labels}
    order = sorted(labels, key=lambda t: -boxes[id(t)].y1)
    placed: list = []
    for label in order:
        box, upwards = boxes[id(label)], False
        for _attempt in range(2 * len(placed) + 2):
            hits = [other for other in placed if box.overlaps(other)]
            if not hits:
                break
            shift = min(other.y0 for other in hits) - box.y1 - pad  # pixels, downwards
            upwards = upwards or box.y0 + shift < bottom
            if upwards:  # below would leave the axes: above every label it meets instead
                shift = max(other.y1 for other in hits) - box.y0 + pad
            dx, dy = label.xyann
            label.xyann = (dx, dy + shift * to_points)
            box = box.translated(0, shift)
            if label.arrow_patch is None:
                label.arrowprops = {"arrowstyle": "-", "color": MUTED, "linewidth": 0.6,
                                    "shrinkA": 0, "shrinkB": 2}
                label._arrow_relpos = (0.0, 0.5)
                label.arrow_patch = matplotlib.patches.FancyArrowPatch(
                    (0, 0), (1, 1), **label.arrowprops)
        placed.append(box)


def text(value: object) -> str:
    """``value`` as literal chart text: a ``$`` from the data is a dollar, never mathtext.

    >>> text("Promo: $10 off"), text(2025)
    ('Promo: \\\\$10 off', '2025')
    """
    return str(value).replace("$", r"\$")


def _texts(values: object) -> list[str]:
    return [text(v) for v in values]

STYLE = {
    "figure.figsize": (8.0, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "x",
    "axes.axisbelow": True,
    "grid.color": "#E0E0E0",
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "legend.frameon": False,
}


def apply_style() -> None:
    """Use the report style for every figure that follows (notebooks call it once)."""
    plt.rcParams.update(STYLE)


def _axes(ax: Axes | None, height: float | None = None) -> Axes:
    if ax is not None:
        return ax
    with plt.rc_context(STYLE):
        _figure, ax = plt.subplots(figsize=(8.0, height or 4.0))
    return ax


def _formatter(unit: str, currency: str = "") -> FuncFormatter:
    def tick(value: float, _position: int) -> str:
        if unit == "rate":
            return percent(value, 0)
        if unit in ("currency", "currency_per_day", "days", "months", "count"):
            return number(value)
        return format_value(value, unit, "")

    return FuncFormatter(tick)


#: The axis label of each unit (translated where drawn, under the ``axis`` context).
_UNIT_AXES = {"rate": NC_("axis", "share (%)"), "count": NC_("axis", "count"),
              "days": NC_("axis", "days"), "ratio": NC_("axis", "ratio"),
              "score": NC_("axis", "points"), "months": NC_("axis", "months")}


def _axis_label(unit: str, currency: str, label: str | None) -> str:
    if label:
        return text(label)
    if unit == "currency":
        return text(currency or pgettext("axis", "amount"))
    if unit == "currency_per_day":
        return text(_("{currency} per day").format(currency=currency).strip()
                    if currency else pgettext("axis", "per day"))
    return text(pgettext("axis", _UNIT_AXES[unit]) if unit in _UNIT_AXES else unit)


def _header(name: object) -> str:
    """A column name as a legend's title reads it, in the report's language."""
    if current().english:
        return text(name)
    return text(header(metric_label(name)))


def ranked_bars(values: pd.Series, *, unit: str = "count", currency: str = "",
                title: str = "", label: str | None = None, highlight: Sequence[str] = (),
                reference: float | None = None, reference_label: str = "",
                ax: Axes | None = None) -> Axes:
    """Horizontal bars, largest first, each labelled with its formatted value.

    Missing values are left out of the bars and listed under the axis label.
    ``reference`` draws a vertical line there (a target, 100% of quota),
    named by ``reference_label`` in the legend. Bars are one row apart and
    each value label sits at the end of its own bar, so no two labels overlap.
    """
    shown = values.dropna().sort_values(ascending=True)
    ax = _axes(ax, height=max(2.0, 0.45 * len(shown) + 1.2))
    colors = [HIGHLIGHT if name in highlight else PALETTE[0] for name in shown.index]
    ax.barh(_texts(shown.index), shown.to_numpy(dtype=float), color=colors)
    for y, value in enumerate(shown.to_numpy(dtype=float)):
        ax.annotate(text(format_value(value, unit, currency)), (value, y),
                    xytext=(4 if value >= 0 else -4, 0), textcoords="offset points",
                    va="center", ha="left" if value >= 0 else "right", fontsize=9)
    if reference is not None:
        ax.axvline(reference, color=HIGHLIGHT, linestyle="--", linewidth=1.2,
                   label=text(reference_label) or None)
        if reference_label:
            ax.legend(loc="lower right")
    ax.xaxis.set_major_formatter(_formatter(unit, currency))
    ax.set_xlabel(_axis_label(unit, currency, label))
    ax.set_title(text(title))
    ax.margins(x=0.15)
    absent = values.index[values.isna()]
    if len(absent):  # under the axis label, whatever the figure's height
        ax.annotate(_("no value: {names}").format(names=", ".join(_texts(absent))), (0, 0),
                    xycoords=("axes fraction", ax.xaxis.label), xytext=(0, -4),
                    textcoords="offset points", va="top", fontsize=8, color=MUTED)
    return ax


def share_bars(shares: pd.DataFrame, *, title: str = "", muted: Sequence[str] = (),
               ax: Axes | None = None) -> Axes:
    """One horizontal bar per row, split into its columns' shares (each row sums to 1).

    Rows are drawn top to bottom in their order (the attribution models, say),
    columns as segments left to right in one colour each (``muted`` columns,
    such as ``(unknown)``, in greys), with the share written inside segments of
    at least 8% and a legend of the columns under the chart.

    >>> ax = share_bars(pd.DataFrame({"webinar": [0.75, 0.5], "content": [0.25, 0.5]},
    ...                              index=["first touch", "last touch"]))
    >>> [round(float(p.get_width()), 2) for p in ax.patches]  # webinar's, content's; bottom up
    [0.5, 0.75, 0.5, 0.25]
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['last touch', 'first touch']
    """
    ax = _axes(ax, height=max(2.5, 0.45 * len(shares) + 1.8))
    rows = _texts(shares.index)[::-1]  # the first row on top
    left = np.zeros(len(shares))
    colours, greys = iter(PALETTE), iter((MUTED, "#D4D4D4", "#616161"))
    for name in shares.columns:
        values = shares[name].fillna(0.0).to_numpy(dtype=float)[::-1]
        colour = next(greys, MUTED) if name in muted else next(colours, MUTED)
        ax.barh(rows, values, left=left, color=colour, label=text(name), edgecolor="white")
        for y, (start, value) in enumerate(zip(left, values, strict=True)):
            if value >= 0.08:
                ax.text(start + value / 2, y, percent(value, 0), ha="center",
                        va="center", fontsize=8,
                        color="white" if colour in (PALETTE[0], PALETTE[3], PALETTE[7])
                        else "black")
        left = left + values
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(_formatter("rate"))
    ax.set_xlabel(_axis_label("rate", "", _("share of the bookings credited (%)")))
    ax.set_title(text(title))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=min(len(shares.columns), 4),
              fontsize=8)
    return ax


def quota_chart(attainment: pd.Series, *, title: str = "", ax: Axes | None = None) -> Axes:
    """Quota attainment per rep as ranked bars with a line at 100% of quota.

    >>> ax = quota_chart(pd.Series({"ann": 1.2, "bob": 0.7}), title="Ann beat her quota")
    >>> [float(x) for x in ax.lines[0].get_xdata()], ax.get_legend().get_texts()[0].get_text()
    ([1.0, 1.0], '100% of quota')
    """
    return ranked_bars(attainment, unit="rate", title=title, label=_("quota attainment (%)"),
                       reference=1.0, reference_label=_("100% of quota"), ax=ax)


def grouped_bars(frame: pd.DataFrame, *, x: str, y: str, hue: str, unit: str = "count",
                 currency: str = "", title: str = "", label: str | None = None,
                 ax: Axes | None = None) -> Axes:
    """Vertical bars of ``y`` for each ``x``, one bar per ``hue`` value side by side."""
    ax = _axes(ax)
    table = frame.pivot(index=x, columns=hue, values=y)
    groups, series = _texts(table.index), table.columns
    width = 0.8 / max(len(series), 1)
    positions = np.arange(len(groups))
    for i, name in enumerate(series):
        ax.bar(positions + (i - (len(series) - 1) / 2) * width,
               table[name].to_numpy(dtype=float), width=width, label=_header(name),
               color=PALETTE[i % len(PALETTE)])
    ax.set_xticks(positions, groups)
    ax.yaxis.set_major_formatter(_formatter(unit, currency))
    ax.set_ylabel(_axis_label(unit, currency, label))
    ax.grid(axis="x", visible=False)
    ax.grid(axis="y", visible=True)
    ax.set_title(text(title))
    ax.legend(title=_header(hue))
    return ax


#: The columns of a :func:`b2bkit.analysis.trend` frame other than its dimension's.
_TREND = ("period", "start", "metric", "unit", "value", "note")


def trend_chart(values: pd.Series | pd.DataFrame, *, unit: str | None = None,
                currency: str = "", title: str = "", label: str | None = None,
                ax: Axes | None = None) -> Axes:
    """A line over time: one per group, each labelled with its group.

    Parameters
    ----------
    values : pandas.Series or pandas.DataFrame
        A Series indexed by period (one line, no legend), or a
        :func:`~b2bkit.analysis.trend` frame: one line per value of its
        dimension column when it was split (``by=``), else one line.
    unit : str, optional
        The values' unit; default the frame's ``unit`` column, else ``count``.
    label : str, optional
        The axis label; default, for a trend frame of one metric, the metric's
        name as readers see it (:func:`b2bkit.metrics.glossary.label`) with its unit.

    Examples
    --------
    >>> from b2bkit import sample_dataset
    >>> from b2bkit.analysis import trend
    >>> frame = trend(sample_dataset(), "leads", 2, end="2025-02", by="channel")
    >>> ax = trend_chart(frame)
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['(unknown)', 'trade_show', 'webinar']
    >>> ax.get_ylabel()
    'Leads (count)'
    """
    ax = _axes(ax)
    if isinstance(values, pd.DataFrame):
        unit = unit or (str(values["unit"].iloc[0]) if len(values) else None)
        metrics = values["metric"].unique() if "metric" in values else []
        if label is None and len(metrics) == 1:
            label = _("{metric} ({unit})").format(
                metric=metric_label(metrics[0]),
                unit=_axis_label(unit or "count", currency, None))
        by = [c for c in values.columns if c not in _TREND]
        periods = list(dict.fromkeys(values["period"]))
        wide = (values.pivot(index="period", columns=by[0], values="value") if by
                else values.set_index("period")[["value"]]).reindex(periods)
    else:
        wide = values.to_frame("value")
    steps = np.arange(len(wide))
    for n, group in enumerate(wide.columns):
        ax.plot(steps, wide[group].to_numpy(dtype=float), color=PALETTE[n % len(PALETTE)],
                marker="o", label=text(str(group)))
    ax.set_xticks(steps, _texts(wide.index))
    unit = unit or "count"
    ax.yaxis.set_major_formatter(_formatter(unit, currency))
    ax.set_ylabel(_axis_label(unit, currency, label))
    ax.grid(axis="x", visible=False)
    ax.grid(axis="y", visible=True)
    ax.set_title(text(title))
    if wide.shape[1] > 1:
        ax.legend()
    return ax


def funnel_chart(counts: pd.Series, *, previous: pd.Series | None = None, title: str = "",
                 ax: Axes | None = None) -> Axes:
    """Stage counts as horizontal bars, top stage first, with the stage-to-stage rates.

    ``counts`` is indexed by stage in funnel order; ``previous`` (same stages)
    adds a grey outline of the comparison period.
    """
    ax = _axes(ax, height=0.6 * len(counts) + 1.2)
    stages = _texts(counts.index)[::-1]
    values = counts.to_numpy(dtype=float)[::-1]
    top = max(float(np.nanmax(values)) if np.isfinite(values).any() else 0.0, 1.0)
    if previous is not None:
        ax.barh(stages, previous.to_numpy(dtype=float)[::-1], color="none", edgecolor=MUTED,
                linestyle="--", label=_("previous period"))
    ax.barh(stages, values, color=PALETTE[0], label=_("this period"))
    forward = counts.to_numpy(dtype=float)
    shown_counts = []
    for i, value in enumerate(values):
        shown = _("n/a (no data)") if np.isnan(value) else number(value)
        shown_counts.append(ax.annotate(shown, (0 if np.isnan(value) else value, i),
                                        xytext=(4, 0), textcoords="offset points",
                                        va="center", fontsize=9))
    shown_counts.reverse()  # in funnel order, as ``forward``
    for k in range(1, len(forward)):  # right after the stage's own count: never on top of it
        rate = forward[k] / forward[k - 1] if forward[k - 1] else np.nan
        rate_text = (missing() if np.isnan(rate) else
                     _("{percent} of the stage above").format(percent=percent(rate, 0)))
        ax.annotate(rate_text, (1, 0.5), xycoords=shown_counts[k], xytext=(8, 0),
                    textcoords="offset points", va="center", fontsize=8,
                    color=PALETTE[3], annotation_clip=False)
    ax.set_xlim(0, top * 1.45)
    ax.xaxis.set_major_formatter(_formatter("count"))
    ax.set_xlabel(pgettext("axis", "count"))
    ax.set_title(text(title))
    if previous is not None:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2)
    return ax


def scatter_labelled(x: pd.Series, y: pd.Series, *, x_unit: str = "rate", y_unit: str = "count",
                     currency: str = "", title: str = "", x_label: str | None = None,
                     y_label: str | None = None, ax: Axes | None = None) -> Axes:
    """One labelled point per row of ``x`` and ``y`` (same index), e.g. reps."""
    ax = _axes(ax)
    both = pd.DataFrame({"x": x, "y": y}).dropna()
    ax.scatter(both["x"].to_numpy(dtype=float), both["y"].to_numpy(dtype=float),
               color=PALETTE[0])
    labels = [ax.annotate(text(name), (row["x"], row["y"]), xytext=(4, 4),
                          textcoords="offset points", fontsize=8)
              for name, row in both.iterrows()]  # one label per plotted point
    ax.xaxis.set_major_formatter(_formatter(x_unit, currency))
    ax.yaxis.set_major_formatter(_formatter(y_unit, currency))
    ax.set_xlabel(_axis_label(x_unit, currency, x_label))
    ax.set_ylabel(_axis_label(y_unit, currency, y_label))
    ax.grid(axis="y", visible=True)
    ax.set_title(text(title))
    declutter(ax, labels)
    return ax


def heatmap(table: pd.DataFrame, *, unit: str = "rate", currency: str = "", title: str = "",
            x_label: str = NC_("axis", "periods since acquisition"),
            ax: Axes | None = None) -> Axes:
    """A cohort matrix as a heatmap with the values written in the cells."""
    ax = _axes(ax, height=max(3.0, 0.32 * len(table) + 1.5))
    values = table.to_numpy(dtype=float)
    image = ax.imshow(values, aspect="auto", cmap="Blues", interpolation="nearest")
    ax.set_xticks(range(table.shape[1]), _texts(table.columns))
    ax.set_yticks(range(table.shape[0]), _texts(table.index))
    if table.size <= 400:
        # the cell's own colour decides the ink: white on dark cells, black on light ones
        cells = image.cmap(image.norm(np.nan_to_num(values)))
        luminance = cells[..., :3] @ np.array([0.2126, 0.7152, 0.0722])
        size = 9 if table.shape[1] <= 14 else 8
        for (i, j), value in np.ndenumerate(values):
            if np.isfinite(value):
                shown = plain(100 * value, 0) if unit == "rate" else number(value)
                ax.text(j, i, shown, ha="center", va="center", fontsize=max(size, 9),
                        color="white" if luminance[i, j] < 0.5 else "black")
    ax.grid(False)
    ax.set_xlabel(text(pgettext("axis", x_label)))
    ax.set_ylabel(pgettext("axis", "cohort"))
    ax.set_title(text(title))
    ax.figure.colorbar(image, ax=ax, format=_formatter(unit, currency), shrink=0.8)
    return ax


#: One colour per verdict of :mod:`b2bkit.analysis.review`; the three that are no
#: judgement are greys or a pale blue, so they never read as keep, optimize or drop.
VERDICT_COLOURS = {"keep": PALETTE[2], "optimize": PALETTE[1], "drop": HIGHLIGHT,
                   "too early to judge": PALETTE[5], "too little data": MUTED,
                   "not judged": "#616161"}


def _verdict_colour(verdict: object) -> str:
    """The colour of a verdict; "not judged: no practice recorded" is "not judged"."""
    name = str(verdict)
    return VERDICT_COLOURS.get(name, VERDICT_COLOURS.get(name.split(":", 1)[0], PALETTE[0]))


#: The verdicts' labels (the colours stay keyed by the codes).
_VERDICTS = (NC_("verdict", "keep"), NC_("verdict", "optimize"), NC_("verdict", "drop"),
             NC_("verdict", "too early to judge"), NC_("verdict", "too little data"),
             NC_("verdict", "not judged"))


def _verdict_label(verdict: object) -> str:
    """A verdict code as a reader sees it ("keep": «сохранить»); other text as it is."""
    name = str(verdict)
    code, colon, rest = name.partition(":")
    whole = pgettext("verdict", name)  # a verdict of its own ("not judged: no practice ...")
    if name in VERDICT_COLOURS or whole != name:
        return whole
    if colon and code in VERDICT_COLOURS:
        return pgettext("verdict", code) + colon + rest
    return name


def quadrant(table: pd.DataFrame, *, x: str = "lead_quality", y: str = "roi",
             size: str = "spend", label: str = "practice", colour: str = "verdict",
             x_target: float | None = None, y_target: float | None = None, title: str = "",
             ax: Axes | None = None) -> Axes:
    """Bubbles of ``y`` against ``x`` sized by ``size``, coloured by verdict, with target lines."""
    ax = _axes(ax, height=5.0)
    shown = table.dropna(subset=[x, y])
    sizes = shown[size].fillna(0).to_numpy(dtype=float)
    scale = 1500 / sizes.max() if len(sizes) and sizes.max() > 0 else 1.0
    for verdict, rows in shown.groupby(colour, sort=False):
        ax.scatter(rows[x].to_numpy(dtype=float), rows[y].to_numpy(dtype=float),
                   s=np.maximum(rows[size].fillna(0).to_numpy(dtype=float) * scale, 30),
                   color=_verdict_colour(verdict), alpha=0.7,
                   label=text(_verdict_label(verdict)), edgecolor="white")
    labels = [ax.annotate(text(row[label]), (row[x], row[y]), xytext=(6, 6),
                          textcoords="offset points", fontsize=8)
              for _, row in shown.iterrows()]  # one label per practice
    if x_target is not None and np.isfinite(x_target):
        ax.axvline(x_target, color=MUTED, linestyle="--", linewidth=1)
    if y_target is not None and np.isfinite(y_target):
        ax.axhline(y_target, color=MUTED, linestyle="--", linewidth=1)
    ax.xaxis.set_major_formatter(_formatter("rate"))
    ax.yaxis.set_major_formatter(_formatter("rate"))
    ax.set_xlabel(_("lead quality (leads that reached SQL)"))
    ax.set_ylabel(_("ROI (100% = spend returned twice)"))
    ax.grid(axis="y", visible=True)
    ax.set_title(text(title))
    legend = ax.legend(title=pgettext("legend", "verdict"), loc="best")
    for handle in legend.legend_handles:  # one marker size: a bubble's size is its spend
        handle.set_sizes([60.0])
    declutter(ax, labels)
    return ax


def sparklines(history: pd.DataFrame, *, units: dict[str, str], currency: str = "",
               columns: int = 4, title: str = "") -> plt.Figure:
    """Small line charts, one per column of ``history`` (rows: periods, oldest first).

    Each is titled with the metric's label (:func:`b2bkit.metrics.glossary.label`);
    the last period is a red dot (:data:`HIGHLIGHT`).
    """
    from b2bkit.metrics.glossary import label

    names = list(history.columns)
    rows = max(1, -(-len(names) // columns))
    with plt.rc_context(STYLE):
        figure, axes = plt.subplots(rows, columns, figsize=(10, 1.7 * rows), squeeze=False)
    for ax, name in zip(axes.flat, names, strict=False):
        values = history[name].to_numpy(dtype=float)
        ax.plot(range(len(values)), values, color=PALETTE[0], marker="o", markersize=3)
        if len(values) and np.isfinite(values[-1]):
            ax.plot([len(values) - 1], [values[-1]], color=HIGHLIGHT, marker="o")
        # a long label (Russian's are longer) on two lines rather than over its neighbour's
        ax.set_title(textwrap.fill(text(label(name)), 30), fontsize=9, loc="left")
        ax.set_xticks([0, len(values) - 1], [text(history.index[0]), text(history.index[-1])],
                      fontsize=7)
        ax.yaxis.set_major_formatter(_formatter(units.get(name, "count"), currency))
        ax.tick_params(axis="y", labelsize=7)
        ax.grid(axis="y", visible=True)
        ax.grid(axis="x", visible=False)
    for ax in list(axes.flat)[len(names):]:
        ax.set_visible(False)
    if title:
        figure.suptitle(text(title), x=0.01, ha="left", fontweight="bold")
    figure.tight_layout()
    return figure


def interval_bars(values: pd.Series, *, intervals: dict[str, tuple[float, float]] | None = None,
                  currency: str = "", title: str = "", ax: Axes | None = None) -> Axes:
    """Vertical bars of amounts, some with an interval drawn as an error bar.

    ``values``: one bar per label (NaN: left out); ``intervals[label] = (low,
    high)`` draws that bar's interval. Each bar is labelled with its value.

    >>> ax = interval_bars(pd.Series({"model": 100.0, "team": 90.0}),
    ...                    intervals={"model": (80.0, 130.0)})
    >>> [float(p.get_height()) for p in ax.patches]
    [100.0, 90.0]
    >>> [float(y) for y in ax.lines[0].get_ydata()]    # the interval's whisker
    [80.0, 130.0]
    """
    shown = values.dropna()
    ax = _axes(ax)
    names = _texts(shown.index)
    heights = shown.to_numpy(dtype=float)
    ax.bar(names, heights, color=[PALETTE[i % len(PALETTE)] for i in range(len(shown))])
    for x, (name, value) in enumerate(shown.items()):
        low_high = (intervals or {}).get(name)
        if low_high is not None:
            ax.plot([x, x], list(low_high), color="#000000", linewidth=1.5)
            for end in low_high:
                ax.plot([x - 0.12, x + 0.12], [end, end], color="#000000", linewidth=1.5)
        ax.annotate(text(format_value(value, "currency", "")), (x, value), xytext=(6, 3),
                    textcoords="offset points", ha="left", fontsize=9)
    ax.yaxis.set_major_formatter(_formatter("currency", currency))
    ax.set_ylabel(_axis_label("currency", currency, None))
    ax.grid(axis="x", visible=False)
    ax.set_title(text(title))
    return ax


def backtest_chart(table: pd.DataFrame, *, currency: str = "", title: str = "",
                   ax: Axes | None = None) -> Axes:
    """Forecast with its interval against the actual, period by period.

    ``table`` has ``period, expected, low, high, actual`` and optionally
    ``team_forecast`` (:attr:`b2bkit.analysis.forecast.Backtest.table`):
    the interval is a band, the model's expected a line, the actual dots,
    the team's forecast crosses.

    >>> frame = pd.DataFrame({"period": ["2025-Q1", "2025-Q2"], "expected": [10.0, 12.0],
    ...                       "low": [8.0, 9.0], "high": [12.0, 15.0], "actual": [11.0, 16.0]})
    >>> ax = backtest_chart(frame)
    >>> [float(y) for y in ax.lines[1].get_ydata()]    # the actuals
    [11.0, 16.0]
    """
    ax = _axes(ax)
    x = np.arange(len(table))
    ax.fill_between(x, table["low"].to_numpy(dtype=float), table["high"].to_numpy(dtype=float),
                    color=PALETTE[5], alpha=0.35, label=_("80% interval of the forecast"))
    ax.plot(x, table["expected"].to_numpy(dtype=float), color=PALETTE[0], marker="o",
            label=_("forecast (expected)"))
    ax.plot(x, table["actual"].to_numpy(dtype=float), color=HIGHLIGHT, marker="D",
            linestyle="none", markersize=8, label=_("actual bookings"))
    if "team_forecast" in table and table["team_forecast"].notna().any():
        ax.plot(x, table["team_forecast"].to_numpy(dtype=float), color=PALETTE[1], marker="x",
                linestyle="none", markersize=9, mew=2, label=_("team's own forecast"))
    ax.set_xticks(x, _texts(table["period"]))
    ax.yaxis.set_major_formatter(_formatter("currency", currency))
    ax.set_ylabel(_axis_label("currency", currency, None))
    ax.set_title(text(title))
    ax.legend(loc="best", fontsize=8)
    return ax
