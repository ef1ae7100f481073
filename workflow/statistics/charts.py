"""The trends' charts as geometry for hand-written SVG (templates/statistics/chart.html).

Server-side SVG needs no script and no style attribute (the strict CSP holds): shapes carry a
class (`series-N`, coloured in site.css) and their numbers in a <title>; every chart has the
same numbers as a table beside it. Coordinates are in a fixed viewBox that scales to the
page's width."""

import math

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 12, 30
SERIES_COLOURS = 8  # series-0 … series-7 in site.css, reused in turn
MIN_LABEL_GAP = 52  # viewBox units between two month labels


def _nice_ceiling(value: float) -> int:
    """1, 2, 5 × 10^n at or above `value` (at least 1): round gridlines."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return int(step * power)
    return int(10 * power)


def _frame(labels: list[str], top_value: float, *, percent: bool) -> dict:
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(labels), 1)
    every = max(1, math.ceil(MIN_LABEL_GAP / slot))
    ticks = []
    for share in (0, 0.5, 1):
        value = top_value * share
        text = f"{value:g}%" if percent else f"{value:g}"
        ticks.append({"y": round(TOP + plot_height * (1 - share), 1), "label": text})
    xlabels = [
        {"x": round(LEFT + slot * (i + 0.5), 1), "label": label}
        for i, label in enumerate(labels)
        if i % every == 0
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "baseline": HEIGHT - BOTTOM,
        "label_y": HEIGHT - BOTTOM + 18,
        "slot": slot,
        "plot_height": plot_height,
        "ticks": ticks,
        "xlabels": xlabels,
        "bars": [],
        "lines": [],
        "points": [],
    }


def _y(frame, value, top_value) -> float:
    return frame["baseline"] - frame["plot_height"] * value / top_value


def stacked_bars(labels: list[str], series: list[tuple[str, list[int]]]) -> dict:
    """One bar per label, the series stacked in it; `series` = [(name, values per label)]."""
    totals = [sum(values[i] for _name, values in series) for i in range(len(labels))]
    top_value = _nice_ceiling(max(totals, default=0))
    frame = _frame(labels, top_value, percent=False)
    width = frame["slot"] * 0.7
    for i, label in enumerate(labels):
        x = LEFT + frame["slot"] * i + (frame["slot"] - width) / 2
        below = 0
        for index, (name, values) in enumerate(series):
            if not values[i]:
                continue
            y_top = _y(frame, below + values[i], top_value)
            frame["bars"].append(
                {
                    "x": round(x, 1),
                    "y": round(y_top, 1),
                    "width": round(width, 1),
                    "height": round(_y(frame, below, top_value) - y_top, 1),
                    "series": index % SERIES_COLOURS,
                    "title": f"{label} {name}: {values[i]}",
                }
            )
            below += values[i]
    return frame


def rate_line(labels: list[str], rates: list[dict]) -> dict:
    """The percentage of each label as a line (broken where nothing was due), 0–100 %."""
    frame = _frame(labels, 100, percent=True)
    segment = []
    for i, (label, value) in enumerate(zip(labels, rates, strict=True)):
        if value["percent"] is None:
            if segment:
                frame["lines"].append(" ".join(segment))
            segment = []
            continue
        x = round(LEFT + frame["slot"] * (i + 0.5), 1)
        y = round(_y(frame, value["percent"], 100), 1)
        segment.append(f"{x},{y}")
        frame["points"].append(
            {
                "x": x,
                "y": y,
                "title": f"{label}: {value['percent']}% ({value['numerator']}/"
                f"{value['denominator']})",
            }
        )
    if segment:
        frame["lines"].append(" ".join(segment))
    return frame


def rate_bars(labels: list[str], rates: list[dict]) -> dict:
    """The percentage of each label as a bar, 0–100 % (no bar where nothing was due)."""
    frame = _frame(labels, 100, percent=True)
    width = frame["slot"] * 0.6
    for i, (label, value) in enumerate(zip(labels, rates, strict=True)):
        if value["percent"] is None:
            continue
        y_top = _y(frame, value["percent"], 100)
        frame["bars"].append(
            {
                "x": round(LEFT + frame["slot"] * i + (frame["slot"] - width) / 2, 1),
                "y": round(y_top, 1),
                "width": round(width, 1),
                "height": round(frame["baseline"] - y_top, 1),
                "series": 0,
                "title": f"{label}: {value['percent']}% ({value['numerator']}/"
                f"{value['denominator']})",
            }
        )
    return frame
