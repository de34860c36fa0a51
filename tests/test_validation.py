"""Every kind of content error is reported with its file, its line and a fix; all in one run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from chronicle import ChronicleError, Settings, load_chronicle

from conftest import SOURCES, Writer, event

OK = "2022-01-04-1800-ok.md"


def problems_of(folder: Path, settings: Settings | None = None) -> list[tuple[str, int, str]]:
    with pytest.raises(ChronicleError) as caught:
        load_chronicle(folder, settings or Settings())
    return [(p.path.name, p.line, p.message) for p in caught.value.problems]


CASES = {
    "invalid yaml": (event(title="[unclosed"), 2, "the '[' that starts this list is never closed"),
    "unterminated front matter": ("---\ntitle: x\ndate: 2022-01-04\n", 1, "unterminated front matter"),
    "no front matter": ("Just text.[^alpha-2022-01-05]\n", 1, "missing front matter"),
    "missing required field": (event(status=None), 1, "missing required field 'status'"),
    "unknown field": (event(mood="grim"), 6, "unknown field 'mood'"),
    "wrong type": (event(actors="police"), 6, "'actors' must be a list"),
    "bad date": (event(date="2022-13-04"), 3, "'date' is not a real date"),
    "date not iso": (event(date="4 January 2022"), 3, "'date' must be a date written YYYY-MM-DD"),
    "bad time": (event(time='"25:00"'), 6, "'time' must be a 24-hour time"),
    "unknown status": (event(status="rumour"), 5, "unknown status 'rumour': use one of observed"),
    "unknown precision": (event(time_precision="dusk"), 6, "unknown time_precision 'dusk'"),
    "precision needs time": (event(time_precision="approximate"), 6, "needs a 'time: HH:MM'"),
    "unknown place": (event(place="moon"), 4, "unknown place 'moon'"),
    "unknown source key": (event(body="Text.\n\nMore text.[^gamma-2022]"), 9, "unknown source key [^gamma-2022]"),
    "undefined note": (event(body="Text.[^alpha-2022-01-05][^n1]"), 7, "unknown source key [^n1]"),
    "unreferenced note": (event(body="Text.[^alpha-2022-01-05]\n\n[^n2]: A note."), 9, "never referenced"),
    "source defined in body": (event(body="Text.[^alpha-2022-01-05]\n\n[^alpha-2022-01-05]: Mine."), 9,
                               "is a source key"),
    "paragraph without citation": (event(body="Cited.[^alpha-2022-01-05]\n\nNot cited."), 9,
                                   "paragraph has no source citation"),
    "non-ascii label": (event(body="Text.[^alpha-2022-01-05][^Заметка]\n\n[^Заметка]: x"), 7,
                        "must be lower-case ASCII"),
    "empty body": (event(body=""), 6, "event has no text"),
    "yaml alias": ("---\ntitle: &t x\ndate: 2022-01-04\nplace: square\nstatus: reported\ntags: [*t]\n---\n"
                   "Text.[^alpha-2022-01-05]\n", 6, "anchors and aliases are not allowed"),
    "yaml object tag": ("---\ntitle: !!python/object/apply:os.system [ls]\ndate: 2022-01-04\nplace: square\n"
                        "status: reported\n---\nText.[^alpha-2022-01-05]\n", 2, "is not allowed: plain data only"),
    "duplicate key": (event(status="reported\nstatus: observed"), 6, "duplicate key 'status'"),
    "date differs from file name": (event(date="2022-01-05"), 3, "does not match the file name"),
    "time outside its part of day": (event(time='"22:30"', time_precision="morning"), 7, "is not in the morning"),
    "title over two lines": (event(title='"Crowd\\n\\nat the square"'), 2, "must be one line of text"),
    "line separator character": (event(title='"Crowd\u2028gathers"'), 2, "U+2028"),
    "nested too deeply": (event(tags="[" * 3000 + "]" * 3000), 2, "YAML nested too deeply"),
}


@pytest.mark.parametrize("text, line, message", CASES.values(), ids=CASES.keys())
def test_event_error_names_file_line_and_fix(events_dir: Writer, text: str, line: int, message: str) -> None:
    found = problems_of(events_dir({"2022-01-04-bad.md": text, OK: event()}))
    assert [(name, ln) for name, ln, msg in found if message in msg] == [("2022-01-04-bad.md", line)], found


def test_file_not_utf8(events_dir: Writer) -> None:
    raw = event(body="Caf\xe9.[^alpha-2022-01-05]").encode("latin-1")
    assert problems_of(events_dir({"2022-01-04-latin.md": raw})) == [
        ("2022-01-04-latin.md", 7, "file is not UTF-8: save it with UTF-8 encoding")
    ]


def test_duplicate_id_in_subfolder(events_dir: Writer) -> None:
    found = problems_of(events_dir({OK: event(), f"more/{OK}": event()}))
    assert len(found) == 1 and "duplicate event id '2022-01-04-1800-ok'" in found[0][2]


def test_bad_file_name(events_dir: Writer) -> None:
    found = problems_of(events_dir({"Jan 4 protest.md": event()}))
    assert found[0][:2] == ("Jan 4 protest.md", 1) and "file name must be" in found[0][2]


def test_all_problems_in_one_run(events_dir: Writer) -> None:
    found = problems_of(events_dir({
        "2022-01-04-a.md": event(status="rumour"),
        "2022-01-04-b.md": event(place="moon", mood="x"),
    }))
    assert [(name, line) for name, line, _ in found] == [("2022-01-04-a.md", 5), ("2022-01-04-b.md", 4),
                                                          ("2022-01-04-b.md", 6)]


def test_outside_period_needs_kind(events_dir: Writer) -> None:
    settings = Settings(dt.date(2022, 1, 4), dt.date(2022, 1, 5))
    folder = events_dir({
        "2022-01-02-early.md": event(date="2022-01-02"),
        "2022-01-03-context.md": event(date="2022-01-03", kind="context"),
        "2022-01-07-late.md": event(date="2022-01-07", kind="context"),
    })
    found = problems_of(folder, settings)
    assert [(n, ln) for n, ln, _ in found] == [("2022-01-02-early.md", 3), ("2022-01-07-late.md", 6)]
    assert "outside the account's period" in found[0][2] and "kind: context" in found[0][2]


@pytest.mark.parametrize(
    "sources, line, message",
    [
        (SOURCES + "gamma:\n  title: x\n  publisher: y\n  url: javascript:alert(1)\n  language: en\n", 25,
         "must use http or https"),
        (SOURCES + "gamma:\n  title: x\n  publisher: y\n  language: en\n", 22, "missing required field 'url'"),
        (SOURCES + "gamma:\n  title: x\n  publisher: y\n  url: https://x.example.com\n  language: en\n  kind: blog\n",
         27, "unknown kind 'blog'"),
        (SOURCES + "Gamma Key:\n  title: x\n", 22, "must be lower-case"),
        (SOURCES + "alpha-2022-01-05:\n  title: again\n", 22, "duplicate key"),
    ],
)
def test_source_errors(events_dir: Writer, sources: str, line: int, message: str) -> None:
    found = problems_of(events_dir({OK: event()}, sources=sources))
    assert any(name == "sources.yml" and ln == line and message in msg for name, ln, msg in found), found


def test_place_errors(events_dir: Writer) -> None:
    places = "square:\n  name: Square\n  coordinates: [43.2]\npark:\n  description: no name\n"
    found = problems_of(events_dir({OK: event()}, places=places))
    assert [(n, ln) for n, ln, _ in found] == [("places.yml", 3), ("places.yml", 4)]
    assert "[latitude, longitude]" in found[0][2] and "missing required field 'name'" in found[1][2]


def test_uncited_source_is_a_warning(events_dir: Writer) -> None:
    chronicle = load_chronicle(events_dir({OK: event()}))
    assert [(w.line, w.message) for w in chronicle.warnings] == [
        (9, "source 'beta-2022-01-06' is never cited: cite it or remove it")
    ]


def test_problem_format_is_path_line_message(events_dir: Writer) -> None:
    folder = events_dir({OK: event(status="rumour")})
    with pytest.raises(ChronicleError) as caught:
        load_chronicle(folder)
    assert str(caught.value.problems[0]).endswith(f"{OK}:5: unknown status 'rumour': use one of observed, "
                                                  "reported, official-claim, disputed")


def test_typos_get_a_did_you_mean_and_no_follow_on_error(events_dir: Writer) -> None:
    folder = events_dir({"2022-01-04-1800-x.md": event(place="sqaure", body="It happened.[^alpha-2022-01-50]",
                                                       tittle="Typo")})
    with pytest.raises(ChronicleError) as raised:
        load_chronicle(folder)
    messages = [p.message for p in raised.value.problems]
    assert any("unknown place 'sqaure' (did you mean 'square'?)" in m for m in messages), messages
    assert any("unknown source key [^alpha-2022-01-50] (did you mean 'alpha-2022-01-05'?)" in m
               for m in messages), messages
    assert any("unknown field 'tittle' in front matter (did you mean 'title'?)" in m for m in messages), messages
    # The unknown key was the paragraph's citation: no second error saying the paragraph has none.
    assert not any("paragraph has no source citation" in m for m in messages), messages
    assert len(messages) == 3, messages


def test_a_release_build_refuses_a_cited_source_without_an_archived_copy(events_dir: Writer) -> None:
    folder = events_dir({"2022-01-04-1800-a.md": event(body="A.[^alpha-2022-01-05] B.[^beta-2022-01-06]")})
    chronicle = load_chronicle(folder)  # by default one notice counts them (beta has a capture)
    assert [n.message for n in chronicle.notices if "archived copy" in n.message] == [
        "1 cited source has no archived copy yet: chronicle archive asks the Internet Archive for them"]
    with pytest.raises(ChronicleError) as raised:
        load_chronicle(folder, Settings(require_captures=True))
    assert [(p.path.name, p.line) for p in raised.value.problems] == [("sources.yml", 1)]
    assert "source 'alpha-2022-01-05' has no archived copy" in raised.value.problems[0].message
