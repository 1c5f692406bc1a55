"""Chart geometry for server-rendered SVG (no JavaScript, nothing for a CSP to block).

The functions return plain numbers; templates/admin/cohorts/charts/*.svg.html draw them, and every
chart on a page sits next to a table with the same numbers.
"""

import datetime as dt

BAR_AREA = 260  # width of the bar area in a horizontal bar chart (viewBox units)
LABEL_WIDTH = 150
ROW = 24


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
    if marker and days and first <= marker <= last:
        marker_x = round(30 + (marker - first).days * step + bar, 1)
    return {
        "columns": columns,
        "width": width,
        "height": height + 20,
        "bottom": bottom,
        "bar": round(bar, 1),
        "top": top,
        "marker_x": marker_x,
    }
