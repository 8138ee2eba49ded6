"""Charts drawn with matplotlib to inline SVG (text kept as text, sized by the page)."""

import functools
import io
import re
import threading
import uuid
from collections import OrderedDict
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib import pyplot as plt
from matplotlib.collections import PolyCollection
from matplotlib.ticker import FuncFormatter, PercentFormatter

PAD = 0.1  # inches of white space around a chart
PALETTE = ["#0d6efd", "#adb5bd", "#198754", "#dc3545", "#fd7e14", "#6f42c1", "#20c997"]
plt.rcParams.update(
    {
        "svg.fonttype": "none",
        "font.family": "sans-serif",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.color": "#e9ecef",
        "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
        "axes.edgecolor": "#adb5bd",
        "xtick.color": "#495057",
        "ytick.color": "#495057",
    }
)


def _short(value, _position=None) -> str:
    """1234567 -> 1.2M: axis labels people read at a glance."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:.1f}".rstrip("0").rstrip(".") + suffix
    return f"{value:g}"


def _svg(figure) -> str:
    buffer = io.StringIO()
    # No bbox_inches="tight": the constrained layout already fits the figure to its contents,
    # and a tight box would lay every chart out twice (once to measure, once to write).
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(figure)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    # Scale with the page: drop the fixed size, keep the viewBox.
    return re.sub(
        r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r'<svg\1 class="chart"', svg, count=1
    )


def _with_own_ids(svg: str) -> str:
    """Several charts share a page: give this one's ids (and references to them) a prefix."""
    prefix = f"c{uuid.uuid4().hex[:8]}-"
    svg = re.sub(r'\bid="', f'id="{prefix}', svg)
    return re.sub(r'(href="#|url\(#)', rf"\g<1>{prefix}", svg)


_drawn: OrderedDict[str, str] = OrderedDict()
_drawn_lock = threading.Lock()
DRAWN_KEPT = 64  # charts kept per process (a few MB of SVG)


def _remembered(draw):
    """Keep the SVG of the last charts drawn, keyed by everything they are drawn from.

    A chart is a pure function of its arguments (labels arrive translated, numbers as given),
    so the same report asked for again (a reload, the PDF after the page) reuses the drawing
    and only its ids are made unique again; a change in any number draws it anew.
    """

    @functools.wraps(draw)
    def remembered(*args, **kwargs):
        key = repr((draw.__name__, args, sorted(kwargs.items())))
        with _drawn_lock:
            svg = _drawn.get(key)
            if svg is not None:
                _drawn.move_to_end(key)
        if svg is None:
            svg = draw(*args, **kwargs)
            with _drawn_lock:
                _drawn[key] = svg
                while len(_drawn) > DRAWN_KEPT:
                    _drawn.popitem(last=False)
        return _with_own_ids(svg)

    return remembered


def _figure(height=3.0):
    figure, axes = plt.subplots(figsize=(8, height), layout="constrained")
    # The margin a tight bounding box used to leave around the chart (0.1 in).
    figure.get_layout_engine().set(w_pad=PAD, h_pad=PAD)
    return figure, axes


@_remembered
def line_chart(x: Sequence, series: dict[str, Sequence], *, ylabel: str = "") -> str:
    figure, axes = _figure()
    for index, (name, values) in enumerate(series.items()):
        style = "--" if index else "-"
        axes.plot(x, [float(v or 0) for v in values], style, label=name, linewidth=1.8)
    axes.yaxis.set_major_formatter(FuncFormatter(_short))
    axes.set_ylabel(ylabel)
    if len(series) > 1:
        axes.legend(frameon=False)
    figure.autofmt_xdate()
    return _svg(figure)


@_remembered
def bar_chart(labels: Sequence[str], values: Sequence, *, horizontal=True, xlabel="") -> str:
    labels = [str(label)[:40] for label in labels]
    figure, axes = _figure(max(2.2, 0.28 * len(labels) + 0.8) if horizontal else 3.0)
    numbers = [float(v or 0) for v in values]
    if horizontal:
        axes.barh(labels[::-1], numbers[::-1], color=PALETTE[0])
        axes.xaxis.set_major_formatter(FuncFormatter(_short))
        axes.set_xlabel(xlabel)
        axes.grid(axis="y", visible=False)
    else:
        axes.bar(labels, numbers, color=PALETTE[0])
        axes.yaxis.set_major_formatter(FuncFormatter(_short))
        axes.set_ylabel(xlabel)
        axes.grid(axis="x", visible=False)
    return _svg(figure)


@_remembered
def pareto_chart(values: Sequence, shares: Sequence, *, positions=None, ylabel="") -> str:
    """Bars of each item's value, the cumulative share as a line on a second axis.

    `positions` are the items' ranks when only a sample of them is drawn (default 1, 2, ...).
    """
    figure, axes = _figure()
    positions = list(positions or range(1, len(values) + 1))
    width = max(1.0, positions[-1] / len(positions)) if positions else 1.0
    # One collection of rectangles rather than a patch per bar (as axes.bar would add): the
    # same picture, drawn in a fraction of the time for a hundred bars.
    half = width / 2
    bars = PolyCollection(
        [
            [(x - half, 0), (x - half, y), (x + half, y), (x + half, 0)]
            for x, y in zip(positions, (float(v or 0) for v in values), strict=True)
        ],
        facecolors=PALETTE[1], edgecolors="none", linewidths=0,
    )  # fmt: skip
    bars.sticky_edges.y.append(0)  # as bars do: no margin under the zero line
    axes.add_collection(bars)
    axes.autoscale_view()
    axes.yaxis.set_major_formatter(FuncFormatter(_short))
    axes.set_ylabel(ylabel)
    axes.set_xlabel("#")
    share_axes = axes.twinx()
    share_axes.plot(positions, [float(s) for s in shares], color=PALETTE[0], linewidth=2)
    share_axes.yaxis.set_major_formatter(PercentFormatter(100))
    share_axes.set_ylim(0, 105)
    for boundary in (80, 95):
        share_axes.axhline(boundary, color=PALETTE[3], linewidth=0.8, linestyle=":")
    share_axes.grid(False)
    return _svg(figure)


@_remembered
def grouped_bar_chart(
    labels: Sequence[str], series: dict[str, Sequence], *, xlabel: str = ""
) -> str:
    """Horizontal bars, one group per label and one bar per series in it (actual vs promised)."""
    labels = [str(label)[:40] for label in labels][::-1]
    count = max(len(series), 1)
    figure, axes = _figure(max(2.2, 0.22 * len(labels) * count + 0.8))
    height = 0.8 / count
    for index, (name, values) in enumerate(series.items()):
        numbers = [float(v or 0) for v in values][::-1]
        offset = (count - 1 - index - (count - 1) / 2) * height
        positions = [n + offset for n in range(len(labels))]
        color = PALETTE[index % len(PALETTE)]
        axes.barh(positions, numbers, height=height, label=name, color=color)
    axes.set_yticks(range(len(labels)), labels)
    axes.xaxis.set_major_formatter(FuncFormatter(_short))
    axes.set_xlabel(xlabel)
    axes.grid(axis="y", visible=False)
    axes.legend(frameon=False)
    return _svg(figure)


@_remembered
def forecast_chart(
    history_x: Sequence,
    history: Sequence,
    forecast_x: Sequence,
    forecast: Sequence,
    lower: Sequence | None = None,
    upper: Sequence | None = None,
    *,
    censored: Sequence[bool] | None = None,
    labels: Sequence[str] = ("history", "forecast", "likely range", "out of stock"),
    ylabel: str = "",
) -> str:
    """Demand history as a line, the forecast after it as a dashed line in a shaded band
    (`lower` to `upper`), and out-of-stock periods (`censored`) marked on the history."""
    figure, axes = _figure()
    history_values = [float(v or 0) for v in history]
    if len(history_x):
        axes.plot(history_x, history_values, "-", color=PALETTE[0], linewidth=1.6,
                  label=labels[0])  # fmt: skip
    if censored is not None and any(censored):
        marked = [(x, y) for x, y, out in zip(history_x, history_values, censored, strict=True)
                  if out]  # fmt: skip
        axes.plot([x for x, _y in marked], [y for _x, y in marked], "x", color=PALETTE[3],
                  label=labels[3])  # fmt: skip
    if len(forecast_x):
        if lower is not None and upper is not None:
            axes.fill_between(
                forecast_x, [float(v) for v in lower], [float(v) for v in upper],
                color=PALETTE[4], alpha=0.2, linewidth=0, label=labels[2],
            )  # fmt: skip
        axes.plot(forecast_x, [float(v or 0) for v in forecast], "--", color=PALETTE[4],
                  linewidth=1.8, label=labels[1])  # fmt: skip
    axes.yaxis.set_major_formatter(FuncFormatter(_short))
    axes.set_ylabel(ylabel)
    axes.set_ylim(bottom=0)
    axes.legend(frameon=False)
    figure.autofmt_xdate()
    return _svg(figure)
