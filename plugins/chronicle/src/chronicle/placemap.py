"""An SVG map of the places that have coordinates, drawn from the registry alone.

It needs no tiles and no network, so it works offline and in print; OpenStreetMap links on the places page
give the full map where a network exists.
"""

from __future__ import annotations

import math
from html import escape
from itertools import groupby

from .registry import Place

WIDTH, HEIGHT, MARGIN = 720, 400, 60
# Theme colours through Material's CSS variables, so the map follows the light and dark palettes.
_GROUND = "fill: var(--md-code-bg-color); stroke: var(--md-default-fg-color--lighter)"
_MARKER = "fill: var(--md-primary-fg-color); stroke: var(--md-default-bg-color); stroke-width: 2"
_LABEL = "fill: var(--md-default-fg-color); font: 14px var(--md-text-font-family, sans-serif)"


def render_map(places: list[Place], href: str = "#") -> str:
    """An accessible inline SVG with one labelled, linked marker per distinct position ("" if none)."""
    located = sorted((p for p in places if p.coordinates), key=lambda p: (p.coordinates, p.name))
    if not located:
        return ""
    lats = [p.coordinates[0] for p in located if p.coordinates]
    lons = [p.coordinates[1] for p in located if p.coordinates]
    # Equirectangular projection, corrected for latitude so distances look right at this scale.
    scale_x = math.cos(math.radians(sum(lats) / len(lats)))
    span = max((max(lons) - min(lons)) * scale_x, max(lats) - min(lats), 1e-3)
    unit = min(WIDTH, HEIGHT) - 2 * MARGIN
    cx, cy = (max(lons) + min(lons)) / 2, (max(lats) + min(lats)) / 2

    def project(lat: float, lon: float) -> tuple[float, float]:
        return (WIDTH / 2 + (lon - cx) * scale_x / span * unit, HEIGHT / 2 - (lat - cy) / span * unit)

    names = ", ".join(p.name for p in located)
    out = [
        f'<svg class="chronicle-map" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        'style="max-width: 100%; height: auto" role="group" '
        f'aria-labelledby="chronicle--map-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chronicle--map-title">Map of the places with known coordinates: {escape(names)}</title>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" rx="8" style="{_GROUND}"/>',
    ]
    for coordinates, group in groupby(located, key=lambda p: p.coordinates):
        members = list(group)
        assert coordinates is not None
        x, y = project(*coordinates)
        label = " / ".join(p.name for p in members)
        # Labels go on the side with more room, so none runs off the map.
        anchor, dx = ("end", -11) if x > WIDTH / 2 else ("start", 11)
        out.append(f'<a href="{escape(href)}{members[0].key}"><circle cx="{x:.1f}" cy="{y:.1f}" r="7" '
                   f'style="{_MARKER}"/><text x="{x + dx:.1f}" y="{y + 4:.1f}" text-anchor="{anchor}" '
                   f'style="{_LABEL}">{escape(label)}</text></a>')
    out.append(_scale_bar(unit / (span * 111.32)))
    out.append("</svg>")
    return "".join(out)


def _scale_bar(px_per_km: float) -> str:
    """A scale bar of a round length, bottom left, and "N" for north up."""
    km = next((k for k in (1, 2, 5, 10, 20, 50, 100, 200, 500) if k * px_per_km >= 60), 1000)
    length = km * px_per_km
    x, y = 20, HEIGHT - 20
    return (f'<g aria-hidden="true"><line x1="{x}" y1="{y}" x2="{x + length:.1f}" y2="{y}" style="{_MARKER}; '
            f'stroke: var(--md-default-fg-color); stroke-width: 3"/><text x="{x}" y="{y - 8}" style="{_LABEL}">'
            f'{km} km</text><text x="{WIDTH - 20}" y="30" text-anchor="end" style="{_LABEL}">N ↑</text></g>')
