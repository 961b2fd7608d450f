"""Server-rendered SVG charts: no JavaScript, no inline styles (colours come from CSS
classes), every bar labelled with its number so nothing is shown by colour alone. Each chart
is described by the text summary beside it and repeats a table that is always on the page."""

from markupsafe import Markup, escape

BAR_HEIGHT = 26
LABEL_WIDTH = 230
BAR_WIDTH = 300
WIDTH = LABEL_WIDTH + BAR_WIDTH + 110


def _truncate(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(bars: list[tuple], described_by: str, scale: str = "percent") -> Markup:
    """Horizontal bars, one per row: (label, count, percent). Bars are as long as the
    percentage (or the count, scaled to the largest). Hidden counts draw no bar and say so."""
    if not bars:
        return Markup("")
    height = BAR_HEIGHT * len(bars) + 10
    largest = max((b[1] for b in bars if b[1] is not None), default=0) or 1
    parts = [
        f'<svg class="app-chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{escape(described_by)}" focusable="false" xmlns="http://www.w3.org/2000/svg">'
    ]
    for index, (label, count, share) in enumerate(bars):
        y = 5 + index * BAR_HEIGHT
        parts.append(f'<text class="app-chart__label" x="{LABEL_WIDTH - 8}" y="{y + 17}" text-anchor="end">'
                     f'{escape(_truncate(str(label)))}</text>')
        if count is None:
            parts.append(f'<text class="app-chart__value" x="{LABEL_WIDTH + 4}" y="{y + 17}">hidden</text>')
            continue
        fraction = (share or 0) / 100 if scale == "percent" and share is not None else count / largest
        length = round(BAR_WIDTH * fraction, 1)
        parts.append(f'<rect class="app-chart__bar" x="{LABEL_WIDTH}" y="{y + 4}" width="{length}" height="{BAR_HEIGHT - 8}"/>')
        value = f"{share}% ({count})" if share is not None and scale == "percent" else str(count)
        parts.append(f'<text class="app-chart__value" x="{LABEL_WIDTH + length + 6}" y="{y + 17}">{escape(value)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def trend_chart(series: list[dict], described_by: str) -> Markup:
    """The indicator wave by wave (0 to 100) with its 95% interval as a vertical line and the
    value written by each point; band thresholds are dashed lines with their names."""
    if not series:
        return Markup("")
    width, height, left, right, top, bottom = 640, 300, 50, 150, 20, 50
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(series) - 1, 1) if len(series) > 1 else 0

    def y(value: float) -> float:
        return round(top + plot_h * (1 - value / 100), 1)

    def x(index: int) -> float:
        return round(left + (index * step if len(series) > 1 else plot_w / 2), 1)

    parts = [f'<svg class="app-chart app-chart--trend" viewBox="0 0 {width} {height}" role="img" '
             f'aria-labelledby="{escape(described_by)}" focusable="false" xmlns="http://www.w3.org/2000/svg">']
    for tick in (0, 25, 50, 75, 100):
        parts.append(f'<line class="app-chart__grid" x1="{left}" x2="{left + plot_w}" y1="{y(tick)}" y2="{y(tick)}"/>')
        parts.append(f'<text class="app-chart__axis" x="{left - 8}" y="{y(tick) + 4}" text-anchor="end">{tick}</text>')
    for threshold, name in ((75, "good"), (50, "improving")):
        parts.append(f'<line class="app-chart__threshold" x1="{left}" x2="{left + plot_w}" '
                     f'y1="{y(threshold)}" y2="{y(threshold)}"/>')
        parts.append(f'<text class="app-chart__axis" x="{left + plot_w + 6}" y="{y(threshold) + 4}">{name} from {threshold}</text>')
    points = []
    for index, point in enumerate(series):
        px = x(index)
        label = point["wave_label"].split(" (")[0]
        parts.append(f'<text class="app-chart__axis" x="{px}" y="{height - bottom + 20}" text-anchor="middle">'
                     f'{escape(label)}</text>')
        if point["value"] is None:
            parts.append(f'<text class="app-chart__axis" x="{px}" y="{y(4)}" text-anchor="middle">not shown</text>')
            continue
        parts.append(f'<line class="app-chart__interval" x1="{px}" x2="{px}" y1="{y(point["low"])}" y2="{y(point["high"])}"/>')
        parts.append(f'<circle class="app-chart__point" cx="{px}" cy="{y(point["value"])}" r="5"/>')
        parts.append(f'<text class="app-chart__value" x="{px + 9}" y="{y(point["value"]) - 6}">{point["value"]}</text>')
        points.append(f"{px},{y(point['value'])}")
    if len(points) > 1:
        parts.insert(1, f'<polyline class="app-chart__line" points="{" ".join(points)}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
