"""The whole chronicle: every event, source and place, loaded, cross-checked and put in order."""

from __future__ import annotations

import datetime as dt
import difflib
import heapq
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .baseline import BaselineError, base_ref, published_source_keys
from .citations import LABEL, REFERENCE, Body, paragraphs, scan
from .events import (
    NO_DATE,
    PART_OF_DAY_SPANS,
    PLACEHOLDER_KEY,
    PLACEHOLDER_TEXT,
    Event,
    EventCache,
    R,
    load_event,
    unclosed_reference,
)
from .problems import ChronicleError, Problem
from .registry import DayLead, Place, Source, load_days, load_places, load_sources
from .schema import EVENT_FIELDS
from .translations import Translation, is_translation, load_translations
from .tree import EVENT_FILES, walk

SOURCES_FILE = "sources.yml"
PLACES_FILE = "places.yml"
DAYS_FILE = "days.yml"


class ContentError(ChronicleError):
    """The content's problems, with the events that could be read, so their markup is checked in the same run."""

    def __init__(self, problems: list[Problem], events: list[Event]):
        super().__init__(problems)
        self.events = events


@dataclass(frozen=True)
class Settings:
    """What the content is checked against."""

    period_start: dt.date | None = None
    period_end: dt.date | None = None
    require_citations: bool = True
    require_captures: bool = False  # a cited source without a capture is an error (for releases), not a notice
    # A git ref whose sources.yml lists the sources already published (a pull request's base, origin/main): a
    # source not there must have a capture or say archive_status: pending. "": no comparison (main itself).
    base_ref: str = ""


def settings_from(options: Mapping[str, Any]) -> Settings:
    """The settings from the plugin's options (mkdocs.yml's, or MkDocs' typed config), for every caller; the
    environment's CHRONICLE_BASE_REF sets the base ref for a run."""
    return Settings(_date(options.get("period_start")), _date(options.get("period_end")),
                    bool(options.get("require_citations", True)), bool(options.get("require_captures", False)),
                    base_ref(options.get("base_ref")))


def _date(value: Any) -> dt.date | None:
    return value if isinstance(value, dt.date) or value is None else dt.date.fromisoformat(str(value))


@dataclass
class Chronicle:
    """Events in reading order, the registries, and which events cite each source."""

    events: list[Event]
    sources: dict[str, Source]
    places: dict[str, Place]
    citing: dict[str, list[Event]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    # Worth a contributor's look, but not wrong for certain (a clock time in the text that may be another event's,
    # a place not yet found on a map): `chronicle check` prints them as warnings; a build does not fail on them.
    notices: list[Problem] = field(default_factory=list)
    leads: dict[str, DayLead] = field(default_factory=dict)  # by the day's anchor, day-YYYY-MM-DD
    # By language ("ru", "kk"), then event id: the events translated (translations.py).
    translations: dict[str, dict[str, Translation]] = field(default_factory=dict)

    _cites: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def translation(self, event: Event, language: str) -> Translation | None:
        """The event's translation into `language`, if it has one (none into English: it is the English)."""
        return self.translations.get(language, {}).get(event.id)

    def cites(self, event: Event) -> list[str]:
        """The source keys `event` cites, in order of first reference (computed once per event)."""
        keys = self._cites.get(event.id)
        if keys is None:
            keys = list(dict.fromkeys(r.label for r in event.body.references if r.label in self.sources))
            self._cites[event.id] = keys
        return keys


def _read(path: Path, load: Callable[[Path], tuple[dict[str, R], list[Problem]]]
          ) -> tuple[dict[str, R], list[Problem]]:
    return load(path)


def load_chronicle(events_dir: Path, settings: Settings = Settings(), cache: EventCache | None = None) -> Chronicle:
    """Load and check everything under `events_dir`; raise ChronicleError listing every problem.

    With a `cache`, event files unchanged since the previous call are not read or parsed again.
    """
    problems: list[Problem] = []
    paths: set[Path] = set()
    if cache is not None:
        cache.start()
    registry = cache.registry if cache is not None else _read
    sources, found = registry(events_dir / SOURCES_FILE, load_sources)
    problems += found + _new_source_problems(sources, events_dir / SOURCES_FILE, settings)
    places, found_places = registry(events_dir / PLACES_FILE, load_places)
    registry_warnings = [p for p in found_places if p.warning]
    found_places = [p for p in found_places if not p.warning]
    problems += found_places
    leads, found_leads = registry(events_dir / DAYS_FILE, load_days)
    problems += found_leads
    # A registry that could not be read at all is one problem, not one per event that refers to it.
    unreadable = {name for name, entries, errs in (("sources", sources, found), ("places", places, found_places))
                  if errs and not entries}
    events: list[Event] = []
    seen: dict[str, Path] = {}
    listing = walk(events_dir, EVENT_FILES, plain_names=False)  # events.FILENAME is stricter
    # Their loaders report these themselves.
    registries = {events_dir / SOURCES_FILE, events_dir / PLACES_FILE, events_dir / DAYS_FILE}
    problems += [p for p in listing.problems if p.path not in registries]
    for path in listing.files:
        if path.suffix != ".md" or path.name.startswith(("_", ".")) or path.name.upper() == "README.MD":
            continue
        if is_translation(events_dir, path):
            continue  # (read with the translations, once the English events are known)
        paths.add(path)
        try:
            event, found = cache.load(path) if cache is not None else load_event(path)
        except OSError as exc:
            problems.append(Problem(path, 1, f"cannot read this file ({exc.strerror}): fix its permissions",
                                    code="tree"))
            continue
        problems += found
        if path.stem in seen:
            problems.append(Problem(path, 1, f"duplicate event id {path.stem!r}: also {seen[path.stem]}; "
                                             "rename one of the files", code="duplicate"))
            continue
        seen[path.stem] = path
        if event is not None:
            problems += [p for p in _check_event(event, sources, places, settings)
                         if not (unreadable and _refers_to(p, unreadable))]
            events.append(event)
    if cache is not None:
        cache.keep_only(paths)
    translations, found_translations, stale = load_translations(events_dir, events)
    problems += found_translations
    uncited = {p.path for p in found_translations if p.code == "translation"}  # (citations already reported)
    for by_event in translations.values():  # each translation's text, checked as the English text is
        for translated in by_event.values():
            problems += [p for p in body_problems(translated.path, translated.body_line, translated.body, sources,
                                                  settings) if not (p.code == "citation" and p.path in uncited)]
    problems += _after_problems(events)
    problems += _lead_problems(leads, events, sources, events_dir / DAYS_FILE)
    if problems:
        raise ContentError(problems, events)
    events = in_order(events)
    chronicle = Chronicle(events, sources, places, leads=leads, translations=translations)
    chronicle.citing = {key: [] for key in sources}
    for event in events:
        for key in chronicle.cites(event):
            chronicle.citing[key].append(event)
    in_leads = {r.label for lead in leads.values() for r in scan(lead.lead).references}
    chronicle.notices = registry_warnings + [w for e in events for w in clock_time_warnings(e)]
    chronicle.notices += _after_notices(events) + stale
    chronicle.notices += _capture_problems(chronicle, events_dir / SOURCES_FILE, settings)
    if settings.require_captures and any(not p.warning for p in chronicle.notices):
        raise ContentError([p for p in chronicle.notices if not p.warning], events)
    chronicle.warnings = _likely_duplicates(events) + [
        Problem(events_dir / SOURCES_FILE, source.line, f"source '{key}' is never cited: cite it or remove it",
                warning=True, code="uncited-source")
        for key, source in sources.items()
        if not chronicle.citing[key] and key not in in_leads
    ]
    return chronicle


# The list fields whose entries name a source, and what to do when the text does not cite it.
CITED_ENTRIES = {"variants": "cite it where the text gives its version",
                 "passages": "a passage supports a citation; cite the source where the text rests on it"}


def _check_event(event: Event, sources: dict[str, Source], places: dict[str, Place], settings: Settings
                 ) -> list[Problem]:
    """Checks that need the registries or the settings."""
    problems: list[Problem] = []

    if event.place and event.place not in places:
        problems.append(Problem(event.path, event.line_of("place"),
                                f"unknown place {event.place!r}{suggest(event.place, places)}: use a key of "
                                f"{PLACES_FILE} or add the place there", code="place"))
    problems += body_problems(event.path, event.body_line, event.body, sources, settings)
    cited = {r.label for r in event.body.references}
    for name, hint in CITED_ENTRIES.items():  # entries that name a source: one the text cites
        field = next(f for f in EVENT_FIELDS if f.name == name)
        for entry in getattr(event, name):
            code = name.removesuffix("s")
            if entry.source not in sources:
                problems.append(Problem(event.path, event.line_of(name), f"{field.label} source '{entry.source}'"
                                        f"{suggest(entry.source, sources)} is not in {SOURCES_FILE}", code=code))
            elif entry.source not in cited:
                problems.append(Problem(event.path, event.line_of(name), f"{field.label} source '{entry.source}' "
                                        f"is not cited in the text: {hint}", code=code))
    in_period = (settings.period_start is None or event.date >= settings.period_start) and (
        settings.period_end is None or event.date <= settings.period_end)
    if not in_period and event.kind is None and event.date != NO_DATE:
        problems.append(Problem(event.path, event.line_of("date"),
                                f"date {event.date} is outside the account's period "
                                f"({settings.period_start} to {settings.period_end}): "
                                "mark it 'kind: context' or 'kind: aftermath'", code="period"))
    if event.kind == "context" and settings.period_end and event.date > settings.period_end:
        problems.append(Problem(event.path, event.line_of("kind"), "context events come before the period's end: "
                                                                   "use 'kind: aftermath'", code="period"))
    if event.kind == "aftermath" and settings.period_start and event.date < settings.period_start:
        problems.append(Problem(event.path, event.line_of("kind"), "aftermath events come after the period's "
                                                                   "start: use 'kind: context'", code="period"))
    return problems


def body_problems(path: Path, body_line: int, body: Body, sources: Mapping[str, Source], settings: Settings
                  ) -> list[Problem]:
    """The checks of an event's text on its own: labels, notes, the placeholder, a citation in every paragraph,
    and a text that starts at the margin. Run on every event and on every translation of one (blamed on its
    file): a translation is contributors' text like the English."""
    problems: list[Problem] = []

    def at(line: int, message: str, code: str = "reference") -> None:
        problems.append(Problem(path, body_line + line, message, code=code))

    first = next(((n, line) for n, line in enumerate(body.text.split("\n")) if line.strip()), None)
    if first is not None and first[1][:1] in (" ", "\t"):
        at(first[0], "the text starts indented: it would run into the site's box above it (or become code); start "
                     "it at the margin", "citation")
    for ref in body.references:
        if not LABEL.fullmatch(ref.label):
            if "[" in ref.label:
                continue  # an unclosed '[^', already reported where it starts
            shown = ref.label if len(ref.label) <= 40 else ref.label[:37] + "..."
            at(ref.line, f"footnote label [^{shown}] must be lower-case ASCII letters, digits and hyphens")
        elif ref.label == PLACEHOLDER_KEY and ref.label not in sources:
            at(ref.line, f"[^{PLACEHOLDER_KEY}] is the placeholder 'chronicle new' wrote: replace it with the key "
                         f"of the source in {SOURCES_FILE} (add the source there if it is new)")
        elif ref.label not in sources and ref.label not in body.definitions:
            at(ref.line, f"unknown source key [^{ref.label}]{suggest(ref.label, sources)}: add it to "
                         f"{SOURCES_FILE}, or define an explanatory note '[^{ref.label}]: ...' in this file")
    referenced = {r.label for r in body.references}
    for label, definition in body.definitions.items():
        if label in sources:
            at(definition.line, f"[^{label}] is a source key: sources are defined in {SOURCES_FILE}, "
                                "remove this definition")
        elif label not in referenced:
            at(definition.line, f"note [^{label}] is defined but never referenced: cite it or remove it")
    for definition in body.duplicate_definitions:
        at(definition.line, f"note [^{definition.label}] is defined twice: keep one definition")
    placeholder = body.masked.find(PLACEHOLDER_TEXT[:40])
    if placeholder >= 0:
        at(body.masked.count("\n", 0, placeholder), "this is the placeholder text 'chronicle new' wrote: replace it "
                                                     "with what happened, in your own words, with citations",
           "citation")
    if not body.text.strip():
        problems.append(Problem(path, body_line - 1, "event has no text: write what happened, with citations",
                                code="citation"))
    if settings.require_citations:
        known = {*sources, *body.definitions}
        for line, block in paragraphs(body):
            labels = [match.group(1) for match in REFERENCE.finditer(block)]
            if any(label not in known for label in labels):
                continue  # an unknown key is already reported: it was meant as the citation (no follow-on error)
            if not any(label in sources for label in labels):
                at(line, "paragraph has no source citation: add [^source-key] after the facts it supports", "citation")
    return problems



# A clock time in running text: 9:30, 09:30, 21:05 (not part of a longer number or ratio). Fixed-width lookarounds,
# no nested repetition: linear.
_CLOCK = re.compile(r"(?<![0-9:])([01]?[0-9]|2[0-3]):([0-5][0-9])(?![0-9:])")


def clock_time_warnings(event: Event) -> list[Problem]:
    """Where the text's clock times and the front matter's time cannot both be right, one warning for the event.

    The text may give other times too (a curfew, a later statement), so this is a warning: it holds when none of
    the text's times is the front matter's time, or none falls in its part of day, or there is a time in the text
    and none in the front matter.
    """
    times: list[tuple[int, int]] = []  # (minute of the day, body line)
    for line, block in paragraphs(event.body):
        for match in _CLOCK.finditer(block):
            times.append((int(match[1]) * 60 + int(match[2]), line + block.count("\n", 0, match.start())))
    if not times:
        return []
    shown = ", ".join(dict.fromkeys(f"{m // 60:02d}:{m % 60:02d}" for m, _ in times))
    where = event.body_line + times[0][1]
    if event.time is not None:
        own = event.time.hour * 60 + event.time.minute
        if any(m == own for m, _ in times):
            return []
        message = (f"the text gives {shown} but 'time' is {event.time:%H:%M}: correct whichever is wrong (the time "
                   "is the event's own, not a publication time)")
    elif event.time_precision in PART_OF_DAY_SPANS:
        first, last = PART_OF_DAY_SPANS[event.time_precision]
        if any(first <= m < last or first <= m + 24 * 60 < last for m, _ in times):
            return []
        message = (f"the text gives {shown}, outside the {event.time_precision} given in 'time_precision': if one "
                   "of these is the event's own time, put it in 'time'")
    else:
        message = (f"the text gives {shown} but the front matter has no time: if one of these is the event's own "
                   "time, put it in 'time'")
    return [Problem(event.path, where, message, warning=True, code="clock-time")]


def _after_problems(events: list[Event]) -> list[Problem]:
    """`after:` must name another event of the same day, and no chain of them may come back to where it started."""
    by_id = {e.id: e for e in events}
    problems = []
    for event in events:
        if event.after is None:
            continue
        other = by_id.get(event.after)
        if other is None:
            close = suggest(event.after, by_id)
            problems.append(Problem(event.path, event.line_of("after"), f"'after: {event.after}' names no event"
                                    f"{close}: use the file name of an event, without .md", code="order"))
        elif other is event:
            problems.append(Problem(event.path, event.line_of("after"), "an event cannot come after itself: "
                                                                        "remove 'after'", code="order"))
        elif other.date != event.date:
            problems.append(Problem(event.path, event.line_of("after"), f"'after: {event.after}' is an event of "
                                    f"{other.date}, not {event.date}: 'after' orders events within one day",
                                    code="order"))
    if problems:
        return problems
    for event in events:  # each chain is followed at most once from each start: n events, n steps each at worst
        seen = {event.id}
        step = event
        while step.after is not None:
            step = by_id[step.after]
            if step.id in seen:
                if step is event:  # reported once, at the chain's first member in file order
                    problems.append(Problem(event.path, event.line_of("after"), "these events each say they came "
                                            f"after the next, in a circle ({' → '.join(_chain(event, by_id))}): "
                                            "remove one 'after'", code="order"))
                break
            seen.add(step.id)
    # One report per circle: keep the member that sorts first.
    reported: set[frozenset[str]] = set()
    unique = []
    for problem in problems:
        members = frozenset(problem.message.split("(", 1)[1].split(")", 1)[0].split(" → "))
        if members not in reported:
            reported.add(members)
            unique.append(problem)
    return unique


def _new_source_problems(sources: dict[str, Source], path: Path, settings: Settings) -> list[Problem]:
    """A source new since the base ref, with no capture, must say it awaits one."""
    if not settings.base_ref:
        return []
    try:
        published = published_source_keys(path, settings.base_ref)
    except BaselineError as exc:
        return [Problem(path, 1, str(exc), code="base-ref")]
    return [Problem(path, s.line, f"source '{s.key}' is new and has no archived copy: add its capture (chronicle "
                                  "archive), or write 'archive_status: pending' so the scheduled archive run "
                                  "captures it", code="new-source")
            for key, s in sources.items()
            if key not in published and not s.captures and s.archive_status is None]


def _capture_problems(chronicle: Chronicle, path: Path, settings: Settings) -> list[Problem]:
    """Cited sources with no archived copy: one notice counting them (a release build refuses each, by line)."""
    missing = [s for key, s in chronicle.sources.items() if chronicle.citing.get(key) and s.status == "pending"]
    if not missing:
        return []
    if settings.require_captures:
        return [Problem(path, s.line, f"source '{s.key}' has no archived copy: run chronicle archive, or mark it "
                                      "archive_status: unavailable with an archive_note",
                        code="capture") for s in missing]
    count = "1 cited source has" if len(missing) == 1 else f"{len(missing)} cited sources have"
    return [Problem(path, 1, f"{count} no archived copy yet: chronicle archive asks the Internet Archive for "
                             "them", warning=True, code="capture")]


def _lead_problems(leads: dict[str, DayLead], events: list[Event], sources: dict[str, Source], path: Path
                   ) -> list[Problem]:
    """A day's lead opens a day the account has, and cites known sources only (it has no notes of its own)."""
    days = {f"day-{e.date.isoformat()}" for e in events}
    problems = []
    for key, lead in leads.items():
        if key not in days:
            problems.append(Problem(path, lead.line, f"'{key}' is not a day of the account{suggest(key, days)}: "
                                    "key each lead by its day, day-YYYY-MM-DD, for a day that has events", code="lead"))
        if lead.lead == "<lead>":
            continue  # the lead itself was refused (reported by the loader): nothing more to say about it
        body = scan(lead.lead)
        if unclosed_reference(body.masked) is not None:
            problems.append(Problem(path, lead.line, "'[^' starts a citation that is not closed: write "
                                                     "[^source-key]", code="lead"))
            continue
        labels = [r.label for r in body.references]
        for label in dict.fromkeys(labels):
            if label not in sources:
                problems.append(Problem(path, lead.line, f"unknown source key [^{label}]{suggest(label, sources)} "
                                        f"in the lead of {key}: a lead cites sources of {SOURCES_FILE} only",
                                        code="lead"))
        if body.definitions or body.duplicate_definitions:
            problems.append(Problem(path, lead.line, f"the lead of {key} defines a note: a lead cites sources "
                                                     "only; explain in an event instead", code="lead"))
        if not labels:
            problems.append(Problem(path, lead.line, f"the lead of {key} has no source citation: add "
                                                     "[^source-key] after the facts it supports", code="lead"))
    return problems


def _after_notices(events: list[Event]) -> list[Problem]:
    """An event said to come after a timed one whose time is past the end of its own part of day."""
    by_id = {e.id: e for e in events}
    notices = []
    for event in events:
        other = by_id.get(event.after or "")
        if other is None or other.time is None or event.time is not None:
            continue
        span = PART_OF_DAY_SPANS.get(event.time_precision)
        minute = other.time.hour * 60 + other.time.minute
        if span and minute >= span[1]:
            notices.append(Problem(event.path, event.line_of("time_precision"),
                                   f"it comes after {other.id} ({other.time:%H:%M}), past the end of the "
                                   f"{event.time_precision}: give the part of day it falls in",
                                   warning=True, code="order"))
    return notices


def _chain(event: Event, by_id: dict[str, Event]) -> list[str]:
    out, step = [event.id], by_id[event.after or ""]
    while step is not event:
        out.append(step.id)
        step = by_id[step.after or ""]
    return [*out, event.id]


def in_order(events: list[Event]) -> list[Event]:
    """Events in reading order: by `sort_key` (date, minute, `order`, id), except that an event with `after:` comes
    after the event it names, and as early as that allows. O(n log n): a heap of the events whose predecessor is
    out; `after` names one event of the same day and has no circles (checked before)."""
    followers: dict[str, list[Event]] = {}
    # (key, a number never repeated, the event): ties on the key are settled by the number, never by the events.
    ready: list[tuple[tuple[dt.date, int, int, str], int, Event]] = []
    for index, event in enumerate(events):
        if event.after is None:
            ready.append((event.sort_key, index, event))
        else:
            followers.setdefault(event.after, []).append(event)
    heapq.heapify(ready)
    out: list[Event] = []
    pushed = len(events)
    while ready:
        _, _, event = heapq.heappop(ready)
        out.append(event)
        # Never before its predecessor: each follower takes the later of its own key and its predecessor's; two
        # followers of one event keep their own order (key, then `order`, then id).
        for follower in sorted(followers.pop(event.id, []), key=lambda e: e.sort_key):
            heapq.heappush(ready, (max(follower.sort_key, event.sort_key), pushed, follower))
            pushed += 1
    return out


def suggest(word: str, choices: Iterable[str]) -> str:
    """" (did you mean 'x'?)" for the closest of `choices`, or "". Bounded: difflib over at most a few thousand keys,
    each a short slug."""
    close = difflib.get_close_matches(word[:100], list(choices)[:5000], n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _refers_to(problem: Problem, registries: set[str]) -> bool:
    """Whether `problem` is a missing reference into one of `registries` (or follows from one)."""
    message = problem.message
    return ("sources" in registries and (message.startswith("unknown source key") or
                                         message.startswith("paragraph has no source citation"))) or (
        "places" in registries and message.startswith("unknown place"))


# Bounds on the likely-duplicate warnings: how many earlier events each event is compared with, how many
# events are warned about one by one, and how many duplicates each warning names.
_COMPARED, _WARNED, _NAMED = 50, 20, 3


def _likely_duplicates(events: list[Event]) -> list[Problem]:
    """Events at the same place within an hour that share an actor or most of their title words.

    One warning per event (naming up to three others), at most twenty, then one line that counts the rest: a
    contributor reads them, so a thousand pairs must not become a thousand lines (nor a million comparisons).
    """
    warnings = []
    timed = sorted((e for e in events if e.time is not None), key=lambda e: (e.place, e.sort_key))
    flagged = 0
    for i, later in enumerate(timed):
        matches = []
        for j in range(i - 1, max(i - 1 - _COMPARED, -1), -1):  # walk back in place, a bounded number of steps
            earlier = timed[j]
            if earlier.place != later.place or earlier.date != later.date:
                break
            if later.sort_key[1] - earlier.sort_key[1] > 60:
                break
            shared_actor = set(earlier.actors) & set(later.actors)
            a, b = _title_words(earlier.title), _title_words(later.title)
            similar = bool(a and b) and len(a & b) * 2 > min(len(a), len(b))
            if shared_actor or similar:
                why = f"shares actor {sorted(shared_actor)[0]!r}" if shared_actor else "has a similar title"
                matches.append((earlier.id, why))
        if not matches:
            continue
        flagged += 1
        if flagged > _WARNED:
            continue
        named = "; ".join(f"{other} ({why})" for other, why in matches[:_NAMED])
        more = f" and {len(matches) - _NAMED} more" if len(matches) > _NAMED else ""
        warnings.append(Problem(later.path, later.line_of("title"),
                                f"likely duplicate of {named}{more}: same place within an hour; "
                                "merge them if they are one event", warning=True, code="duplicate"))
    if flagged > _WARNED:
        first = timed[0]
        warnings.append(Problem(first.path.parent, 1, f"{flagged - _WARNED} more events look like duplicates of "
                                                      "others (same place within an hour): check the listing above "
                                                      "first, then run the check again",
                                warning=True, code="duplicate"))
    return warnings


_STOPWORDS = {"the", "a", "an", "of", "in", "on", "at", "to", "and", "for", "by", "with", "from", "is", "are"}


def _title_words(title: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", title.lower()) if w not in _STOPWORDS}
