"""Server-drawn SVG charts: plain bars with their numbers written on them, no script.

Each chart has a title and a description for screen readers; the page shows the same figures
in a table beside it.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

COLOURS = ["#8e1b14", "#0b4f9c", "#14532d", "#4d4d4d", "#6b2fa3"]


def bar_chart(chart_id, title, labels, series, height=220, bar_width=14):
    """Grouped vertical bars: `series` is [(name, [value per label])]."""
    values = [v or 0 for _name, data in series for v in data]
    top = max(values + [1])
    group = bar_width * len(series) + 10
    left, bottom, top_pad = 30, 40, 20
    width = left + group * len(labels) + 10
    plot = height - bottom - top_pad
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height + 20 * len(series)}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">'
        + escape(
            "；".join(
                f"{name}："
                + "，".join(f"{lab} {v or 0}" for lab, v in zip(labels, data, strict=True))
                for name, data in series
            )
        )
        + "</desc>",
        f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" '
        'stroke="#1a1a1a"/>',
    ]
    for i, label in enumerate(labels):
        x0 = left + i * group
        for j, (_name, data) in enumerate(series):
            value = data[i] or 0
            h = 0 if not value else max(2, plot * value / top)
            x = x0 + j * bar_width
            y = height - bottom - h
            parts.append(
                f'<rect x="{x}" y="{y:.1f}" width="{bar_width - 2}" height="{h:.1f}" '
                f'fill="{COLOURS[j % len(COLOURS)]}"/>'
            )
            parts.append(
                f'<text x="{x + (bar_width - 2) / 2}" y="{y - 3:.1f}" font-size="10" '
                f'text-anchor="middle" fill="#1a1a1a">{value}</text>'
            )
        parts.append(
            f'<text x="{x0 + group / 2 - 5}" y="{height - bottom + 14}" font-size="10" '
            f'text-anchor="middle" fill="#1a1a1a">{escape(label[-5:])}</text>'
        )
    for j, (name, _data) in enumerate(series):
        y = height + 20 * j
        parts.append(
            f'<rect x="{left}" y="{y - 10}" width="12" height="12" '
            f'fill="{COLOURS[j % len(COLOURS)]}"/>'
            f'<text x="{left + 18}" y="{y}" font-size="12" fill="#1a1a1a">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def distribution_chart(chart_id, title, rows, width=360):
    """Horizontal bars: `rows` is [(label, count)]."""
    top = max([count for _label, count in rows] + [1])
    line = 26
    height = line * len(rows) + 10
    label_width = 90
    span = width - label_width - 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">'
        + escape("，".join(f"{label} {count}" for label, count in rows))
        + "</desc>",
    ]
    for i, (label, count) in enumerate(rows):
        y = 5 + i * line
        w = 0 if not count else max(2, span * count / top)
        parts.append(
            f'<text x="0" y="{y + 15}" font-size="12" fill="#1a1a1a">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{w:.1f}" height="16" fill="#0b4f9c"/>'
            f'<text x="{label_width + w + 4:.1f}" y="{y + 15}" font-size="12" '
            f'fill="#1a1a1a">{count}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
