"""Server-rendered SVG charts: no JavaScript, no inline styles (colours come from CSS
classes), every bar labelled with its number so nothing is shown by colour alone. Each chart
is described by the text summary beside it and repeats a table that is always on the page."""

from flask_babel import gettext as _
from markupsafe import Markup

BAR_HEIGHT = 26
LINE_HEIGHT = 18
# Narrow enough that a 320px phone shows it at about its own size (14px text stays 12px or
# more): each label sits on its own lines above its bar, wrapped, never cut short.
WIDTH = 300
BAR_WIDTH = 200
LABEL_CHARACTERS = 34
CAP = 8  # half the width of the bar across each end of an interval


def _wrap(text: str, limit: int = LABEL_CHARACTERS) -> list[str]:
    """A label as lines of at most `limit` characters, broken between words (a word longer
    than a line gets a line of its own)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def bar_chart(bars: list[tuple], described_by: str, scale: str = "percent") -> Markup:
    """Horizontal bars, one per row: (label, count, percent), the label above its bar. Bars
    are as long as the percentage (or the count, scaled to the largest). Hidden counts draw no
    bar and say so.
    Every fragment is Markup(literal).format(...), which escapes what goes in."""
    if not bars:
        return Markup("")
    largest = max((b[1] for b in bars if b[1] is not None), default=0) or 1
    rows, y = [], 5
    for label, count, share in bars:
        lines = _wrap(str(label))
        rows.append((lines, count, share, y))
        y += LINE_HEIGHT * len(lines) + BAR_HEIGHT
    parts = [Markup('<svg class="app-chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}" focusable="false" '
                    'xmlns="http://www.w3.org/2000/svg">').format(WIDTH, y + 5, described_by)]
    for lines, count, share, top in rows:
        text = Markup('<text class="app-chart__label" x="0" y="{}">').format(top + 14)
        for index, line in enumerate(lines):
            text += Markup('<tspan x="0" dy="{}">{}</tspan>').format(0 if index == 0 else LINE_HEIGHT, line)
        parts.append(text + Markup("</text>"))
        bar_top = top + LINE_HEIGHT * len(lines)
        if count is None:
            parts.append(Markup('<text class="app-chart__value" x="0" y="{}">{}</text>').format(bar_top + 17, _("hidden")))
            continue
        fraction = (share or 0) / 100 if scale == "percent" and share is not None else count / largest
        length = round(BAR_WIDTH * fraction, 1)
        parts.append(Markup('<rect class="app-chart__bar" x="0" y="{}" width="{}" height="{}"/>')
                     .format(bar_top + 4, length, BAR_HEIGHT - 8))
        value = f"{share}% ({count})" if share is not None and scale == "percent" else str(count)
        parts.append(Markup('<text class="app-chart__value" x="{}" y="{}">{}</text>')
                     .format(length + 6, bar_top + 17, value))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def trend_chart(series: list[dict], described_by: str) -> Markup:
    """The indicator wave by wave (0 to 100) with its 95% interval as a vertical line with a
    bar across each end and the value written by each point; band thresholds are dashed
    lines with their names."""
    if not series:
        return Markup("")
    width, height, left, right, top, bottom = 640, 300, 50, 150, 20, 50
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / (len(series) - 1) if len(series) > 1 else 0

    def y(value: float) -> float:
        return round(top + plot_h * (1 - value / 100), 1)

    def x(index: int) -> float:
        return round(left + (index * step if len(series) > 1 else plot_w / 2), 1)

    parts = [Markup('<svg class="app-chart app-chart--trend" viewBox="0 0 {} {}" role="img" aria-labelledby="{}" '
                    'focusable="false" xmlns="http://www.w3.org/2000/svg">').format(width, height, described_by)]
    for tick in (0, 25, 50, 75, 100):
        parts.append(Markup('<line class="app-chart__grid" x1="{}" x2="{}" y1="{}" y2="{}"/>')
                     .format(left, left + plot_w, y(tick), y(tick)))
        parts.append(Markup('<text class="app-chart__axis" x="{}" y="{}" text-anchor="end">{}</text>')
                     .format(left - 8, y(tick) + 4, tick))
    for threshold, name in ((75, _("good")), (50, _("fair"))):
        parts.append(Markup('<line class="app-chart__threshold" x1="{}" x2="{}" y1="{}" y2="{}"/>')
                     .format(left, left + plot_w, y(threshold), y(threshold)))
        parts.append(Markup('<text class="app-chart__axis" x="{}" y="{}">{}</text>')
                     .format(left + plot_w + 6, y(threshold) + 4,
                             _("%(band)s from %(threshold)s", band=name, threshold=threshold)))
    points = []
    for index, point in enumerate(series):
        px = x(index)
        parts.append(Markup('<text class="app-chart__axis" x="{}" y="{}" text-anchor="middle">{}</text>')
                     .format(px, height - bottom + 20, point["wave_label"].split(" (")[0]))
        if point["value"] is None:
            parts.append(Markup('<text class="app-chart__axis" x="{}" y="{}" text-anchor="middle">{}</text>')
                         .format(px, y(4), _("not shown")))
            continue
        parts.append(Markup('<line class="app-chart__interval" x1="{}" x2="{}" y1="{}" y2="{}"/>')
                     .format(px, px, y(point["low"]), y(point["high"])))
        # A short bar across each end, so the interval shows beyond the point even when narrow.
        for end in (point["low"], point["high"]):
            parts.append(Markup('<line class="app-chart__interval" x1="{}" x2="{}" y1="{}" y2="{}"/>')
                         .format(round(px - CAP, 1), round(px + CAP, 1), y(end), y(end)))
        parts.append(Markup('<circle class="app-chart__point" cx="{}" cy="{}" r="5"/>').format(px, y(point["value"])))
        parts.append(Markup('<text class="app-chart__value" x="{}" y="{}">{}</text>')
                     .format(px + 9, y(point["value"]) - 6, point["value"]))
        points.append(f"{px},{y(point['value'])}")
    if len(points) > 1:
        parts.insert(1, Markup('<polyline class="app-chart__line" points="{}"/>').format(" ".join(points)))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
