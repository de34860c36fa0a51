"""Markdown for the generated pages: the account, the timeline, the sources and the places.

Everything is assembled as Markdown and rendered by the site generator like any page, so footnotes,
permalinks, the table of contents and search work as on hand-written pages. Links between pages are
written as relative `.md` links so the generator can rewrite them for any URL style (including
`file://` builds, which use `page.html` instead of `page/`).
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import groupby
from pathlib import Path
from typing import Any

from .chronicle import Chronicle
from .citations import REFERENCE, Body, rewrite, scan
from .editions import SOURCE_LANGUAGE, Words, day_short, long_date, short_date, time_label, words
from .events import Event
from .placemap import Visit, render_maps
from .registry import DayLead, Place, Source
from .schema import SOURCE_KINDS, Passage

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", **{c: "\\" + c for c in "\\`*_[]{}>#|!"}})
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
    # The phone-first single file (with `single_file`): under 1 MB in every language, so it passes through a
    # messenger. A note is its source's publisher, linked to the source's entry (which keeps the title, address
    # and captures), and its date; the supporting passages are left to the full file.
    phone: bool = False
    # Above this many events the account is one page per day (`account/YYYY-MM-DD.md`) with the account page as
    # their index: Material's search walks a page's table of contents for each heading, which is quadratic on one
    # page of thousands of events. 0: always one page. `by_day` is set by `paged` when the account is split.
    account_split: int = 0
    by_day: bool = False
    # The edition's language (`editions.LANGUAGES`): its words, dates and, for each event, its translation
    # (`events/<language>/<id>.md`) where there is one. `english`: the link from this edition's root to the
    # English edition's (for "read the English version"), with `english_suffix`, the URL style's page ending.
    language: str = SOURCE_LANGUAGE
    english: str = "../"
    directory_urls: bool = True

    @property
    def words(self) -> Words:
        return words(self.language)


# Each field of `Pages` that a plugin option sets, and that option's name.
PAGE_OPTIONS = {"account": "account_page", "timeline": "timeline_page", "sources": "sources_page",
                "places": "places_page", "corrections": "corrections_page", "account_title": "account_title",
                "account_intro": "account_intro", "language": "language"}


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
    w = pages.words
    out = [f"# {escape(pages.account_title)}", ""]
    if pages.account_intro.strip():
        out += [pages.account_intro.strip(), ""]
    out.append(w.times_note.format(sources=target(pages, pages.account, pages.sources)))
    days = list(dict.fromkeys(e.date for e in chronicle.events))
    if days:
        jumps = " · ".join(f"[{day_short(d, pages.language)}]({_day_href(pages, pages.account, d)})" for d in days)
        out += ["", f"**{w.days}:** {jumps}", attrs(pages, f"#{DAYS} .chronicle-days")]
    out += ["", f"## {w.legend_heading} {attrs(pages, '#' + STATUS_LEGEND)}", "", w.legend_intro, ""]
    out += [f"- {status_badge(s, pages, pages.account)}: {w.status_meanings[s]}." for s in w.status_labels]
    rendered: dict[str, str] = {}
    note_sets: dict[str, dict[str, str]] = {}  # by the page the notes link from (every day page is one deep)
    number = 1
    for index, (day, events) in enumerate(groupby(chronicle.events, key=lambda e: e.date)):
        page = day_page(pages, day) if pages.by_day else pages.account
        depth = str(page.count("/"))
        if depth not in note_sets:
            note = short_note if pages.phone else source_note
            note_sets[depth] = {key: note(source, target(pages, page, pages.sources, key), pages.language)
                                for key, source in chronicle.sources.items()}
        notes = note_sets[depth]
        when = long_date(day, pages.language)
        section = [f"# {escape(pages.account_title)}: {when}", ""] if pages.by_day else [""]
        section += [f"## {when} {attrs(pages, f'#day-{day.isoformat()}')}", "",
                    _day_steps(pages, page, days, index), attrs(pages, ".chronicle-days")]
        lead = chronicle.leads.get(f"day-{day.isoformat()}")
        if lead is not None:
            section += ["", _render_lead(lead, notes)]
        for event in events:
            section += ["", _render_event(event, chronicle, pages, notes, page, number)]
            number += 1
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
        steps.append(f"[← {day_short(days[index - 1], pages.language)}]({_day_href(pages, page, days[index - 1])})")
    steps.append(f"[↑ {pages.words.all_days}]({target(pages, page, pages.account, DAYS)})")
    if index + 1 < len(days):
        steps.append(f"[{day_short(days[index + 1], pages.language)} →]({_day_href(pages, page, days[index + 1])})")
    return " · ".join(steps)


def _render_lead(lead: DayLead, notes: dict[str, str]) -> str:
    """A day's opening paragraph, its citations relabelled for the day (`day-YYYY-MM-DD--key`), and their notes."""
    body = scan(lead.lead)
    labels = list(dict.fromkeys(r.label for r in body.references))
    rename = {label: f"{lead.key}--{label}" for label in labels}
    definitions = [f"[^{rename[label]}]: {notes[label]}" for label in labels]
    return "\n".join([rewrite(body, rename), "", *definitions])


def _render_event(event: Event, chronicle: Chronicle, pages: Pages, notes: dict[str, str], page: str = "",
                  number: int = 0) -> str:
    """One event's section on `page` (the account, or its day's page); `notes` holds each source's short
    citation, made once for the whole page; `number`: the event's place in the account."""
    page = page or pages.account
    w = pages.words
    title, body, path, notice = _in_edition(event, chronicle, pages, page)
    when = event_time(event, pages.language)
    time = f"{when} · " if when else ""
    classes = f".chronicle-event .chronicle-{event.status}" + (f" .chronicle-{event.kind}" if event.kind else "")
    lines = [f"### {escape(time + title)} {attrs(pages, f'#{event.id} {classes}')}", ""]
    place = chronicle.places[event.place]
    meta = [
        f"**{w.time}:** {when or w.time_not_known}",
        f"**{w.place}:** [{escape(place.name_in(pages.language))}]({target(pages, page, pages.places, place.key)})",
        f"**{w.status}:** {status_badge(event.status, pages, page)}",
    ]
    if event.kind:
        meta.append(f"**{w.background if event.kind == 'context' else w.aftermath}**")
    url = pages.edit_url(path) if pages.edit_url else None
    if url:
        meta.append(f"[{w.edit_event}]({_url(url)})")
    lines += [" · ".join(meta), attrs(pages, ".chronicle-meta"), ""]
    if notice:
        lines += [*notice, ""]
    if event.status == "disputed":
        lines += [*admonition("warning", w.disputed_title, [w.disputed_text]), ""]
    if event.corrections:
        lines += [*admonition("info", w.corrected_title, [f"- {short_date(c.date, pages.language)}: {escape(c.note)}"
                                                          for c in event.corrections]), ""]
    labels = _labels(body)
    # (the phone file numbers its notes by event, `n<event>-<note>`: a note's id is in its page four times)
    rename = {label: f"n{number}-{i}" if pages.phone else f"{event.id}--{label}" for i, label in enumerate(labels, 1)}
    lines.append(rewrite(body, rename))
    lines.append("")
    if event.variants:
        lines += [_variants_table(event, chronicle, pages, page), ""]
    passages: dict[str, list[tuple[Passage, str | None]]] = {}
    translated = _passage_translations(event, chronicle, pages.language)
    for index, passage in enumerate(() if pages.phone else event.passages):
        passages.setdefault(passage.source, []).append((passage, translated.get(index)))
    for label in labels:
        if label in notes:
            # A passage continues the note after one blank line (two would end it); one after the last closes it.
            text = notes[label] + "".join("\n\n" + passage_block(p, pages, t) for p, t in passages.get(label, ()))
            text += "\n" if label in passages else ""
        else:
            text = REFERENCE.sub(lambda m: f"[^{rename.get(m[1], m[1])}]", body.definitions[label].text)
        lines.append(f"[^{rename[label]}]: {text}")
    return "\n".join(lines)


OUTDATED_CLASS = "chronicle-outdated"  # the notice on a translated event whose English has changed since
UNTRANSLATED_CLASS = "chronicle-untranslated"  # the notice on an event shown in English in another edition


def _in_edition(event: Event, chronicle: Chronicle, pages: Pages, page: str
                ) -> tuple[str, Body, Path, list[str]]:
    """The event's title, text and file in this edition, and the notice it needs: the translation where there is
    one (with a notice linking the English when the English has changed since), else the English with a notice
    that says so, never a hole."""
    if pages.language == SOURCE_LANGUAGE:
        return event.title, event.body, event.path, []
    w = pages.words
    token = f" {pages.attr_token}" if pages.attr_token else ""  # (the guard refuses a chronicle- block without it)
    translated = chronicle.translation(event, pages.language)
    if translated is None:
        return event.title, event.body, event.path, admonition(
            "note", w.untranslated_title, [w.untranslated_text], classes=UNTRANSLATED_CLASS + token)
    if translated.is_current(event):
        return translated.title, translated.body, translated.path, []
    english = english_link(pages, page, event)
    return translated.title, translated.body, translated.path, admonition(
        "warning", w.outdated_title, [w.outdated_text.format(english=english)], classes=OUTDATED_CLASS + token)


# The link to an event's English version, in each edition's words.
ENGLISH_VERSION = {"ru": "Читать английский вариант", "kk": "Ағылшынша нұсқасын оқу"}


def english_link(pages: Pages, page: str, event: Event) -> str:
    """The link from an edition's page to an event's English version. It leaves the edition, so no generator can
    resolve it as a page of this build: it is the site's own raw HTML (`own_html`, which the guard lets through),
    not a Markdown link MkDocs would report as unrecognised. In the single file, which holds one edition, the words
    without a link."""
    text = ENGLISH_VERSION[pages.language]
    if pages.single_file:
        return text
    return f'<a href="{html.escape(english_href(pages, page, event))}">{text}</a>'


def own_html(chronicle: Chronicle, pages: Pages) -> set[str]:
    """The raw HTML the generated pages hold, all of it the site's own: the places map, and in the other editions
    each opening tag of a link to an event's English version."""
    own = {map_block(chronicle, pages)}
    if pages.language == SOURCE_LANGUAGE or pages.single_file:
        return own
    paged_pages = paged(chronicle, pages)
    for event in chronicle.events:
        translated = chronicle.translation(event, pages.language)
        if translated is not None and not translated.is_current(event):
            own.add(english_link(paged_pages, event_page(paged_pages, event), event).split(">", 1)[0] + ">")
    return own


def _passage_translations(event: Event, chronicle: Chronicle, language: str) -> dict[int, str]:
    """The event's passages translated into an edition's language, by index (none in English)."""
    if language == SOURCE_LANGUAGE:
        return {}
    translated = chronicle.translation(event, language)
    if translated is None or not translated.is_current(event):
        return {}  # (out of date: which quote changed is not known, so none of them is shown translated)
    return translated.passage_translations(event)


def english_href(pages: Pages, from_page: str, event: Event) -> str:
    """The address of an event in the English edition, from `from_page` of this one: the English edition's root
    is `pages.english` from this edition's root, and the address is written in the site's URL style (a link out
    of this edition cannot be a `.md` link its generator resolves)."""
    page = posixpath.splitext(event_page(pages, event))[0]
    url = (page + "/" if page != "index" else "") if pages.directory_urls else page + ".html"
    here = posixpath.splitext(from_page)[0]
    depth = here.count("/") + (1 if pages.directory_urls and posixpath.basename(here) != "index" else 0)
    return "../" * depth + pages.english + url + "#" + event.id


def event_time(event: Event, language: str) -> str:
    """The event's time label in an edition's words ("about 18:30", "около 18:30", "evening", "вечер")."""
    hhmm = f"{event.time.hour:02d}:{event.time.minute:02d}" if event.time is not None else ""
    return time_label(event.time_precision, hhmm, language)


def _variants_table(event: Event, chronicle: Chronicle, pages: Pages, page: str) -> str:
    """Who says what, and when they said it: one row per source's version, each naming its source and linking to
    its entry (the text above already cites it with a note: no second mark). The caption carries the class
    `chronicle-variants` (a Markdown table takes no attributes); the stylesheet finds the table after it."""
    w = pages.words
    rows = [f"**{w.variants_caption}**", attrs(pages, ".chronicle-variants"), "",
            "| " + " | ".join(w.variants_header) + " |", "| --- | --- | --- | --- |"]
    for v in event.variants:
        source = chronicle.sources[v.source]
        said = short_date(v.said_on, pages.language) if v.said_on else "–"
        entry = target(pages, page, pages.sources, source.key)
        rows.append(f"| {escape(v.what)} | {escape(v.value)} | [{escape(source.publisher)}]({entry}) | {said} |")
    return "\n".join(rows)


PASSAGE_CLASS = "chronicle-passage"


def passage_block(passage: Passage, pages: Pages, translated: str | None = None) -> str:
    """A citation's supporting passage, continuing its note: collapsed (`??? quote`), the words a quotation in
    their own language, then the English and where they stand. The block carries the guard's token, which tells
    it from one written in an event's text."""
    w = pages.words
    token = f" {pages.attr_token}" if pages.attr_token else ""
    language = w.language_names.get(passage.quote_lang, passage.quote_lang)
    body = [f"> {escape(passage.quote)}", f"> {attrs(pages, f'lang={passage.quote_lang}')}", ""]
    if translated:  # the edition's own translation of the words (its translation file's `passages`)
        body += [w.in_edition.format(text=escape(translated)), ""]
    elif passage.translation and passage.quote_lang != pages.language:  # (a quote in the edition's own language
        body += [w.in_english.format(text=escape(passage.translation)), ""]  # needs no English beside it)
    body.append(w.where_in_source.format(locator=escape(passage.locator)))
    block = admonition("quote", w.passage_summary.format(language=language), body, classes=PASSAGE_CLASS + token,
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
    label = pages.words.status_labels[status]
    return (f'[{label}]({legend} "{pages.words.status_title.format(label=label)}")'
            f"{attrs(pages, f'.chronicle-status .chronicle-status-{status}')}")


def _labels(body: Body) -> list[str]:
    """An event's footnote labels in order of first reference: one note per source per event."""
    return list(dict.fromkeys(r.label for r in body.references))


def source_note(source: Source, entry: str, language: str = SOURCE_LANGUAGE) -> str:
    """The short citation in a footnote: publisher, linked title, date, and a link to the full entry (`entry`)."""
    w = words(language)
    owner = _owner(source, w)
    translated = source.title_in(language)
    title = f"[“{escape(source.title)}”]({_url(source.url)})" + (f" \\[“{escape(translated)}”\\]" if translated else "")
    parts = [escape(source.publisher) + owner, title]
    if source.published:
        parts.append(short_date(source.published, language))
    if source.captures:
        newest = source.captures[-1]
        parts.append(f"[{w.archived_copy.format(date=short_date(newest.captured_at, language))}]({_url(newest.url)})")
    cited = ", ".join(parts)
    return cited + ("" if cited.endswith(".") else ".") + f" [{w.source_details}]({entry})"  # ("2022 г." ends one)


def _owner(source: Source, w: Words) -> str:
    """" (state media: Russia)" after a state-owned publisher's name, else nothing."""
    return f" ({w.state_owned.format(state=w.states[source.state_owned])})" if source.state_owned else ""


def short_note(source: Source, entry: str, language: str = SOURCE_LANGUAGE) -> str:
    """The phone file's citation in a footnote: the publisher linked to the source's full entry, and the date."""
    cited = f"[{escape(source.publisher)}]({entry}){_owner(source, words(language))}"
    if source.published:
        cited += ", " + short_date(source.published, language)
    return cited + ("" if cited.endswith(".") else ".")


def render_timeline(chronicle: Chronicle, pages: Pages) -> str:
    """Every event in one table per day, each linking to its section in the account."""
    w, language = pages.words, pages.language
    out = [f"# {w.timeline_title}", "", w.timeline_intro.format(account=target(pages, pages.timeline, pages.account))]
    for day, events in groupby(chronicle.events, key=lambda e: e.date):
        # The day is in the first header cell too: printed, a table's header is repeated on every page it runs to.
        heading = anchor(pages, pages.timeline, f"day-{day.isoformat()}")
        out += ["", f"## {long_date(day, language)} {attrs(pages, '#' + heading)}", "",
                f"| {w.timeline_time.format(day=day_short(day, language))} | {w.timeline_event} | {w.place} "
                f"| {w.status} |", "| --- | --- | --- | --- |"]
        for event in events:
            place = chronicle.places[event.place]
            badge = status_badge(event.status, pages, pages.timeline)
            label = (f" ({w.timeline_background})" if event.kind == "context" else
                     f" ({w.timeline_aftermath})" if event.kind else "")
            shown = event_time(event, language) or "–"
            spread = time_range(event)
            if spread:
                shown = f"{spread} ({w.sources_differ})"
            out.append(
                f"| {shown} | [{escape(title_in(event, chronicle, language))}]"
                f"({event_href(pages, pages.timeline, event)}){label} "
                f"| [{escape(place.name_in(language))}]({target(pages, pages.timeline, pages.places, place.key)}) "
                f"| {badge} |"
            )
    return "\n".join(out) + "\n"


def render_sources(chronicle: Chronicle, pages: Pages) -> str:
    """The full citation of every source, grouped by kind, with back-links to the events citing it."""
    w = pages.words
    out = [f"# {w.sources_title}", "", w.sources_intro]
    order = {kind: i for i, kind in enumerate(SOURCE_KINDS)}
    ranked = sorted(chronicle.sources.values(), key=lambda s: (order.get(s.kind or "", 99), s.publisher.lower(),
                                                               s.title.lower()))
    for kind, sources in groupby(ranked, key=lambda s: s.kind):
        heading = anchor(pages, pages.sources, "kind--" + (kind or "other"))
        out += ["", f"## {w.kind_headings[kind]} {attrs(pages, '#' + heading)}"]
        for source in sources:
            out += ["", _render_source(source, chronicle.citing.get(source.key, []), pages, chronicle)]
    return "\n".join(out) + "\n"


def _render_source(source: Source, events: list[Event], pages: Pages, chronicle: Chronicle) -> str:
    w, language = pages.words, pages.language
    lines = [f"### {escape(source.title)} {attrs(pages, '#' + anchor(pages, pages.sources, source.key))}", ""]
    translated = source.title_in(language)
    if translated:
        lines += [f"*{escape(translated)}*", ""]
    facts = [f"**{w.publisher}:** {escape(source.publisher)}"]
    if source.state_owned:
        facts.append(f"**{w.owned_by_label}:** {w.owned_by.format(state=w.states[source.state_owned])}")
    if source.authors:
        facts.append(f"**{w.authors}:** {escape(', '.join(source.authors))}")
    published = long_date(source.published, language) if source.published else w.date_not_known
    facts.append(f"**{w.published}:** {published}")
    facts.append(f"**{w.language}:** {escape(source.language)}")
    links = [f"[{w.read_source}]({_url(source.url)})"]
    links += [f"[{w.archived_copy_at.format(service=escape(c.service), date=short_date(c.captured_at, language))}]"
              f"({_url(c.url)})" + (f" (SHA-256 `{c.sha256}`)" if c.sha256 else "") for c in source.captures]
    if source.status == "pending":
        links.append(w.not_archived)
    elif source.status == "unavailable":
        links.append(w.cannot_archive.format(note=escape(source.archive_note or "")))
    if source.accessed:
        links.append(w.accessed.format(date=long_date(source.accessed, language)))
    lines += [" · ".join(facts), "", " · ".join(links), ""]
    if events and pages.phone:  # (the phone file leaves the list of events citing a source to the full file)
        lines.append(w.cited_in.format(count=len(events)).removesuffix(":"))
    elif events:
        lines.append(w.cited_in.format(count=len(events)))
        lines.append("")
        lines += _event_list(events, pages, pages.sources, chronicle)
    else:
        lines.append(w.not_cited)
    return "\n".join(lines)


def render_places(chronicle: Chronicle, pages: Pages) -> str:
    """Every place with the events that happened there."""
    at: dict[str, list[Event]] = {key: [] for key in chronicle.places}
    for event in chronicle.events:
        at[event.place].append(event)
    out = [f"# {pages.words.places_title}", "", pages.words.places_intro]
    figure = map_block(chronicle, pages)
    if figure:
        out += ["", figure]
    for place in sorted(chronicle.places.values(), key=lambda p: p.name_in(pages.language).lower()):
        out += ["", _render_place(place, at[place.key], pages, chronicle)]
    return "\n".join(out) + "\n"


def _render_place(place: Place, events: list[Event], pages: Pages, chronicle: Chronicle) -> str:
    w = pages.words
    name, description = place.name_in(pages.language), place.description_in(pages.language)
    lines = [f"## {escape(name)} {attrs(pages, '#' + anchor(pages, pages.places, place.key))}", ""]
    if description:
        lines += [escape(description), ""]
    if place.coordinates:
        lat, lon = place.coordinates
        osm = f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=16/{lat}/{lon}"
        where = f" · [{w.coordinates_from}]({_url(place.coordinates_source)})" if place.coordinates_source else ""
        on_map = f"[{w.on_openstreetmap.format(name=escape(name))}]({osm})"
        lines += [w.coordinates.format(lat=lat, lon=lon, map=on_map) + where, ""]
    elif place.scope == "area":
        lines += [w.an_area, ""]
    else:
        lines += [w.not_on_map, ""]
    if events:
        lines += _event_list(events, pages, pages.places, chronicle)
    else:
        lines.append(w.nothing_here)
    return "\n".join(lines)


def render_corrections(chronicle: Chronicle, pages: Pages) -> str:
    """Every correction made to an event after publication, newest first."""
    w = pages.words
    out = [f"# {w.corrections_title}", "", w.corrections_intro]
    entries = sorted(((c, e) for e in chronicle.events for c in e.corrections),
                     key=lambda ce: (ce[0].date, ce[1].sort_key), reverse=True)
    if not entries:
        return "\n".join([*out, "", w.no_corrections]) + "\n"
    out.append("")
    out += [f"- **{short_date(c.date, pages.language)}**: [{escape(title_in(e, chronicle, pages.language))}]"
            f"({event_href(pages, pages.corrections, e)})"
            f": {escape(c.note)}" for c, e in entries]
    return "\n".join(out) + "\n"


def _event_list(events: list[Event], pages: Pages, from_page: str, chronicle: Chronicle) -> list[str]:
    """A Markdown list linking each event's section in the account, with its date and time."""
    return [f"- [{_event_link_text(e, chronicle, pages.language)}]({event_href(pages, from_page, e)})"
            for e in events]


def _event_link_text(event: Event, chronicle: Chronicle, language: str) -> str:
    time = event_time(event, language)
    when = short_date(event.date, language) + (f", {time}" if time else "")
    return f"{escape(title_in(event, chronicle, language))} ({when})"


def title_in(event: Event, chronicle: Chronicle, language: str) -> str:
    """The event's title in an edition: its translation's, or the English where there is none."""
    translated = chronicle.translation(event, language)
    return translated.title if translated is not None else event.title


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
    language = pages.language if pages is not None else SOURCE_LANGUAGE
    places = [replace(p, name=p.name_in(language)) for p in chronicle.places.values()]
    if pages is not None and pages.single_file:
        places = [replace(p, key=anchor(pages, pages.places, p.key)) for p in places]
    key = {p.key: fresh.key for p, fresh in zip(chronicle.places.values(), places, strict=True)}
    visits: dict[str, list[Visit]] = {}
    for event in chronicle.events:
        when = event_time(event, language)
        time = f"{when} · " if when else ""
        visits.setdefault(key[event.place], []).append(Visit(event.date, time + title_in(event, chronicle, language)))
    return render_maps(places, visits, lambda day: day_short(day, language), words(language).map)


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
