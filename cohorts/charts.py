"""Chart geometry for server-rendered SVG (no JavaScript, nothing for a CSP to block).

The functions return plain numbers; templates/admin/cohorts/charts/*.svg.html draw them, and every
chart on a page sits next to a table with the same numbers.
"""

import datetime as dt

from django.utils import formats

BAR_AREA = 260  # width of the bar area in a horizontal bar chart (viewBox units)
LABEL_WIDTH = 150
ROW = 24
MARKER_LABEL_ROOM = 70  # room for the marker's label beside its line (viewBox units)


def hbars(items: list[tuple[str, int | float]]) -> dict:
    """Horizontal bars: [(label, value)] -> rows with y, width and a short label."""
    top = max((value for _label, value in items), default=0) or 1
    rows = []
    for i, (label, value) in enumerate(items):
        width = round(BAR_AREA * value / top, 1)
        text = str(label)
        rows.append(
            {
                "label": text if len(text) <= 22 else text[:21] + "…",
                "full_label": text,
                "value": value,
                "y": i * ROW,
                "text_y": i * ROW + ROW * 0.65,
                "width": max(width, 1 if value else 0),
                "value_x": LABEL_WIDTH + width + 6,
            }
        )
    return {
        "rows": rows,
        "height": max(len(rows), 1) * ROW,
        "label_width": LABEL_WIDTH,
        "bar_x": LABEL_WIDTH,
        "bar_height": ROW - 6,
        "width": LABEL_WIDTH + BAR_AREA + 60,
    }


def day_columns(series: dict[dt.date, tuple[int, int]], first: dt.date, last: dt.date, marker: dt.date | None) -> dict:
    """Two columns per day (started, submitted) from first to last, with a marked day (the deadline)."""
    width, height, bottom = 640, 200, 180
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)] if last >= first else []
    top = max((max(v) for v in series.values()), default=0) or 1
    step = (width - 40) / max(len(days), 1)
    bar = max(step / 2 - 1, 1)
    columns = []
    label_every = max(1, len(days) // 10)
    for i, day in enumerate(days):
        started, submitted = series.get(day, (0, 0))
        x = 30 + i * step
        h1 = round((bottom - 10) * started / top, 1)
        h2 = round((bottom - 10) * submitted / top, 1)
        columns.append(
            {
                "day": day,
                "started": started,
                "submitted": submitted,
                "x1": round(x, 1),
                "x2": round(x + bar, 1),
                "y1": bottom - h1,
                "h1": h1,
                "y2": bottom - h2,
                "h2": h2,
                "label": day.strftime("%d/%m") if i % label_every == 0 else "",
                "label_x": round(x + bar, 1),
            }
        )
    marker_x = None
    marker_anchor, marker_label_x = "middle", None
    if marker and days and first <= marker <= last:
        marker_x = round(30 + (marker - first).days * step + bar, 1)
        # The label ("Deadline", "Date limite") stays inside the chart: it ends at the line near
        # the right edge and starts at it near the left one, rather than being cut.
        marker_anchor, marker_label_x = "middle", marker_x
        if marker_x > width - MARKER_LABEL_ROOM:
            marker_anchor, marker_label_x = "end", round(marker_x - 4, 1)
        elif marker_x < MARKER_LABEL_ROOM:
            marker_anchor, marker_label_x = "start", round(marker_x + 4, 1)
    return {
        "columns": columns,
        "width": width,
        "height": height + 20,
        "bottom": bottom,
        "bar": round(bar, 1),
        "top": top,
        "marker_x": marker_x,
        "marker_anchor": marker_anchor,
        "marker_label_x": marker_label_x,
    }


def score_bins(buckets: list[tuple[int, int]], low: int, high: int, per_point: int = 2) -> list[tuple[str, int]]:
    """Bins of 1/per_point of a point over the scale [low, high], every bin shown (0 when empty).

    `buckets` are (floor(score x per_point), count) as the database groups them. The bins are
    half-open ([4.0, 4.5)) except the last, closed on the scale's maximum: a 5 on a 1-5 scale
    counts in "4.5–5.0", and no bin lies outside the scale."""
    first, last = low * per_point, high * per_point - 1
    counts = dict.fromkeys(range(first, last + 1), 0)
    for bucket, n in buckets:
        counts[min(max(int(bucket), first), last)] += n
    decimals = 1 if per_point > 1 else 0

    def number(value):
        return formats.number_format(value, decimals)

    return [(f"{number(b / per_point)}–{number((b + 1) / per_point)}", n) for b, n in counts.items()]
