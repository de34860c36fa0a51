"""SVG maps of the places that have coordinates, drawn from the registry alone, with a view per day.

They need no tiles and no network, so they work offline and in print; OpenStreetMap links on the places page
give the full map where a network exists. Markers carry numbers, not names: at phone width the names of places
a few hundred metres apart would overlap and shrink to a few pixels, so each number is explained in a list
beside the map, in the page's own type size. Places closer together than a marker's width share one marker,
and its entry lists them all.

Each day with events at mapped places gets its own view (its markers, its events listed under them); a row of
links selects one. The views are shown by CSS `:target` alone (`docs/stylesheets/chronicle.css`), so no script
is needed; without the stylesheet (or in print) every view is shown in turn.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

from .registry import Place

WIDTH, HEIGHT, MARGIN = 400, 320, 28  # user units: small, so the numbers stay legible when scaled to a phone
RADIUS = 12
MAX_DAY_VIEWS = 60  # beyond this many days, the map has its all-days view only
# Theme colours through Material's CSS variables, so the map follows the light and dark palettes.
_GROUND = "fill: var(--md-code-bg-color); stroke: var(--md-default-fg-color--lighter)"
_MARKER = "fill: var(--md-primary-fg-color); stroke: var(--md-default-bg-color); stroke-width: 2"
_NUMBER = "fill: var(--md-primary-bg-color, #fff); font: bold 15px var(--md-text-font-family, sans-serif)"
_OTHER = "fill: none; stroke: var(--md-default-fg-color--light); stroke-width: 1.5"
_LABEL = "fill: var(--md-default-fg-color); font: 13px var(--md-text-font-family, sans-serif)"


@dataclass(frozen=True)
class MapWords:
    """What the maps say, in one edition's language (`editions.Words.map`); English by default."""

    show: str = "Show on the map:"
    all_days: str = "All days"
    caption_all: str = "Almaty, all days."
    caption_day: str = "Almaty, {day}: numbered, where the day's events happened; rings, the other places."
    elsewhere: str = "Elsewhere"
    elsewhere_caption: str = "Elsewhere in Kazakhstan and abroad."
    title: str = "Map, {view}: {names}"
    one_event: str = "1 event"
    events: str = "{count} events"
    km: str = "km"
    north: str = "N ↑"


@dataclass(frozen=True)
class Visit:
    """An event at a place, as a map's list names it."""

    date: dt.date
    label: str  # "18:30 · Police use tear gas"


@dataclass(frozen=True)
class _Marker:
    x: float
    y: float
    places: tuple[Place, ...]


def render_maps(places: Sequence[Place], visits: Mapping[str, Sequence[Visit]],
                day_name: Callable[[dt.date], str], words: MapWords = MapWords()) -> str:
    """The city map (one view for all days, then one per day) and the country map, as one HTML block ("" if no
    place has coordinates). `visits` gives each place key's events in reading order."""
    parts = _city(places, visits, day_name, words) + _country(places, visits, words)
    # One element around everything: Python-Markdown reads one raw HTML block per top-level element.
    return f'<div class="chronicle-maps">{"".join(parts)}</div>' if parts else ""


def _city(places: Sequence[Place], visits: Mapping[str, Sequence[Visit]],
          day_name: Callable[[dt.date], str], words: MapWords) -> list[str]:
    located = [p for p in places if p.coordinates and p.scope == "city"]
    if not located:
        return []
    frame = _Frame(located)
    days = sorted({v.date for p in located for v in visits.get(p.key, ())})
    if len(days) > MAX_DAY_VIEWS:  # each view draws every place: a bound, so that the page grows with the events
        days = []
    links = [f'<a href="#map-all">{escape(words.all_days)}</a>',
             *(f'<a href="#map-{d.isoformat()}">{escape(day_name(d))}</a>' for d in days)]
    out = [f'<p class="chronicle-map-days">{escape(words.show)} {" · ".join(links)}</p>']
    out.append(_view("all", words.all_days, located, located, frame, visits, None, words))
    for day in days:
        on_day = [p for p in located if any(v.date == day for v in visits.get(p.key, ()))]
        out.append(_view(day.isoformat(), day_name(day), on_day, located, frame, visits, day, words))
    return out


def _country(places: Sequence[Place], visits: Mapping[str, Sequence[Visit]], words: MapWords) -> list[str]:
    located = [p for p in places if p.coordinates and p.scope == "country"]
    if not located:
        return []
    frame = _Frame(located)
    return [f'<figure class="chronicle-figure"><figcaption>{escape(words.elsewhere_caption)}</figcaption>'
            f'{_svg("country", words.elsewhere, frame.markers(located), frame, words)}'
            f'{_legend(frame.markers(located), visits, None, words)}</figure>']


def _view(slug: str, title: str, shown: list[Place], located: list[Place], frame: _Frame,
          visits: Mapping[str, Sequence[Visit]], day: dt.date | None, words: MapWords) -> str:
    """One view: numbered markers for `shown`, faint rings for the other mapped places (for orientation)."""
    markers = frame.markers(shown)
    others = [m for m in frame.markers(located) if not set(m.places) & set(shown)]
    caption = escape(words.caption_all if day is None else words.caption_day.format(day=title))
    return (f'<figure class="chronicle-figure chronicle-map-view" id="map-{slug}">'
            f'<figcaption>{caption}</figcaption>{_svg(slug, title, markers, frame, words, others)}'
            f"{_legend(markers, visits, day, words)}</figure>")


class _Frame:
    """An equirectangular projection fitted to some places, corrected for latitude so distances look right."""

    def __init__(self, located: list[Place]):
        lats = [p.coordinates[0] for p in located if p.coordinates]
        lons = [p.coordinates[1] for p in located if p.coordinates]
        self.scale_x = math.cos(math.radians(sum(lats) / len(lats)))
        self.span_x = max((max(lons) - min(lons)) * self.scale_x, 1e-3)
        self.span_y = max(max(lats) - min(lats), 1e-3)
        self.unit = min((WIDTH - 2 * MARGIN) / self.span_x, (HEIGHT - 2 * MARGIN) / self.span_y)
        self.cx, self.cy = (max(lons) + min(lons)) / 2, (max(lats) + min(lats)) / 2

    def project(self, lat: float, lon: float) -> tuple[float, float]:
        return (WIDTH / 2 + (lon - self.cx) * self.scale_x * self.unit, HEIGHT / 2 - (lat - self.cy) * self.unit)

    def markers(self, located: list[Place]) -> list[_Marker]:
        """One marker per group of places closer than two radii, numbered north to south, then west to east."""
        groups: list[tuple[float, float, list[Place]]] = []
        for place in sorted(located, key=lambda p: (p.coordinates, p.key)):
            assert place.coordinates is not None
            x, y = self.project(*place.coordinates)
            near = next((g for g in groups if math.hypot(g[0] - x, g[1] - y) < 2 * RADIUS), None)
            if near is None:
                groups.append((x, y, [place]))
            else:
                near[2].append(place)
        groups.sort(key=lambda g: (round(g[1]), g[0]))
        return [_Marker(x, y, tuple(sorted(members, key=lambda p: p.name.lower()))) for x, y, members in groups]

    def km(self) -> float:
        """Pixels per kilometre."""
        return self.unit / 111.32


def _svg(slug: str, title: str, markers: list[_Marker], frame: _Frame, words: MapWords,
         others: Sequence[_Marker] = ()) -> str:
    names = "; ".join(f"{n}: {', '.join(p.name for p in m.places)}" for n, m in enumerate(markers, start=1))
    out = [f'<svg class="chronicle-map" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH * 3 // 2}" '
           f'height="{HEIGHT * 3 // 2}" style="max-width: 100%; height: auto" role="group" '
           f'aria-labelledby="chronicle--map-{slug}-title" xmlns="http://www.w3.org/2000/svg">',
           f'<title id="chronicle--map-{slug}-title">{escape(words.title.format(view=title, names=names))}</title>',
           f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" rx="8" style="{_GROUND}"/>']
    if others:
        out.append('<g aria-hidden="true">' + "".join(
            f'<circle cx="{m.x:.1f}" cy="{m.y:.1f}" r="{RADIUS // 2}" style="{_OTHER}"/>' for m in others) + "</g>")
    for number, marker in enumerate(markers, start=1):
        names = escape(", ".join(p.name for p in marker.places))
        out.append(f'<a href="#{marker.places[0].key}"><title>{number}: {names}</title>'
                   f'<circle cx="{marker.x:.1f}" cy="{marker.y:.1f}" '
                   f'r="{RADIUS}" style="{_MARKER}"/><text x="{marker.x:.1f}" y="{marker.y + 5:.1f}" '
                   f'text-anchor="middle" style="{_NUMBER}">{number}</text></a>')
    out.append(_scale_bar(frame.km(), words))
    out.append("</svg>")
    return "".join(out)


def _legend(markers: list[_Marker], visits: Mapping[str, Sequence[Visit]], day: dt.date | None,
            words: MapWords) -> str:
    """What each number stands for: its places (linking to their entries), and on a day's view that day's events."""
    items = []
    for marker in markers:
        places = ", ".join(f'<a href="#{p.key}">{escape(p.name)}</a>' for p in marker.places)
        if day is None:
            count = sum(len(visits.get(p.key, ())) for p in marker.places)
            shown = words.one_event if count == 1 else words.events.format(count=count)
            extra = f" ({escape(shown)})" if count else ""
            items.append(f"<li>{places}{extra}</li>")
        else:
            labels = [v.label for p in marker.places for v in visits.get(p.key, ()) if v.date == day]
            events = "".join(f"<li>{escape(label)}</li>" for label in labels)
            items.append(f"<li>{places}<ul>{events}</ul></li>")
    return f'<ol class="chronicle-map-legend">{"".join(items)}</ol>'


def _scale_bar(px_per_km: float, words: MapWords) -> str:
    """A scale bar of a round length, bottom left, and "N" for north up."""
    km = next((k for k in (0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500) if k * px_per_km >= 50), 1000)
    length = km * px_per_km
    x, y = 14, HEIGHT - 14
    shown = escape(f"{km:g} {words.km}")
    return (f'<g aria-hidden="true"><line x1="{x}" y1="{y}" x2="{x + length:.1f}" y2="{y}" style="stroke: '
            f'var(--md-default-fg-color); stroke-width: 3"/><text x="{x}" y="{y - 7}" style="{_LABEL}">'
            f'{shown}</text><text x="{WIDTH - 14}" y="24" text-anchor="end" style="{_LABEL}">'
            f"{escape(words.north)}</text></g>")
