"""Plain words for the YAML mistakes contributors make, at the line where they made them (not parser jargon)."""

from __future__ import annotations

from pathlib import Path

import pytest

from chronicle import ChronicleError
from chronicle.chronicle import load_chronicle
from chronicle.yamldata import load_yaml

from conftest import SOURCES, event, write_project

# (YAML text, line of the problem counting from 1, the message)
CASES = [
    ("title: x\n\tdate: 2022-01-04\n", 2, "a tab is used for indentation: indent with spaces"),
    ("actors:\n  - Oyan\n\t- Qazaqstan\n", 3, "a tab is used for indentation: indent with spaces"),
    ("actors:\n \t- Oyan\n", 2, "a tab is used for indentation: indent with spaces"),
    ("title:\tx\n", 1, "a tab is used here, where YAML reads only spaces: use a space, or put the value in quotes"),
    ("title: Police: tear gas\ndate: 2022-01-04\n", 1,
     "the value holds ': ', which YAML reads as a new key: put the value in quotes, like title: \"Police: tear gas\""),
    ("date: 2022-01-04\ntitle: Police said: \"go\"\n", 2,
     "the value holds ': ', which YAML reads as a new key: put the value in quotes, like "
     "title: \"Police said: \\\"go\\\"\""),
    ("alpha:\n  title: Police: tear gas\n  url: x\n", 2,
     "the value holds ': ', which YAML reads as a new key: put the value in quotes, like title: \"Police: tear gas\""),
    ('title: "Police": tear gas\n', 1, "text follows the closing quote: put the whole value inside the quotes"),
    ('title: "Police" tear gas\ndate: 2022-01-04\n', 1,
     "text follows the closing quote: put the whole value inside the quotes"),
    ('date: 2022-01-04\ntitle: "Police\nplace: square\n', 2,
     'the quote (") that starts this value is never closed: end the value with ", on the same line'),
    ("title: 'Police\n", 1, "the quote (') that starts this value is never closed: end the value with ', on the same "
                            "line"),
    ("date: 2022-01-04\nactors: [Oyan, Qazaqstan\nplace: square\n", 2,
     "the '[' that starts this list is never closed: end the list with ']'"),
    ("coordinates: {lat: 1\nname: x\n", 1,
     "the '{' that starts this mapping is never closed: end the mapping with '}'"),
    ("tags: [a, b]]\n", 1, "a ']' that closes nothing: remove it, or put the value in quotes"),
    ("title: @police\n", 1, "a value cannot start with '@' (YAML reserves it): put the value in quotes"),
    ("title: `police`\n", 1, "a value cannot start with '`' (YAML reserves it): put the value in quotes"),
    ("title: *police*\n", 1, "a value cannot start with '*' (YAML reserves it): put the value in quotes"),
    ("title: > x\n", 1, "a value cannot start with '>' (YAML reserves it): put the value in quotes"),
    ('url: "C:\\path"\n', 1, "'\\p' is not an escape YAML knows inside double quotes: write '\\\\' for a backslash, "
                             "or put the value in single quotes"),
    ("square:\n  name: Republic Square\n   description: misindented\n", 3,
     "this line is indented more than the key above it, which has its value already: line up the keys of one "
     "mapping at the same indentation"),
    ("alpha:\n  title: x\n publisher: y\n", 3,
     "this line is indented less than the keys above it, and more than their parent: line up the keys of one "
     "mapping (and the items of one list) at the same indentation"),
    ("alpha:\n  title x\n  url: y\n", 2, "this line has no ':' between its key and its value: write 'key: value'"),
    ('title: "x" # a comment\n  - b\n', 2,
     "this line is indented more than the line above it, which has its value already: line up the keys of one "
     "mapping (and the items of one list) at the same indentation"),
    ("actors: - Oyan\n", 1, "a list item ('- ') cannot follow a key on its line: put each item on a line of its own "
                            "below the key, or write the list in brackets, like 'tags: [a, b]'"),
]


@pytest.mark.parametrize(("text", "line", "message"), CASES)
def test_a_common_mistake_gets_plain_words_at_its_line(text: str, line: int, message: str) -> None:
    doc, problems = load_yaml(text, Path("f.yml"))
    assert doc is None
    assert [(p.line, p.message) for p in problems] == [(line, message)]
    # Where the YAML starts further down a file (front matter after its '---'), the line follows.
    _, later = load_yaml(text, Path("f.yml"), first_line=2)
    assert [p.line for p in later] == [line + 1]


def test_other_parser_errors_keep_the_parsers_words() -> None:
    _, problems = load_yaml("a: [b, c\n  d: e]\n", Path("f.yml"))
    assert len(problems) == 1 and problems[0].message.startswith("this list in '[]' cannot be read")
    _, problems = load_yaml("a: b\n- c\n", Path("f.yml"))
    assert [(p.line, p.message) for p in problems] == [(2, "invalid YAML: expected <block end>, but found '-' (while "
                                                           "parsing a block mapping that starts on line 1); check "
                                                           "indentation, colons and quotes")]


def test_front_matter_and_registries_name_the_file_and_line(tmp_path: Path) -> None:
    tabbed = event("Police: tear gas").replace("date:", "\tdate:")
    sources = SOURCES.replace("  publisher: Alpha News", "\tpublisher: Alpha News")
    root = write_project(tmp_path, {"2022-01-04-1900-tabbed.md": tabbed}, sources=sources)
    with pytest.raises(ChronicleError) as caught:
        load_chronicle(root / "events")
    found = {(p.path.name, p.line, p.message) for p in caught.value.problems}
    # The title's ': ' is reported first: the parser stops at the first mistake.
    assert ("2022-01-04-1900-tabbed.md", 2, "the value holds ': ', which YAML reads as a new key: put the value in "
            "quotes, like title: \"Police: tear gas\"") in found
    assert ("sources.yml", 3, "a tab is used for indentation: indent with spaces") in found
    fixed = event('"Police: tear gas"').replace("date:", "\tdate:")
    (root / "events" / "2022-01-04-1900-tabbed.md").write_text(fixed, encoding="utf-8")
    with pytest.raises(ChronicleError) as caught:
        load_chronicle(root / "events")
    assert ("2022-01-04-1900-tabbed.md", 3, "a tab is used for indentation: indent with spaces") in {
        (p.path.name, p.line, p.message) for p in caught.value.problems}
