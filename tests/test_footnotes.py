"""`chronicle.footnotes`: the standard footnotes' syntax and HTML, without their O(n²) bookkeeping."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from mkdocs.config import load_config

from chronicle.footnotes import Footnotes
from chronicle.plugin import ChroniclePlugin

CASES = [
    "A[^1] b[^2] c[^1] d[^1].\n\n[^1]: One.\n[^2]: Two,\n    continued.\n\n    A second paragraph.",
    "Out of order: x[^b] y[^a] z[^b] w[^a][^b].\n\n[^a]: A cites [^b].\n\n[^b]: B.",
    "Undefined[^zz] stays text.\n\n[^unused]: Never referenced.",
    "- In a list[^n]\n- and again[^n]\n\n[^n]: A note\n\n    ```\n    code\n    ```",
    "Twice defined[^d].\n\n[^d]: First.\n\n[^d]: Second.",
    "Label with colon[^a:b] and [^2:x][^x].\n\n[^a:b]: colon\n[^2:x]: two\n[^x]: x",
    "No notes at all.",
]
OPTIONS = [{}, {"USE_DEFINITION_ORDER": False}, {"UNIQUE_IDS": True}, {"SEPARATOR": "-"},
           {"BACKLINK_TEXT": "back", "SUPERSCRIPT_TEXT": "[{}]", "BACKLINK_TITLE": "Back to %d"}]


@pytest.mark.parametrize("options", OPTIONS)
@pytest.mark.parametrize("text", CASES)
def test_same_html_as_the_standard_extension(text: str, options: dict[str, object]) -> None:
    standard = markdown.Markdown(extensions=["footnotes"], extension_configs={"footnotes": options})
    ours = markdown.Markdown(extensions=["chronicle.footnotes"], extension_configs={"chronicle.footnotes": options})
    for _ in range(2):  # and again after reset(), as MkDocs reuses one instance per page
        assert ours.convert(text) == standard.convert(text)
        ours.reset()
        standard.reset()


def test_many_notes_keep_numbers_ids_and_back_references() -> None:
    n = 3000
    text = "\n\n".join(f"Claim {i}[^e{i}-s] and more[^e{i}-s][^e{i}-n].\n\n[^e{i}-s]: Source {i}.\n[^e{i}-n]: Note."
                       for i in range(n))
    soup = BeautifulSoup(markdown.markdown(text, extensions=[Footnotes()]), "html.parser")
    refs = soup.select("a.footnote-ref")
    assert len(refs) == 3 * n
    assert [a.get_text() for a in refs[-3:]] == [str(2 * n - 1), str(2 * n - 1), str(2 * n)]
    last = soup.select("div.footnote > ol > li")[-2]
    assert last["id"] == f"fn:e{n - 1}-s"
    assert [a["href"] for a in last.select("a.footnote-backref")] == [f"#fnref:e{n - 1}-s", f"#fnref2:e{n - 1}-s"]
    assert soup.find(id=f"fnref2:e{n - 1}-s") is not None


def test_the_plugin_replaces_the_standard_extension_and_keeps_its_options(tmp_path: Path) -> None:
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text("site_name: t\nmarkdown_extensions:\n  - footnotes:\n      BACKLINK_TEXT: back\n"
                           "  - tables\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "events").mkdir()
    config = load_config(str(config_file))
    config = ChroniclePlugin().on_config(config)
    assert "footnotes" not in config.markdown_extensions
    assert config.markdown_extensions.count("chronicle.footnotes") == 1
    assert config.mdx_configs["chronicle.footnotes"] == {"BACKLINK_TEXT": "back", "section_level": 3,
                                                         "mark_separator": ",", "section_chars": 600}
    assert {"attr_list", "toc", "tables"} <= set(config.markdown_extensions)


# --- section_level: each section's notes at its end ---------------------------------------------------------------

SECTIONED = """# Page

Intro[^a].

## Day

### One

!!! note
    Inside an admonition[^c].

Text[^b] and more[^c] and again[^b].

[^b]: Note b cites [^d].
[^c]: Note c.

### Two

Text two[^e].

[^a]: A.
[^d]: D.
[^e]: E.
[^z]: Never referenced.
"""


def _sectioned(text: str) -> BeautifulSoup:
    md = markdown.Markdown(extensions=["chronicle.footnotes", "admonition"],
                           extension_configs={"chronicle.footnotes": {"section_level": 3}})
    return BeautifulSoup(md.convert(text), "html.parser")


def test_each_section_lists_its_own_notes_at_its_end() -> None:
    soup = _sectioned(SECTIONED)
    lists = soup.select("div.footnote")
    assert [[li["id"] for li in div.select("li")] for div in lists] == [
        ["fn:a"], ["fn:c", "fn:b", "fn:d"], ["fn:e"], ["fn:z"]]
    # Each list stands right after its section's text, before the next heading.
    assert lists[1].find_previous(["h1", "h2", "h3"]).get_text() == "One"
    assert lists[1].find_next(["h1", "h2", "h3"]).get_text() == "Two"


def test_section_notes_are_numbered_in_reading_order_and_lists_continue() -> None:
    soup = _sectioned(SECTIONED)
    marks = [a.get_text() for a in soup.select("a.footnote-ref")]
    # a, then c (in the admonition, read first), b, c, b, then d (inside note b), then e.
    assert marks == ["1", "2", "3", "2", "3", "4", "5"]
    assert [div.ol.get("start") for div in soup.select("div.footnote")] == [None, "2", "5", "6"]
    titles = [a["title"] for a in soup.select("li#fn\\:d a.footnote-backref")]
    assert titles == ["Jump back to footnote 4 in the text"]


def test_section_notes_keep_every_back_link() -> None:
    soup = _sectioned(SECTIONED)
    backs = [a["href"] for a in soup.select("li#fn\\:b a.footnote-backref")]
    assert backs == ["#fnref:b", "#fnref2:b"]
    for href in backs:
        assert soup.find(id=href[1:]) is not None


def test_section_notes_chain_of_notes_is_not_recursive() -> None:
    n = 3000  # a note citing a note citing a note...: placed by a loop, not by recursion
    text = "### S\n\nStart[^n0].\n\n" + "\n".join(f"[^n{i}]: Next [^n{i + 1}]." for i in range(n)) + f"\n[^n{n}]: End."
    soup = _sectioned(text)
    assert len(soup.select("div.footnote li")) == n + 1


def test_marks_that_touch_are_separated_and_others_are_not() -> None:
    md = markdown.Markdown(extensions=["chronicle.footnotes"],
                           extension_configs={"chronicle.footnotes": {"mark_separator": ","}})
    soup = BeautifulSoup(md.convert("One[^a][^b][^c] two[^d] three[^a].\n\n[^a]: A\n[^b]: B\n[^c]: C\n[^d]: D"),
                         "html.parser")
    assert soup.p.get_text() == "One1,2,3 two4 three1."
    assert [a.get_text() for a in soup.select("a.footnote-ref")] == ["1", "2", "3", "4", "1"]


def test_a_long_section_gives_out_its_notes_part_way() -> None:
    md = markdown.Markdown(extensions=["chronicle.footnotes"],
                           extension_configs={"chronicle.footnotes": {"section_level": 3, "section_chars": 100}})
    long = "word " * 30
    text = (f"### S\n\n{long}[^a]\n\n{long}[^b]\n\nShort[^c].\n\n### T\n\nNext[^d].\n\n"
            "[^a]: A\n[^b]: B\n[^c]: C\n[^d]: D")
    soup = BeautifulSoup(md.convert(text), "html.parser")
    assert [[li["id"] for li in div.select("li")] for div in soup.select("div.footnote")] == [
        ["fn:a"], ["fn:b"], ["fn:c"], ["fn:d"]]
    assert [a.get_text() for a in soup.select("a.footnote-ref")] == ["1", "2", "3", "4"]


def test_a_source_cited_again_far_down_a_long_section_gets_its_note_again_close_by() -> None:
    md = markdown.Markdown(extensions=["chronicle.footnotes"],
                           extension_configs={"chronicle.footnotes": {"section_level": 3, "section_chars": 100}})
    long = "word " * 30
    text = f"### S\n\n{long}[^a]\n\n{long}[^b] and again[^a]\n\nAnd[^a].\n\n### T\n\nNext[^a].\n\n[^a]: A\n[^b]: B"
    soup = BeautifulSoup(md.convert(text), "html.parser")
    lists = [[li["id"] for li in div.select("li")] for div in soup.select("div.footnote")]
    # The second list repeats a's note; the third (under the same heading) does too; T cites a in its own list.
    assert lists[:2] == [["fn:a"], ["fn:b", "fn:a---1"]]
    assert "fn:a---2" in lists[2]
    for ref in soup.select("a.footnote-ref"):
        assert soup.find(id=ref["href"][1:]) is not None
    assert soup.find(id="fn:a---1").get_text().strip().startswith("A")


def test_a_sections_notes_are_given_out_before_a_table() -> None:
    md = markdown.Markdown(extensions=["chronicle.footnotes", "tables"],
                           extension_configs={"chronicle.footnotes": {"section_level": 3, "section_chars": 600}})
    text = ("### S\n\nShort text[^a].\n\n**The table's caption**\n\n| x | y |\n| --- | --- |\n| 1 | 2 |\n\n"
            "After[^b].\n\n[^a]: A\n[^b]: B")
    soup = BeautifulSoup(md.convert(text), "html.parser")
    first = soup.select_one("div.footnote")
    assert [li["id"] for li in first.select("li")] == ["fn:a"]
    caption = first.find_next_sibling()  # the caption stays with its table, after the notes
    assert caption.get_text() == "The table's caption" and caption.find_next_sibling().name == "table"
