"""Server-rendered SVG charts: no JavaScript, no inline styles (colours come from CSS
classes), every bar labelled with its number so nothing is shown by colour alone. Each chart
is described by the text summary beside it and repeats a table that is always on the page."""

from markupsafe import Markup

BAR_HEIGHT = 26
LABEL_WIDTH = 230
BAR_WIDTH = 300
WIDTH = LABEL_WIDTH + BAR_WIDTH + 110


def _truncate(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(bars: list[tuple], described_by: str, scale: str = "percent") -> Markup:
    """Horizontal bars, one per row: (label, count, percent). Bars are as long as the
    percentage (or the count, scaled to the largest). Hidden counts draw no bar and say so.
    Every fragment is Markup(literal).format(...), which escapes what goes in."""
    if not bars:
        return Markup("")
    height = BAR_HEIGHT * len(bars) + 10
    largest = max((b[1] for b in bars if b[1] is not None), default=0) or 1
    parts = [Markup('<svg class="app-chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}" focusable="false" '
                    'xmlns="http://www.w3.org/2000/svg">').format(WIDTH, height, described_by)]
    for index, (label, count, share) in enumerate(bars):
        y = 5 + index * BAR_HEIGHT
        parts.append(Markup('<text class="app-chart__label" x="{}" y="{}" text-anchor="end">{}</text>')
                     .format(LABEL_WIDTH - 8, y + 17, _truncate(str(label))))
        if count is None:
            parts.append(Markup('<text class="app-chart__value" x="{}" y="{}">hidden</text>')
                         .format(LABEL_WIDTH + 4, y + 17))
            continue
        fraction = (share or 0) / 100 if scale == "percent" and share is not None else count / largest
        length = round(BAR_WIDTH * fraction, 1)
        parts.append(Markup('<rect class="app-chart__bar" x="{}" y="{}" width="{}" height="{}"/>')
                     .format(LABEL_WIDTH, y + 4, length, BAR_HEIGHT - 8))
        value = f"{share}% ({count})" if share is not None and scale == "percent" else str(count)
        parts.append(Markup('<text class="app-chart__value" x="{}" y="{}">{}</text>')
                     .format(LABEL_WIDTH + length + 6, y + 17, value))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def trend_chart(series: list[dict], described_by: str) -> Markup:
    """The indicator wave by wave (0 to 100) with its 95% interval as a vertical line and the
    value written by each point; band thresholds are dashed lines with their names."""
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
    for threshold, name in ((75, "good"), (50, "improving")):
        parts.append(Markup('<line class="app-chart__threshold" x1="{}" x2="{}" y1="{}" y2="{}"/>')
                     .format(left, left + plot_w, y(threshold), y(threshold)))
        parts.append(Markup('<text class="app-chart__axis" x="{}" y="{}">{} from {}</text>')
                     .format(left + plot_w + 6, y(threshold) + 4, name, threshold))
    points = []
    for index, point in enumerate(series):
        px = x(index)
        parts.append(Markup('<text class="app-chart__axis" x="{}" y="{}" text-anchor="middle">{}</text>')
                     .format(px, height - bottom + 20, point["wave_label"].split(" (")[0]))
        if point["value"] is None:
            parts.append(Markup('<text class="app-chart__axis" x="{}" y="{}" text-anchor="middle">not shown</text>')
                         .format(px, y(4)))
            continue
        parts.append(Markup('<line class="app-chart__interval" x1="{}" x2="{}" y1="{}" y2="{}"/>')
                     .format(px, px, y(point["low"]), y(point["high"])))
        parts.append(Markup('<circle class="app-chart__point" cx="{}" cy="{}" r="5"/>').format(px, y(point["value"])))
        parts.append(Markup('<text class="app-chart__value" x="{}" y="{}">{}</text>')
                     .format(px + 9, y(point["value"]) - 6, point["value"]))
        points.append(f"{px},{y(point['value'])}")
    if len(points) > 1:
        parts.insert(1, Markup('<polyline class="app-chart__line" points="{}"/>').format(" ".join(points)))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
