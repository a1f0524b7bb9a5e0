"""Two small charts as inline SVG, written by hand so that the HTML report needs no script, no
font and no network: grouped bars of shares (0..1) and a box-and-dots plot of seconds."""
from __future__ import annotations

from html import escape

PALETTE = [("#1f5fa8", "#8db4e2"), ("#c2571a", "#f0b48a"), ("#2e7d32", "#a5d6a7")]


def _svg(width: int, height: int, body: list[str], label: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" '
            f'font-family="sans-serif" font-size="11">' + "".join(body) + "</svg>")


def grouped_bars(groups: list[str], series: list[tuple[str, str, list[float | None]]],
                 label: str = "bars") -> str:
    """One group of bars per category; series = (name, colour, one value per group or None)."""
    bar, gap, left, top, plot_h = 14, 18, 36, 30, 160
    group_w = bar * len(series) + gap
    width = left + group_w * len(groups) + 10
    height = top + plot_h + 40
    body = []
    for tick in (0, 0.25, 0.5, 0.75, 1):
        y = top + plot_h * (1 - tick)
        body.append(f'<line x1="{left}" x2="{width - 5}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
                    f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{tick:.2g}</text>')
    for g, group in enumerate(groups):
        x0 = left + gap / 2 + g * group_w
        for s, (name, colour, values) in enumerate(series):
            value = values[g]
            x = x0 + s * bar
            if value is None:
                body.append(f'<text x="{x + bar / 2:.1f}" y="{top + plot_h - 3}" text-anchor="middle" '
                            f'fill="#999">–</text>')
                continue
            h = max(plot_h * value, 1)  # a zero stays visible, unlike a missing value
            body.append(f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar - 2}" height="{h:.1f}" '
                        f'fill="{colour}"><title>{escape(group)} · {escape(name)}: {value:.2f}</title></rect>')
        body.append(f'<text x="{x0 + (group_w - gap) / 2:.1f}" y="{top + plot_h + 16}" '
                    f'text-anchor="middle">{escape(group)}</text>')
    x = left
    for name, colour, _ in series:  # legend on top
        body.append(f'<rect x="{x}" y="6" width="10" height="10" fill="{colour}"/>'
                    f'<text x="{x + 14}" y="15">{escape(name)}</text>')
        x += 24 + 7 * len(name)
    return _svg(max(width, x), height, body, label)


def _quartiles(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)

    def at(q: float) -> float:  # linear interpolation between closest ranks
        pos = q * (len(ordered) - 1)
        low = int(pos)
        high = min(low + 1, len(ordered) - 1)
        return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)
    return at(0.25), at(0.5), at(0.75)


def box_strip(rows: list[tuple[str, str, list[float]]], unit: str = "s", label: str = "distribution") -> str:
    """One horizontal row per (name, colour, values): every value as a dot, over a box from the
    first to the third quartile with the median as a bar."""
    left, right, row_h, top = 170, 20, 34, 10
    plot_w = 520
    high = max((v for _, _, values in rows for v in values), default=1.0) or 1.0
    scale = plot_w / (high * 1.05)
    height = top + row_h * len(rows) + 30
    body = []
    ticks = 5
    for i in range(ticks + 1):
        v = high * 1.05 * i / ticks
        x = left + v * scale
        body.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + row_h * len(rows)}" stroke="#eee"/>'
                    f'<text x="{x:.1f}" y="{top + row_h * len(rows) + 14}" text-anchor="middle">'
                    f'{v:.1f}{unit}</text>')
    for r, (name, colour, values) in enumerate(rows):
        y = top + r * row_h + row_h / 2
        body.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">{escape(name)}</text>')
        if not values:
            continue
        q1, med, q3 = _quartiles(values)
        body.append(f'<rect x="{left + q1 * scale:.1f}" y="{y - 9:.1f}" width="{max((q3 - q1) * scale, 1):.1f}" '
                    f'height="18" fill="{colour}" fill-opacity="0.25" stroke="{colour}"/>'
                    f'<line x1="{left + med * scale:.1f}" x2="{left + med * scale:.1f}" y1="{y - 11:.1f}" '
                    f'y2="{y + 11:.1f}" stroke="{colour}" stroke-width="3"><title>median {med:.2f}{unit}'
                    f'</title></line>')
        for i, v in enumerate(values):
            jitter = (i % 5 - 2) * 2.5  # deterministic spread so that equal values stay visible
            body.append(f'<circle cx="{left + v * scale:.1f}" cy="{y + jitter:.1f}" r="2.5" fill="{colour}">'
                        f'<title>{v:.2f}{unit}</title></circle>')
    return _svg(left + plot_w + right, height, body, label)
