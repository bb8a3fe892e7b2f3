"""Server-drawn SVG charts: plain bars with their numbers written beside them, no script.

Each chart has a title and a description for screen readers; the page shows the same figures
in a table beside it.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

COLOURS = ["#8e1b14", "#0b4f9c", "#14532d", "#4d4d4d", "#6b2fa3"]

# Drawn for a phone first: charts are 300 units wide, shown at the width of their column, so on
# a 320 px screen (a column of about 240 px in care mode) a unit is about 0.79 px and 16-unit
# text is 12 px or more. Bars run across, one row each, so a year of months only makes the
# chart longer.
WIDTH = 300
FONT = 16
BAR = 15  # a bar's thickness
ROOM = 40  # right of the longest bar, for its number


def _svg_open(chart_id, title, description, height):
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]


def _text(x, y, text, anchor="start"):
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{FONT}" text-anchor="{anchor}" '
        f'dominant-baseline="middle" fill="#1a1a1a">{escape(text)}</text>'
    )


def bar_chart(chart_id, title, labels, series, label_width=70):
    """Grouped bars, one group of rows per label: `series` is [(name, [value per label])]."""
    values = [v or 0 for _name, data in series for v in data]
    top = max(values + [1])
    span = WIDTH - label_width - ROOM
    step = BAR + 3
    group = step * len(series) + 10
    legend = FONT + 12
    height = legend + group * len(labels) + 4
    description = "；".join(
        f"{name}：" + "，".join(f"{lab} {v or 0}" for lab, v in zip(labels, data, strict=True))
        for name, data in series
    )
    parts = _svg_open(chart_id, title, description, height)
    x = 0
    for j, (name, _data) in enumerate(series):
        parts.append(
            f'<rect x="{x}" y="{(legend - 12) / 2 - 2:.1f}" width="12" height="12" '
            f'fill="{COLOURS[j % len(COLOURS)]}"/>'
        )
        parts.append(_text(x + 17, legend / 2 - 2, name))
        x += 17 + FONT * (len(name) + 2)
    parts.append(
        f'<line x1="{label_width - 1}" y1="{legend}" x2="{label_width - 1}" y2="{height}" '
        'stroke="#1a1a1a"/>'
    )
    for i, label in enumerate(labels):
        y0 = legend + i * group + 4
        parts.append(_text(label_width - 6, y0 + step * len(series) / 2 - 1.5, label, "end"))
        for j, (_name, data) in enumerate(series):
            value = data[i] or 0
            w = 0 if not value else max(2, span * value / top)
            y = y0 + j * step
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{BAR}" '
                f'fill="{COLOURS[j % len(COLOURS)]}"/>'
            )
            parts.append(_text(label_width + w + 4, y + BAR / 2, str(value)))
    parts.append("</svg>")
    return mark_safe("".join(parts))


def distribution_chart(chart_id, title, rows, label_width=90):
    """Horizontal bars: `rows` is [(label, count)]."""
    top = max([count for _label, count in rows] + [1])
    line = 26
    height = line * len(rows) + 10
    span = WIDTH - label_width - ROOM
    description = "，".join(f"{label} {count}" for label, count in rows)
    parts = _svg_open(chart_id, title, description, height)
    for i, (label, count) in enumerate(rows):
        y = 5 + i * line
        w = 0 if not count else max(2, span * count / top)
        parts.append(_text(0, y + 11, label))
        parts.append(
            f'<rect x="{label_width}" y="{y + 3}" width="{w:.1f}" height="16" fill="#0b4f9c"/>'
        )
        parts.append(_text(label_width + w + 4, y + 11, str(count)))
    parts.append("</svg>")
    return mark_safe("".join(parts))
