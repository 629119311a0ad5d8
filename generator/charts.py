"""Bar charts as inline SVG, drawn at build time: no script, both palettes, text alternatives.

Each bar's label stands above it, so the chart stays readable when a phone scales it down.
Colours come from Material's CSS variables (``docs/assets/reading-list.css``), so the light
and dark palettes both apply. The ``<title>`` and ``<desc>`` say in words what the bars show.
"""

from __future__ import annotations

from collections.abc import Sequence

from .markup import html_text

WIDTH = 360
"""The drawing's width in SVG units; it scales to the column, up to the stylesheet's limit."""
LABEL_HEIGHT = 16
BAR_HEIGHT = 12
GAP = 8
COUNT_ROOM = 44
"""Room right of the longest bar for its count."""


def bar_chart(name: str, title: str, items: Sequence[tuple[str, int]]) -> str:
    """A horizontal bar chart of labelled counts, as a ``<figure>`` block."""
    if not items:
        return ""
    largest = max(count for _, count in items) or 1
    step = LABEL_HEIGHT + BAR_HEIGHT + GAP
    height = step * len(items)
    shapes = []
    for index, (label, count) in enumerate(items):
        top = index * step
        length = max(1.0, (WIDTH - COUNT_ROOM) * count / largest)
        shapes.append(
            f'<text class="rl-chart-label" x="0" y="{top + LABEL_HEIGHT - 4}">'
            f"{html_text(label)}</text>"
            f'<rect class="rl-chart-bar" x="0" y="{top + LABEL_HEIGHT}" '
            f'width="{length:.1f}" height="{BAR_HEIGHT}" rx="2"></rect>'
            f'<text class="rl-chart-count" x="{length + 4:.1f}" '
            f'y="{top + LABEL_HEIGHT + BAR_HEIGHT - 2}">{count}</text>'
        )
    words = "; ".join(f"{label}: {count}" for label, count in items)
    return (
        f'<figure class="rl-chart" data-search-exclude>\n'
        f'<svg role="img" aria-labelledby="{name}-title {name}-desc" '
        f'viewBox="0 0 {WIDTH} {height}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{name}-title">{html_text(title)}</title>'
        f'<desc id="{name}-desc">{html_text(words)}</desc>'
        + "".join(shapes)
        + f"</svg>\n<figcaption>{html_text(title)}</figcaption>\n</figure>\n\n"
    )
