"""SVG geometry of the compare chart: one line per series over the shared periods.

Plain functions of the compare result, drawn by the template in a fixed viewBox like
the search page's timeline. Each series has a colour and a dash pattern of its own, so
no series is told apart by colour alone.
"""
import math

WIDTH, HEIGHT = 1000, 300
LEFT, RIGHT, TOP, BOTTOM = 72, 40, 12, 32  # room for the axes' labels
TICKS = 4  # horizontal grid lines above zero
MAX_AXIS_LABELS = 6
STYLES = [  # Okabe and Ito's colour-blind-safe colours, dark enough on white
    {"colour": "#0072b2", "dash": ""},
    {"colour": "#d55e00", "dash": "10 5"},
    {"colour": "#009e73", "dash": "3 4"},
    {"colour": "#cc79a7", "dash": "14 4 3 4"},
]
MEASURE_LABELS = {"count": "Matching {what}", "share": "Share of all {what}"}  # what: stories or articles
UNITS = {"stories": ("story", "stories"), "articles": ("article", "articles")}


def counted_text(count, what):
    """"1 story", "2,000 articles"."""
    one, many = UNITS[what]
    return f"{format_count(count)} {one if count == 1 else many}"


def nice_step(value, whole=False):
    """The smallest 1, 2, 2.5 or 5 × 10^k at least `value`; a whole number for counts."""
    if whole:
        value = max(value, 1)
    elif value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    steps = (multiple * power for multiple in (1, 2, 2.5, 5, 10))
    step = next(s for s in steps if s >= value * (1 - 1e-9) and (not whole or float(s).is_integer()))
    return int(step) if whole else step


def format_count(count):
    return f"{count:,}"


def format_share(value, step=None):
    """A share as a percentage: with the decimals an axis `step` needs, else one (two
    below 1%, so that a small share does not read 0.0%)."""
    if step is not None:
        decimals = max(0, min(3, -math.floor(math.log10(step * 100))))
    else:
        decimals = 1 if value == 0 or value >= 0.01 else 2
    return f"{value * 100:.{decimals}f}%"


def point_text(label, period, point, what="articles"):
    """What a point says to a screen reader and in its tooltip (`what` it counts: stories or articles)."""
    text = f"{label}, {period['label']}: {counted_text(point['count'], what)}"
    if point["share"] is None:
        return f"{text} (no {what} at all in this period)"
    return f"{text}, {format_share(point['share'])} of {format_count(period['total'])}"


def line_path(vertices):
    """An SVG path through (x, y) vertices; None breaks the line (a period without a value)."""
    parts, drawing = [], False
    for vertex in vertices:
        if vertex is None:
            drawing = False
            continue
        parts.append(f"{'L' if drawing else 'M'}{vertex[0]} {vertex[1]}")
        drawing = True
    return " ".join(parts)


def axis_indices(count, most=MAX_AXIS_LABELS):
    """Which periods get a label under the axis: all of few, else `most` spread evenly."""
    if count <= most:
        return list(range(count))
    return sorted({round(i * (count - 1) / (most - 1)) for i in range(most)})


def line_chart(result, measure):
    """Geometry for `result` (compare_result) showing `measure` ("count" or "share")."""
    periods = result["periods"]
    if not periods:
        return None
    slot = (WIDTH - LEFT - RIGHT) / len(periods)
    values = [[point[measure] for point in series["points"]] for series in result["series"]]
    peak = max((value for row in values for value in row if value is not None), default=0)
    step = nice_step(peak / TICKS, whole=measure == "count")
    top = step * TICKS
    plot_height = HEIGHT - TOP - BOTTOM

    def x(index):
        return round(LEFT + slot * (index + 0.5), 2)

    def y(value):
        return round(TOP + plot_height * (1 - value / top), 2)

    def tick_label(value):
        return format_count(round(value)) if measure == "count" else format_share(value, step)

    lines = []
    for number, (series, row) in enumerate(zip(result["series"], values)):
        vertices = [None if value is None else (x(i), y(value)) for i, value in enumerate(row)]
        lines.append({
            "label": series["label"],
            "search_url": series["search_url"],
            "total": series["total"],
            **STYLES[number % len(STYLES)],
            "path": line_path(vertices),
            "points": [
                {"x": vertex[0], "y": vertex[1], "text": point_text(series["label"], period, point, result["count"]),
                 "url": point["url"] if point["count"] else None}
                for vertex, period, point in zip(vertices, periods, series["points"]) if vertex
            ],
        })
    return {
        "width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT,
        "top": TOP, "bottom": HEIGHT - BOTTOM,
        "hit_radius": round(min(max(slot / 2, 6), 16), 2),
        "title": MEASURE_LABELS[measure].format(what=result["count"]),
        "lines": lines,
        "y_ticks": [{"y": y(step * i), "label": tick_label(step * i)} for i in range(TICKS + 1)],
        "x_labels": [{"x": x(i), "label": periods[i]["label"]} for i in axis_indices(len(periods))],
    }
