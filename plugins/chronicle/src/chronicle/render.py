"""Markdown for the generated pages: the account, the timeline, the sources and the places.

Everything is assembled as Markdown and rendered by the site generator like any page, so footnotes,
permalinks, the table of contents and search work as on hand-written pages. Links between pages are
written as relative `.md` links so the generator can rewrite them for any URL style (including
`file://` builds, which use `page.html` instead of `page/`).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import groupby
from pathlib import Path
from typing import Any

from .chronicle import Chronicle
from .citations import REFERENCE, rewrite, scan
from .events import Event
from .placemap import Visit, render_maps
from .registry import DayLead, Place, Source
from .schema import SOURCE_KINDS, STATES, STATUS_LABELS, STATUS_MEANINGS, Passage

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", **{c: "\\" + c for c in "\\`*_[]{}>#|!"}})
KIND_HEADINGS = {
    "eyewitness": "Eyewitness accounts",
    "reportage": "Reportage",
    "wire": "News agencies",
    "official": "Official statements",
    "analysis": "Analysis",
    "ngo-report": "Human-rights organisations",
    None: "Other sources",
}


@dataclass(frozen=True)
class Pages:
    """Where the generated pages go, and how to link an event to its file in the repository."""

    account: str = "account.md"
    timeline: str = "timeline.md"
    sources: str = "sources.md"
    places: str = "places.md"
    corrections: str = "corrections.md"
    account_title: str = "The account"
    account_intro: str = ""
    edit_url: Callable[[Path], str | None] | None = None
    # The guard's token (`guard.Guard.token`): the site's own attribute lists carry it, so the renderer can tell
    # them from a contributor's. Empty when rendering without the guard.
    attr_token: str = ""
    # The single file of `chronicle export`: every page a section of one document, so the Markdown is written for
    # it from the start: a link to another page is a fragment of the file (`in_document`), and every page's ids
    # but the account's carry their section's prefix (`anchor`: the timeline and the account both have day
    # headings). False: the site, with relative `.md` links the generator rewrites for its URL style.
    single_file: bool = False
    # Above this many events the account is one page per day (`account/YYYY-MM-DD.md`) with the account page as
    # their index: Material's search walks a page's table of contents for each heading, which is quadratic on one
    # page of thousands of events. 0: always one page. `by_day` is set by `paged` when the account is split.
    account_split: int = 0
    by_day: bool = False


# Each field of `Pages` that a plugin option sets, and that option's name.
PAGE_OPTIONS = {"account": "account_page", "timeline": "timeline_page", "sources": "sources_page",
                "places": "places_page", "corrections": "corrections_page", "account_title": "account_title",
                "account_intro": "account_intro"}


def pages_from(options: Mapping[str, Any], **extra: Any) -> Pages:
    """Where the generated pages go, from the plugin's options (mkdocs.yml's, or MkDocs' typed config); options
    left out keep their defaults. For the plugin, the export and `chronicle check` alike."""
    given: dict[str, Any] = {name: str(options[key]) for name, key in PAGE_OPTIONS.items()
                             if options.get(key) is not None}
    if options.get("account_split") is not None:
        given["account_split"] = int(options["account_split"])
    return Pages(**given, **extra)


def paged(chronicle: Chronicle, pages: Pages) -> Pages:
    """`pages` as this account is rendered: one page per day when it has more events than `account_split`."""
    split = bool(pages.account_split) and not pages.single_file and len(chronicle.events) > pages.account_split
    return replace(pages, by_day=split) if split != pages.by_day else pages


def day_page(pages: Pages, day: dt.date) -> str:
    """The page of one day of a split account ("account/2022-01-04.md")."""
    return f"{posixpath.splitext(pages.account)[0]}/{day.isoformat()}.md"


def event_page(pages: Pages, event: Event) -> str:
    """The page that holds an event's section: the account, or its day's page when the account is split."""
    return day_page(pages, event.date) if pages.by_day else pages.account


def event_href(pages: Pages, from_page: str, event: Event) -> str:
    """The link from `from_page` to an event's section: the one way every page links an event."""
    return target(pages, from_page, event_page(pages, event), event.id)


def render_pages(chronicle: Chronicle, pages: Pages) -> dict[str, str]:
    """Every generated page, by its path relative to the docs folder."""
    pages = paged(chronicle, pages)
    return {
        **render_account_pages(chronicle, pages),
        pages.timeline: render_timeline(chronicle, pages),
        pages.sources: render_sources(chronicle, pages),
        pages.places: render_places(chronicle, pages),
        pages.corrections: render_corrections(chronicle, pages),
    }


def render_account(chronicle: Chronicle, pages: Pages) -> str:
    """The account's page (the index of the day pages when the account is split)."""
    return render_account_pages(chronicle, pages)[pages.account]


def render_account_pages(chronicle: Chronicle, pages: Pages) -> dict[str, str]:
    """One long page: a heading per day, a section per event, each source cited once per event; or, split, the
    account page (its introduction, the days, the legend) and a page per day."""
    out = [f"# {escape(pages.account_title)}", ""]
    if pages.account_intro.strip():
        out += [pages.account_intro.strip(), ""]
    sources_page = target(pages, pages.account, pages.sources)
    out.append("Times are local Almaty time (UTC+6). Every footnote names its source and links to it and to its "
               f"entry in the [list of sources]({sources_page}); each event's notes follow its text.")
    days = list(dict.fromkeys(e.date for e in chronicle.events))
    if days:
        jumps = " · ".join(f"[{_day_short(d)}]({_day_href(pages, pages.account, d)})" for d in days)
        out += ["", f"**Days:** {jumps}", attrs(pages, f"#{DAYS} .chronicle-days")]
    out += ["", f"## How sure we are {attrs(pages, '#' + STATUS_LEGEND)}", "",
            "Each event carries one of these labels; select a label to come back here.", ""]
    out += [f"- {status_badge(s, pages, pages.account)}: {STATUS_MEANINGS[s]}." for s in STATUS_LABELS]
    rendered: dict[str, str] = {}
    note_sets: dict[str, dict[str, str]] = {}  # by the page the notes link from (every day page is one deep)
    for index, (day, events) in enumerate(groupby(chronicle.events, key=lambda e: e.date)):
        page = day_page(pages, day) if pages.by_day else pages.account
        depth = str(page.count("/"))
        if depth not in note_sets:
            note_sets[depth] = {key: source_note(source, target(pages, page, pages.sources, key))
                                for key, source in chronicle.sources.items()}
        notes = note_sets[depth]
        section = [f"# {escape(pages.account_title)}: {long_date(day)}", ""] if pages.by_day else [""]
        section += [f"## {long_date(day)} {attrs(pages, f'#day-{day.isoformat()}')}", "",
                    _day_steps(pages, page, days, index), attrs(pages, ".chronicle-days")]
        lead = chronicle.leads.get(f"day-{day.isoformat()}")
        if lead is not None:
            section += ["", _render_lead(lead, notes)]
        for event in events:
            section += ["", _render_event(event, chronicle, pages, notes, page)]
        if pages.by_day:
            rendered[page] = "\n".join(section) + "\n"
        else:
            out += section
    return {pages.account: "\n".join(out) + "\n", **rendered}


DAYS = "chronicle-days"  # the account's row of links to every day


def _day_href(pages: Pages, from_page: str, day: dt.date) -> str:
    """The link to a day's heading, on the account or, split, on the day's own page."""
    return target(pages, from_page, day_page(pages, day) if pages.by_day else pages.account, f"day-{day.isoformat()}")


def _day_steps(pages: Pages, page: str, days: list[dt.date], index: int) -> str:
    """Under a day's heading: the day before, every day, the day after (a long page, read on a phone)."""
    steps = []
    if index > 0:
        steps.append(f"[← {_day_short(days[index - 1])}]({_day_href(pages, page, days[index - 1])})")
    steps.append(f"[↑ All days]({target(pages, page, pages.account, DAYS)})")
    if index + 1 < len(days):
        steps.append(f"[{_day_short(days[index + 1])} →]({_day_href(pages, page, days[index + 1])})")
    return " · ".join(steps)


def _render_lead(lead: DayLead, notes: dict[str, str]) -> str:
    """A day's opening paragraph, its citations relabelled for the day (`day-YYYY-MM-DD--key`), and their notes."""
    body = scan(lead.lead)
    labels = list(dict.fromkeys(r.label for r in body.references))
    rename = {label: f"{lead.key}--{label}" for label in labels}
    definitions = [f"[^{rename[label]}]: {notes[label]}" for label in labels]
    return "\n".join([rewrite(body, rename), "", *definitions])


def _render_event(event: Event, chronicle: Chronicle, pages: Pages, notes: dict[str, str], page: str = "") -> str:
    """One event's section on `page` (the account, or its day's page); `notes` holds each source's short
    citation, made once for the whole page."""
    page = page or pages.account
    time = f"{event.time_label} · " if event.time_label else ""
    classes = f".chronicle-event .chronicle-{event.status}" + (f" .chronicle-{event.kind}" if event.kind else "")
    lines = [f"### {escape(time + event.title)} {attrs(pages, f'#{event.id} {classes}')}", ""]
    place = chronicle.places[event.place]
    meta = [
        f"**Time:** {event.time_label or 'not known'}",
        f"**Place:** [{escape(place.name)}]({target(pages, page, pages.places, place.key)})",
        f"**Status:** {status_badge(event.status, pages, page)}",
    ]
    if event.kind:
        meta.append(f"**{'Background' if event.kind == 'context' else 'Aftermath'}**")
    url = pages.edit_url(event.path) if pages.edit_url else None
    if url:
        meta.append(f"[Edit this event]({_url(url)})")
    lines += [" · ".join(meta), attrs(pages, ".chronicle-meta"), ""]
    if event.status == "disputed":
        lines += [*admonition("warning", "Disputed", ["Sources contradict each other on the core of this event. "
                                                      "Each version is given below with its own citation."]), ""]
    if event.corrections:
        lines += [*admonition("info", "Corrected", [f"- {short_date(c.date)}: {escape(c.note)}"
                                                    for c in event.corrections]), ""]
    labels = _labels(event)
    rename = {label: f"{event.id}--{label}" for label in labels}
    lines.append(rewrite(event.body, rename))
    lines.append("")
    if event.variants:
        lines += [_variants_table(event, chronicle, pages, page), ""]
    passages: dict[str, list[Passage]] = {}
    for passage in event.passages:
        passages.setdefault(passage.source, []).append(passage)
    for label in labels:
        if label in notes:
            # A passage continues the note after one blank line (two would end it); one after the last closes it.
            text = notes[label] + "".join("\n\n" + passage_block(p, pages) for p in passages.get(label, ()))
            text += "\n" if label in passages else ""
        else:
            text = REFERENCE.sub(lambda m: f"[^{rename.get(m[1], m[1])}]", event.body.definitions[label].text)
        lines.append(f"[^{rename[label]}]: {text}")
    return "\n".join(lines)


def _variants_table(event: Event, chronicle: Chronicle, pages: Pages, page: str) -> str:
    """Who says what, and when they said it: one row per source's version, each naming its source and linking to
    its entry (the text above already cites it with a note: no second mark). The caption carries the class
    `chronicle-variants` (a Markdown table takes no attributes); the stylesheet finds the table after it."""
    rows = ["**Who says what, and when they said it**", attrs(pages, ".chronicle-variants"), "",
            "| What | Version | Source | Said on |", "| --- | --- | --- | --- |"]
    for v in event.variants:
        source = chronicle.sources[v.source]
        said = short_date(v.said_on) if v.said_on else "–"
        entry = target(pages, page, pages.sources, source.key)
        rows.append(f"| {escape(v.what)} | {escape(v.value)} | [{escape(source.publisher)}]({entry}) | {said} |")
    return "\n".join(rows)


PASSAGE_CLASS = "chronicle-passage"
PASSAGE_SUMMARY = "The source's words"
LANGUAGE_NAMES = {"en": "English", "ru": "Russian", "kk": "Kazakh", "uk": "Ukrainian", "ky": "Kyrgyz",
                  "uz": "Uzbek", "zh": "Chinese", "fr": "French", "de": "German"}


def passage_block(passage: Passage, pages: Pages) -> str:
    """A citation's supporting passage, continuing its note: collapsed (`??? quote`), the words a quotation in
    their own language, then the English and where they stand. The block carries the guard's token, which tells
    it from one written in an event's text."""
    token = f" {pages.attr_token}" if pages.attr_token else ""
    language = LANGUAGE_NAMES.get(passage.quote_lang, passage.quote_lang)
    body = [f"> {escape(passage.quote)}", f"> {attrs(pages, f'lang={passage.quote_lang}')}", ""]
    if passage.translation:
        body += [f"In English: {escape(passage.translation)}", ""]
    body.append(f"Where in the source: {escape(passage.locator)}")
    block = admonition("quote", f"{PASSAGE_SUMMARY} ({language})", body, classes=PASSAGE_CLASS + token,
                       collapsed=True)
    return "\n".join("    " + line if line else "" for line in block)  # (indented: it continues a note)


def admonition(kind: str, title: str, body: list[str], *, classes: str = "", collapsed: bool = False) -> list[str]:
    """The one place the generated pages use a construct of Python-Markdown's extensions alone: a titled box
    (`admonition`), or one folded until opened (`pymdownx.details`). A generator without them would need this
    written another way, here and nowhere else. `title` is the site's own text (never a contributor's)."""
    opener = "???" if collapsed else "!!!"
    head = f"{opener} {kind}{' ' + classes if classes else ''} \"{title}\""
    return [head, *("    " + line if line else "" for line in body)]


def time_range(event: Event) -> str:
    """"16:30–17:00" where the event's variants give clock times for its time (sources differ), else ""."""
    times = sorted({v.value for v in event.variants if v.what.lower() in ("time", "start time")
                    and _HHMM.fullmatch(v.value)})
    return f"{times[0]}–{times[-1]}" if len(times) > 1 else ""


_HHMM = re.compile(r"(?:[01][0-9]|2[0-3]):[0-5][0-9]")
STATUS_LEGEND = "status-legend"  # the account's heading that says what each status means


def status_badge(status: str, pages: Pages, from_page: str) -> str:
    """A status as a labelled badge (its name in words, not a colour alone) linking to the legend."""
    legend = target(pages, from_page, pages.account, STATUS_LEGEND)
    return (f'[{STATUS_LABELS[status]}]({legend} "What “{STATUS_LABELS[status]}” means")'
            f"{attrs(pages, f'.chronicle-status .chronicle-status-{status}')}")


def _labels(event: Event) -> list[str]:
    """The event's footnote labels in order of first reference: one note per source per event."""
    return list(dict.fromkeys(r.label for r in event.body.references))


def source_note(source: Source, entry: str) -> str:
    """The short citation in a footnote: publisher, linked title, date, and a link to the full entry (`entry`)."""
    owner = f" ({STATES[source.state_owned]} state-owned)" if source.state_owned else ""
    parts = [escape(source.publisher) + owner, f"[“{escape(source.title)}”]({_url(source.url)})"]
    if source.published:
        parts.append(short_date(source.published))
    if source.captures:
        newest = source.captures[-1]
        parts.append(f"[archived copy, {short_date(newest.captured_at)}]({_url(newest.url)})")
    return ", ".join(parts) + f". [Source details]({entry})"


def render_timeline(chronicle: Chronicle, pages: Pages) -> str:
    """Every event in one table per day, each linking to its section in the account."""
    out = ["# Timeline", "", f"Every event of the [account]({target(pages, pages.timeline, pages.account)}), in "
           "order. Times are local Almaty time (UTC+6)."]
    for day, events in groupby(chronicle.events, key=lambda e: e.date):
        # The day is in the first header cell too: printed, a table's header is repeated on every page it runs to.
        heading = anchor(pages, pages.timeline, f"day-{day.isoformat()}")
        out += ["", f"## {long_date(day)} {attrs(pages, '#' + heading)}", "",
                f"| Time, {_day_short(day)} | Event | Place | Status |", "| --- | --- | --- | --- |"]
        for event in events:
            place = chronicle.places[event.place]
            badge = status_badge(event.status, pages, pages.timeline)
            label = (" (background)" if event.kind == "context" else " (aftermath)" if event.kind else "")
            shown = event.time_label or "–"
            spread = time_range(event)
            if spread:
                shown = f"{spread} (sources differ)"
            out.append(
                f"| {shown} | [{escape(event.title)}]({event_href(pages, pages.timeline, event)}){label} "
                f"| [{escape(place.name)}]({target(pages, pages.timeline, pages.places, place.key)}) | {badge} |"
            )
    return "\n".join(out) + "\n"


def render_sources(chronicle: Chronicle, pages: Pages) -> str:
    """The full citation of every source, grouped by kind, with back-links to the events citing it."""
    out = ["# Sources", "", "Every source the account cites, with its full citation and the events that cite it."]
    order = {kind: i for i, kind in enumerate(SOURCE_KINDS)}
    ranked = sorted(chronicle.sources.values(), key=lambda s: (order.get(s.kind or "", 99), s.publisher.lower(),
                                                               s.title.lower()))
    for kind, sources in groupby(ranked, key=lambda s: s.kind):
        heading = anchor(pages, pages.sources, "kind--" + (kind or "other"))
        out += ["", f"## {KIND_HEADINGS[kind]} {attrs(pages, '#' + heading)}"]
        for source in sources:
            out += ["", _render_source(source, chronicle.citing.get(source.key, []), pages)]
    return "\n".join(out) + "\n"


def _render_source(source: Source, events: list[Event], pages: Pages) -> str:
    lines = [f"### {escape(source.title)} {attrs(pages, '#' + anchor(pages, pages.sources, source.key))}", ""]
    facts = [f"**Publisher:** {escape(source.publisher)}"]
    if source.state_owned:
        facts.append(f"**Owned by:** the {STATES[source.state_owned]} state")
    if source.authors:
        facts.append(f"**Authors:** {escape(', '.join(source.authors))}")
    facts.append(f"**Published:** {long_date(source.published) if source.published else 'date not known'}")
    facts.append(f"**Language:** {escape(source.language)}")
    links = [f"[Read the source]({_url(source.url)})"]
    links += [f"[archived copy, {escape(c.service)}, {short_date(c.captured_at)}]({_url(c.url)})"
              + (f" (SHA-256 `{c.sha256}`)" if c.sha256 else "") for c in source.captures]
    if source.status == "pending":
        links.append("not archived yet")
    elif source.status == "unavailable":
        links.append(f"cannot be archived: {escape(source.archive_note or '')}")
    if source.accessed:
        links.append(f"accessed {long_date(source.accessed)}")
    lines += [" · ".join(facts), "", " · ".join(links), ""]
    if events:
        lines.append(f"Cited in {len(events)} event{'s' if len(events) != 1 else ''}:")
        lines.append("")
        lines += _event_list(events, pages, pages.sources)
    else:
        lines.append("Not cited by any event.")
    return "\n".join(lines)


def render_places(chronicle: Chronicle, pages: Pages) -> str:
    """Every place with the events that happened there."""
    at: dict[str, list[Event]] = {key: [] for key in chronicle.places}
    for event in chronicle.events:
        at[event.place].append(event)
    out = ["# Places", "", "Where the events of the account happened. The maps show the places whose coordinates "
           "come from a cited map or gazetteer (numbers on the map are explained below it; choose a day to see "
           "only its places and events). Each place below links to OpenStreetMap where it has coordinates."]
    figure = map_block(chronicle, pages)
    if figure:
        out += ["", figure]
    for place in sorted(chronicle.places.values(), key=lambda p: p.name.lower()):
        out += ["", _render_place(place, at[place.key], pages)]
    return "\n".join(out) + "\n"


def _render_place(place: Place, events: list[Event], pages: Pages) -> str:
    lines = [f"## {escape(place.name)} {attrs(pages, '#' + anchor(pages, pages.places, place.key))}", ""]
    if place.description:
        lines += [escape(place.description), ""]
    if place.coordinates:
        lat, lon = place.coordinates
        osm = f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=16/{lat}/{lon}"
        where = f" · [where they come from]({_url(place.coordinates_source)})" if place.coordinates_source else ""
        lines += [f"Coordinates: {lat}, {lon} ([{escape(place.name)} on OpenStreetMap]({osm})){where}", ""]
    elif place.scope == "area":
        lines += ["An area, not a single point: not on the map.", ""]
    else:
        lines += ["Not on the map yet: no checked coordinates.", ""]
    if events:
        lines += _event_list(events, pages, pages.places)
    else:
        lines.append("No event of the account happened here.")
    return "\n".join(lines)


def render_corrections(chronicle: Chronicle, pages: Pages) -> str:
    """Every correction made to an event after publication, newest first."""
    out = ["# Corrections", "",
           "When an event is corrected after publication, the change is noted on the event and listed here, "
           "newest first. Event links never change."]
    entries = sorted(((c, e) for e in chronicle.events for c in e.corrections),
                     key=lambda ce: (ce[0].date, ce[1].sort_key), reverse=True)
    if not entries:
        return "\n".join([*out, "", "No event has been corrected yet."]) + "\n"
    out.append("")
    out += [f"- **{short_date(c.date)}**: [{escape(e.title)}]({event_href(pages, pages.corrections, e)})"
            f": {escape(c.note)}" for c, e in entries]
    return "\n".join(out) + "\n"


def _event_list(events: list[Event], pages: Pages, from_page: str) -> list[str]:
    """A Markdown list linking each event's section in the account, with its date and time."""
    return [f"- [{_event_link_text(e)}]({event_href(pages, from_page, e)})" for e in events]


def _event_link_text(event: Event) -> str:
    when = short_date(event.date) + (f", {event.time_label}" if event.time_label else "")
    return f"{escape(event.title)} ({when})"


@lru_cache(maxsize=256)  # called for every note of every event, always with the same few pages
def link(from_page: str, to_page: str) -> str:
    """A relative link from one generated page to another."""
    return posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")


def target(pages: Pages, from_page: str, to_page: str, fragment: str = "") -> str:
    """The address of `to_page` (or of its id `fragment`) in a link on `from_page`: a relative `.md` link on the
    site ("#fragment" on the same page), the fragment of the file in the single file (`in_document`)."""
    if pages.single_file:
        return in_document(pages, to_page, fragment)
    if fragment and from_page == to_page:
        return f"#{fragment}"
    return link(from_page, to_page) + (f"#{fragment}" if fragment else "")


def section_id(page: str) -> str:
    """The id of a page's section in the single file: its path without extension ("introduction" for index)."""
    stem = posixpath.splitext(page)[0].replace("/", "-")
    return "introduction" if stem == "index" else stem


def id_prefix(pages: Pages, page: str) -> str:
    """What the ids of `page` start with in the single file: nothing for the account (an event's fragment is the
    same as on the site), else the section's id and a hyphen. Nothing on the site."""
    return "" if not pages.single_file or page == pages.account else section_id(page) + "-"


def anchor(pages: Pages, page: str, name: str) -> str:
    """The id `name` of `page` as the generated Markdown writes it (see `id_prefix`)."""
    return id_prefix(pages, page) + name


def in_document(pages: Pages, page: str, fragment: str = "") -> str:
    """The single file's link to the section of `page`, or to its id `fragment`."""
    return "#" + (anchor(pages, page, fragment) if fragment else section_id(page))


def map_block(chronicle: Chronicle, pages: Pages | None = None) -> str:
    """The places maps, the one block of raw HTML the site writes itself (the guard is told it is ours).

    The maps link each place by its key; in the single file they are drawn from places keyed by their ids there
    (`anchor`), so their links are right as written. The maps' own ids (`map-all`, ...) are the site's: no other
    page has them, and the stylesheets select the all-days view by its id."""
    places = list(chronicle.places.values())
    if pages is not None and pages.single_file:
        places = [replace(p, key=anchor(pages, pages.places, p.key)) for p in places]
    key = {p.key: fresh.key for p, fresh in zip(chronicle.places.values(), places, strict=True)}
    visits: dict[str, list[Visit]] = {}
    for event in chronicle.events:
        time = f"{event.time_label} · " if event.time_label else ""
        visits.setdefault(key[event.place], []).append(Visit(event.date, time + event.title))
    return render_maps(places, visits, _day_short)


def _day_short(day: dt.date) -> str:
    """"Tue 4 Jan": a day in the map's row of links."""
    return f"{_WEEKDAYS[day.weekday()][:3]} {day.day} {_MONTHS[day.month - 1][:3]}"


def attrs(pages: Pages, attributes: str) -> str:
    """An attribute list of the site's own (`#id .class`), marked with the guard's token when there is one."""
    return "{: " + attributes + (" " + pages.attr_token if pages.attr_token else "") + " }"


def escape(text: str) -> str:
    """Text as Markdown that renders literally (no emphasis, links, HTML, attribute lists or block syntax).

    The one escaping path for every value a contributor gives that lands in running text, a heading, a table
    cell or a list item: the schema has already made it one line, and a line break here would let it start
    Markdown of its own, so it is refused rather than passed on.
    """
    if _LINE_BREAKS.search(text):
        raise ValueError(f"a line break reached the generated Markdown: {text!r}")
    escaped = text.translate(_ESCAPES)
    # A value that starts a note or a cell must not start a list ("1. ", "- ", "+ ") or a setext underline.
    head = escaped.lstrip("0123456789")
    if head[:1] in (".", ")") and len(head) < len(escaped):
        escaped = escaped[: len(escaped) - len(head)] + "\\" + head
    elif escaped[:1] in ("-", "+", "=", "~", ":"):
        escaped = "\\" + escaped
    return escaped


def _url(url: str) -> str:
    """A link target for generated Markdown: always in angle brackets, with nothing that could end them."""
    return "<" + url.translate(_URL_ESCAPES) + ">"


_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_URL_ESCAPES = str.maketrans({c: f"%{ord(c):02X}" for c in ' <>\\"`' + "".join(map(chr, range(32))) + "\x7f"})


def long_date(day: dt.date) -> str:
    """"Tuesday, 4 January 2022", independent of the machine's locale."""
    return f"{_WEEKDAYS[day.weekday()]}, {short_date(day)}"


@lru_cache(maxsize=4096)
def short_date(day: dt.date) -> str:
    """"4 January 2022"."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
