"""Translations of the account: a sibling file per language beside each English event.

`events/ru/<id>.md` and `events/kk/<id>.md` hold an event's title and body in Russian and Kazakh, with the same
citations; the front matter stays in the English file only (one truth for dates, places and status). Each
translation records what it translates, a hash of the English title and body it was made from (`translates`),
and who translated and reviewed it. When the English event changes, the hash no longer matches and the
translation is out of date: `chronicle check` says so, and the translated page shows it on the event.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .citations import Body, scan
from .editions import LANGUAGES
from .events import Event, front_matter
from .problems import Problem
from .schema import Field, check_mapping
from .tree import EVENT_FILES, walk

TRANSLATED = LANGUAGES[1:]  # the editions besides English, by their folder under events/

TRANSLATION_FIELDS = (
    Field("title", "text", "The title in this language.", required=True),
    Field("translates", "text", "The SHA-256 of the English title, body and passages' quotes this translates, "
          "quoted: it says which English text the translation is of. For a new translation write any 64 "
          "hexadecimal digits: `chronicle check` then gives the current one.", required=True,
          pattern=r"[0-9a-f]{64}", pattern_hint="64 lower-case hexadecimal digits (the English text's hash)"),
    Field("translated_by", "text-list", "Who translated it."),
    Field("reviewed_by", "text-list", "Who reviewed the translation."),
    Field("passages", "text-list", "The English event's supporting passages translated into this language: one "
          "for each passage whose quote is not in this language, in the English file's order (the quotes stay "
          "in the original; these stand beside them in this edition)."),
)


@dataclass
class Translation:
    """One event in one other language: its title and body, and the English text it was made from."""

    event_id: str
    language: str
    path: Path
    title: str
    translates: str
    body: Body
    body_line: int = 1
    translated_by: tuple[str, ...] = ()
    reviewed_by: tuple[str, ...] = ()
    passages: tuple[str, ...] = ()
    lines: dict[str, int] = field(default_factory=dict)

    def is_current(self, event: Event) -> bool:
        """Whether this translates the English as it is now (else the English has changed since)."""
        return self.translates == english_hash(event)

    def passage_translations(self, event: Event) -> dict[int, str]:
        """Each English passage's translation in this language, by its index in the event's passages."""
        foreign = [i for i, p in enumerate(event.passages) if p.quote_lang != self.language]
        return dict(zip(foreign, self.passages, strict=False)) if len(foreign) == len(self.passages) else {}


def english_hash(event: Event) -> str:
    """The hash a translation records of the English it translates: the title, the body's text and the
    supporting passages' words (a translation carries theirs, matched by position: a changed quote must not keep
    the translation of the old one)."""
    text = event.title.strip() + "\n\n" + event.body.text.strip()
    text += "".join("\n\n" + passage.quote for passage in event.passages)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_translation(events_dir: Path, path: Path) -> bool:
    """Whether `path` is in a language's folder of the events (and so not an English event)."""
    try:
        return path.relative_to(events_dir).parts[0] in TRANSLATED
    except ValueError:
        return False


def load_translations(events_dir: Path, events: list[Event]) -> tuple[dict[str, dict[str, Translation]],
                                                                      list[Problem], list[Problem]]:
    """Every translation, by language and event id; the problems (refused); the notices (out of date)."""
    by_id = {event.id: event for event in events}
    found: dict[str, dict[str, Translation]] = {}
    problems: list[Problem] = []
    notices: list[Problem] = []
    for language in TRANSLATED:
        folder = events_dir / language
        if not folder.is_dir():
            continue
        listing = walk(folder, EVENT_FILES, plain_names=False)
        problems += listing.problems
        for path in listing.files:
            if path.name.startswith(("_", ".")) or path.name.upper() == "README.MD":
                continue
            if path.parent != folder or path.suffix != ".md":
                problems.append(Problem(path, 1, f"only translations go in {folder.name}/, each directly in it and "
                                                 "named for the event it translates (<id>.md): move or remove this",
                                        code="translation"))
                continue
            translation, trouble = _parse(path, language)
            problems += trouble
            if translation is None:
                continue
            event = by_id.get(translation.event_id)
            if event is None:
                problems.append(Problem(path, 1, f"no English event '{translation.event_id}': a translation has the "
                                                 "file name of the event it translates", code="translation"))
                continue
            problems += _citation_problems(translation, event)
            notices += _passage_notices(translation, event)
            if not translation.is_current(event):
                notices.append(Problem(path, translation.lines.get("translates", 1),
                                       f"the English of '{event.id}' has changed since this was translated: "
                                       f"update the translation, then set 'translates: \"{english_hash(event)}\"'",
                                       warning=True, code="translation"))
            found.setdefault(language, {})[event.id] = translation
    return found, problems, notices


def _parse(path: Path, language: str) -> tuple[Translation | None, list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
    except UnicodeDecodeError:
        return None, [Problem(path, 1, "file is not UTF-8: save it with UTF-8 encoding", code="encoding")]
    lines, close, doc, problems = front_matter(path, text)
    if doc is None:
        return None, problems
    values, field_problems = check_mapping(TRANSLATION_FIELDS, doc.data if doc.data is not None else {},
                                           "a translation's front matter")
    problems += [Problem(path, doc.line(key) if key else 1, message, code="field") for key, message in field_problems]
    if field_problems:
        return None, problems
    key_lines = {str(k[0]): v for k, v in doc.lines.items() if len(k) == 1}
    return Translation(event_id=path.stem, language=language, path=path, body=scan("\n".join(lines[close + 1:])),
                       body_line=close + 2, lines=key_lines, **values), problems


def _passage_notices(translation: Translation, event: Event) -> list[Problem]:
    """Passage translations that no longer match the English passages: shown with their English until they do."""
    foreign = sum(1 for p in event.passages if p.quote_lang != translation.language)
    if not translation.passages or len(translation.passages) == foreign:
        return []
    return [Problem(translation.path, translation.lines.get("passages", 1),
                    f"has {len(translation.passages)} passage translation(s), but the English has {foreign} "
                    f"passage(s) not in {translation.language}: one for each, in the English order (until they "
                    "match, the passages show their English translation)", warning=True, code="translation")]


def _citation_problems(translation: Translation, event: Event) -> list[Problem]:
    """A translation cites exactly the sources the English cites (its notes may be its own)."""
    english = {r.label for r in event.body.references} - set(event.body.definitions)
    translated = {r.label for r in translation.body.references} - set(translation.body.definitions)
    problems = []
    if translated - english:
        problems.append(Problem(translation.path, translation.body_line, "cites what the English does not: "
                                f"{', '.join(sorted(translated - english))}; cite the same sources",
                                code="translation"))
    if english - translated:
        problems.append(Problem(translation.path, translation.body_line, "leaves out citations the English has: "
                                f"{', '.join(sorted(english - translated))}; cite the same sources",
                                code="translation"))
    return problems
