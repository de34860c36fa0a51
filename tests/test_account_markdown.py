"""Ordering and citations, checked on the generated Markdown and on its HTML (no site build)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import markdown
import pytest
from bs4 import BeautifulSoup

from chronicle import load_chronicle
from chronicle.citations import mask_code, scan
from chronicle.placemap import Visit, render_maps
from chronicle.problems import ChronicleError
from chronicle.registry import Place
from chronicle.render import Pages, escape, render_account, render_sources

from conftest import Writer, event


def account_html(chronicle: Any) -> BeautifulSoup:
    """The account as the site renders it: the site's footnotes (notes beside each event), tables, details."""
    md = markdown.Markdown(extensions=["chronicle.footnotes", "attr_list", "toc", "tables", "pymdownx.details"],
                           extension_configs={"chronicle.footnotes": {"section_level": 3}})
    return BeautifulSoup(md.convert(render_account(chronicle, Pages())), "html.parser")


def html_of(md: str) -> BeautifulSoup:
    return BeautifulSoup(markdown.markdown(md, extensions=["footnotes", "attr_list", "toc", "tables"]),
                         "html.parser")


def test_order_by_date_time_order_then_id(events_dir: Writer) -> None:
    folder = events_dir({
        "2022-01-05-0100-late-night.md": event(date="2022-01-05", time="01:00"),
        "2022-01-04-evening.md": event(time_precision="evening"),
        "2022-01-04-2000-b.md": event(time="20:00"),
        "2022-01-04-2000-a.md": event(time="20:00", order=1),
        "2022-01-04-2000-c.md": event(time="20:00", order=-1),
        "2022-01-04-unknown.md": event(),
        "2022-01-04-1830-about.md": event(time="18:30", time_precision="approximate"),
    })
    ids = [e.id for e in load_chronicle(folder).events]
    # "evening" sorts at its start (17:00), among the timed events; no time at all comes first.
    assert ids == ["2022-01-04-unknown", "2022-01-04-evening", "2022-01-04-1830-about", "2022-01-04-2000-c",
                   "2022-01-04-2000-b", "2022-01-04-2000-a", "2022-01-05-0100-late-night"]


def test_parts_of_day_sort_at_their_place_among_timed_events(events_dir: Writer) -> None:
    folder = events_dir({
        "2022-01-04-0430-dawn.md": event(time="04:30"),
        "2022-01-04-morning.md": event(time_precision="morning"),
        "2022-01-04-1130-late-morning.md": event(time="11:30"),
        "2022-01-04-afternoon.md": event(time_precision="afternoon"),
        "2022-01-04-1500-three.md": event(time="15:00"),
        "2022-01-04-1659-almost-evening.md": event(time="16:59"),
        "2022-01-04-evening.md": event(time_precision="evening"),
        "2022-01-04-2100-nine.md": event(time="21:00"),
        "2022-01-04-night.md": event(time_precision="night", order=1),
        "2022-01-04-2330-late.md": event(time="23:30"),
    })
    assert [e.id.removeprefix("2022-01-04-") for e in load_chronicle(folder).events] == [
        "0430-dawn", "morning", "1130-late-morning", "afternoon", "1500-three", "1659-almost-evening", "evening",
        "2100-nine", "night", "2330-late"]


def test_after_places_an_event_after_the_one_it_names(events_dir: Writer) -> None:
    folder = events_dir({
        "2022-01-04-2100-columns.md": event(time="21:00"),
        "2022-01-04-march.md": event(time_precision="evening", after="2022-01-04-2100-columns"),
        "2022-01-04-rally.md": event(time_precision="evening", after="2022-01-04-march"),
        "2022-01-04-2130-later.md": event(time="21:30"),
        "2022-01-04-1800-early.md": event(time="18:00"),
    })
    assert [e.id.removeprefix("2022-01-04-") for e in load_chronicle(folder).events] == [
        "1800-early", "2100-columns", "march", "rally", "2130-later"]


def test_two_events_after_the_same_one_keep_their_own_order(events_dir: Writer) -> None:
    folder = events_dir({
        "2022-01-04-2100-address.md": event(time="21:00"),
        "2022-01-04-statue.md": event(time_precision="evening", after="2022-01-04-2100-address", order=2),
        "2022-01-04-airport.md": event(time_precision="evening", after="2022-01-04-2100-address", order=1),
    })
    assert [e.id.removeprefix("2022-01-04-") for e in load_chronicle(folder).events] == [
        "2100-address", "airport", "statue"]


@pytest.mark.parametrize("after, message", [
    ("2022-01-04-mrach", "'after: 2022-01-04-mrach' names no event (did you mean '2022-01-04-march'?)"),
    ("2022-01-05-next-day", "is an event of 2022-01-05, not 2022-01-04"),
    ("2022-01-04-x", "an event cannot come after itself"),
])
def test_after_must_name_another_event_of_the_same_day(events_dir: Writer, after: str, message: str) -> None:
    folder = events_dir({"2022-01-04-x.md": event(after=after), "2022-01-04-march.md": event(),
                         "2022-01-05-next-day.md": event(date="2022-01-05")})
    with pytest.raises(ChronicleError) as raised:
        load_chronicle(folder)
    problems = [str(p) for p in raised.value.problems]
    assert len(problems) == 1 and message in problems[0] and "2022-01-04-x.md:" in problems[0], problems


def test_a_circle_of_after_is_one_problem(events_dir: Writer) -> None:
    folder = events_dir({"2022-01-04-a.md": event(after="2022-01-04-b"), "2022-01-04-b.md": event(after="2022-01-04-c"),
                         "2022-01-04-c.md": event(after="2022-01-04-a")})
    with pytest.raises(ChronicleError) as raised:
        load_chronicle(folder)
    problems = [str(p) for p in raised.value.problems]
    assert len(problems) == 1 and "in a circle" in problems[0], problems


@pytest.mark.parametrize("fields, body, warned", [
    ({"time": "15:00"}, "At 15:00 it began.", False),
    ({"time": "15:00"}, "At 16:37 it began.", True),
    ({"time_precision": "afternoon"}, "At 16:37 it began.", False),
    ({"time_precision": "morning"}, "At 16:37 it began.", True),
    ({}, "At 16:37 it began.", True),
    ({}, "Ratio 3:2 and 123:45 are not times; nor is 1:30:00.", False),
])
def test_check_notices_a_clock_time_the_front_matter_contradicts(
        events_dir: Writer, fields: dict[str, str], body: str, warned: bool) -> None:
    folder = events_dir({"2022-01-04-x.md": event(body=body + "[^alpha-2022-01-05]", **fields)})
    notices = [str(n) for n in load_chronicle(folder).notices if "the text gives" in n.message]
    assert bool(notices) == warned, notices


@pytest.mark.parametrize(
    "fields, label",
    [({"time": "18:30"}, "18:30"), ({"time": "18:30", "time_precision": "approximate"}, "about 18:30"),
     ({"time_precision": "evening"}, "evening"), ({}, "")],
)
def test_time_label(events_dir: Writer, fields: dict[str, str], label: str) -> None:
    stem = "2022-01-04-1830-x" if "time" in fields else "2022-01-04-x"
    [loaded] = load_chronicle(events_dir({f"{stem}.md": event(**fields)})).events
    assert loaded.time_label == label


def test_footnotes_number_in_reading_order_one_note_per_source_per_event(events_dir: Writer) -> None:
    folder = events_dir({
        "2022-01-04-1800-first.md": event(body="A.[^beta-2022-01-06] B.[^alpha-2022-01-05] C.[^beta-2022-01-06]"),
        "2022-01-04-1900-second.md": event(body="D.[^alpha-2022-01-05]"),
    })
    soup = html_of(render_account(load_chronicle(folder), Pages()))
    refs = [(a["href"], a.get_text()) for a in soup.select("a.footnote-ref")]
    assert refs == [
        ("#fn:2022-01-04-1800-first--beta-2022-01-06", "1"),
        ("#fn:2022-01-04-1800-first--alpha-2022-01-05", "2"),
        ("#fn:2022-01-04-1800-first--beta-2022-01-06", "1"),
        ("#fn:2022-01-04-1900-second--alpha-2022-01-05", "3"),
    ]
    notes = soup.select("div.footnote li")
    assert [n["id"] for n in notes] == [
        "fn:2022-01-04-1800-first--beta-2022-01-06",
        "fn:2022-01-04-1800-first--alpha-2022-01-05",
        "fn:2022-01-04-1900-second--alpha-2022-01-05",
    ]
    first = notes[0]
    assert first.select_one('a[href="https://beta.example.com/wire"]').get_text() == "“Second report”"
    assert first.select_one('a[href="sources.md#beta-2022-01-06"]') is not None
    assert "Beta Wire" in first.get_text() and "6 January 2022" in first.get_text()
    assert len(first.select("a.footnote-backref")) == 2  # one note, both references lead back


def test_explanatory_notes_are_namespaced_per_event(events_dir: Writer) -> None:
    folder = events_dir({
        "2022-01-04-1800-one.md": event(body="One.[^alpha-2022-01-05][^n1]\n\n[^n1]: First note."),
        "2022-01-04-1900-two.md": event(body="Two.[^alpha-2022-01-05][^n1]\n\n[^n1]: Second note,\n    continued."),
    })
    soup = html_of(render_account(load_chronicle(folder), Pages()))
    assert soup.select_one('li[id="fn:2022-01-04-1800-one--n1"]').get_text().strip().startswith("First note.")
    second = soup.select_one('li[id="fn:2022-01-04-1900-two--n1"]').get_text().strip()
    assert second.startswith("Second note,") and "continued." in second


def test_event_section_has_id_time_place_status_and_edit_link(events_dir: Writer) -> None:
    folder = events_dir({"2022-01-04-1830-x.md": event("Crowd & <police>", time="18:30", status="disputed")})
    pages = Pages(edit_url=lambda path: f"https://repo.example.com/edit/main/events/{path.name}")
    soup = html_of(render_account(load_chronicle(folder), pages))
    heading = soup.select_one("h3")
    assert heading["id"] == "2022-01-04-1830-x"
    assert heading.get_text() == "18:30 · Crowd & <police>"
    meta = heading.find_next_sibling("p")
    assert "Status: Disputed" in meta.get_text() and "Place: Republic Square" in meta.get_text()
    assert meta.select_one('a[href="places.md#square"]') is not None
    assert meta.select_one("a[href$='events/2022-01-04-1830-x.md']").get_text() == "Edit this event"
    assert soup.select_one("h2:not(#status-legend)")["id"] == "day-2022-01-04" and soup.select_one(
        "h2:not(#status-legend)").get_text() == \
        "Tuesday, 4 January 2022"


def test_code_is_not_rewritten(events_dir: Writer) -> None:
    body = "Cited.[^alpha-2022-01-05] Literal `[^n9]` stays.\n\n```\n[^n8]\n```\n\nAgain.[^alpha-2022-01-05]"
    [loaded] = load_chronicle(events_dir({"2022-01-04-x.md": event(body=body)})).events
    assert [r.label for r in loaded.body.references] == ["alpha-2022-01-05", "alpha-2022-01-05"]
    assert "`[^n9]`" in render_account(load_chronicle(events_dir({})), Pages())
    assert mask_code("a `b` c") == "a     c"


def test_definition_continuation_lines_belong_to_the_note() -> None:
    body = scan("Text.[^n1]\n\n[^n1]: Line one\nline two\n\n    Indented para.\n\nNext paragraph.")
    assert body.definitions["n1"].text == "Line one\nline two\n\n    Indented para."


def test_sources_page_back_links_every_citing_event(events_dir: Writer) -> None:
    folder = events_dir({
        "2022-01-04-1800-first.md": event("First", body="A.[^alpha-2022-01-05]"),
        "2022-01-04-1900-second.md": event("Second", body="B.[^alpha-2022-01-05][^beta-2022-01-06]"),
    })
    soup = html_of(render_sources(load_chronicle(folder), Pages()))
    alpha = soup.select_one("h3#alpha-2022-01-05")
    links = [a["href"] for a in alpha.find_next("ul").select("a")]
    assert links == ["account.md#2022-01-04-1800-first", "account.md#2022-01-04-1900-second"]
    beta = soup.select_one("h3#beta-2022-01-06").find_next_sibling("p").find_next_sibling("p")
    capture = "https://web.archive.org/web/20220106120000/https://beta.example.com/wire"
    assert beta.select_one(f'a[href="{capture}"]').get_text() == "archived copy, Internet Archive, 6 January 2022"
    assert "SHA-256 5f2b0f0b" in beta.get_text()
    alpha_links = soup.select_one("h3#alpha-2022-01-05").find_next_sibling("p").find_next_sibling("p")
    assert "not archived yet" in alpha_links.get_text()


def test_a_note_links_the_newest_archived_copy_beside_the_live_link(events_dir: Writer) -> None:
    from chronicle.render import source_note

    chronicle = load_chronicle(events_dir({"2022-01-04-1800-a.md": event(body="A.[^beta-2022-01-06]")}))
    note = source_note(chronicle.sources["beta-2022-01-06"], "sources.md")
    assert "[archived copy, 6 January 2022](<https://web.archive.org/web/20220106120000/" in note


@pytest.mark.parametrize("entry, message", [
    ("  captures:\n    - url: https://web.archive.org/x\n      service: IA\n", "must be a list of entries"),
    ("  captures:\n    - url: https://web.archive.org/x\n      service: IA\n      captured_at: 2022-01-06\n"
     "      sha256: abc\n", "'sha256' must be 64"),
    ("  captures:\n    - url: https://web.archive.org/b\n      service: IA\n      captured_at: 2022-02-01\n"
     "    - url: https://web.archive.org/a\n      service: IA\n      captured_at: 2022-01-06\n", "oldest first"),
    ("  archive_status: captured\n", "has no captures"),
    ("  archive_status: unavailable\n", "say why in archive_note"),
    ("  archive_note: gone\n", "is not unavailable"),
])
def test_a_capture_ledger_that_does_not_hold_together_is_refused(events_dir: Writer, entry: str,
                                                                 message: str) -> None:
    from conftest import SOURCES

    sources = SOURCES.replace("  url: https://alpha.example.com/report\n",
                              "  url: https://alpha.example.com/report\n" + entry)
    folder = events_dir({"2022-01-04-1800-a.md": event()}, sources=sources)
    with pytest.raises(ChronicleError) as raised:
        load_chronicle(folder)
    problems = [str(p) for p in raised.value.problems]
    assert any("sources.yml:" in p and message in p for p in problems), problems


def test_escape_renders_literally() -> None:
    text = "*not* [a](link) <b>x</b> & {#id} `code` #1 | pipe"
    assert html_of(escape(text)).get_text() == text


def test_disputed_event_stands_out(events_dir: Writer) -> None:
    folder = events_dir({"2022-01-04-1800-a.md": event(status="disputed"), "2022-01-04-1900-b.md": event()})
    md = render_account(load_chronicle(folder), Pages())
    soup = BeautifulSoup(markdown.markdown(md, extensions=["footnotes", "attr_list", "toc", "admonition"]),
                         "html.parser")
    warnings = soup.select("div.admonition.warning")
    assert len(warnings) == 1
    assert warnings[0].find_previous("h3")["id"] == "2022-01-04-1800-a"
    assert "Disputed" in warnings[0].get_text()


def _map(places: list[Place], visits: dict[str, list[Visit]] | None = None) -> BeautifulSoup:
    return BeautifulSoup(render_maps(places, visits or {}, lambda d: f"{d.day} Jan"), "html.parser")


def test_place_map_numbers_each_spot_once_and_explains_it_beside_the_map() -> None:
    places = [Place("a", "Square", (43.2383, 76.9453)), Place("b", "Akimat", (43.2364, 76.9456)),
              Place("c", "Airport", (43.3553, 77.0447)), Place("d", "Nowhere known"),
              Place("e", "Nationwide", scope="area"), Place("f", "Aktau", (43.65, 51.15), scope="country")]
    soup = _map(places)
    city = soup.select_one("#map-all")
    # The square and the akimat are 200 m apart: one marker, whose entry names both.
    assert [a["href"] for a in city.select("svg a")] == ["#c", "#b"]
    assert [t.get_text() for t in city.select("svg a text")] == ["1", "2"]
    entries = city.select("ol.chronicle-map-legend > li")
    assert [[a.get_text() for a in li.select("a")] for li in entries] == [["Airport"], ["Akimat", "Square"]]
    assert city.select_one("svg")["role"] == "group"  # it holds links: not an image (axe nested-interactive)
    assert "Nowhere known" not in soup.get_text() and "Nationwide" not in soup.get_text()
    country = soup.select("figure")[-1]
    assert "Aktau" in country.get_text() and "Aktau" not in city.get_text()
    assert _map([places[3], places[4]]).get_text() == ""


def test_place_map_has_a_view_per_day_with_that_days_events() -> None:
    places = [Place("a", "Square", (43.2383, 76.9453)), Place("c", "Airport", (43.3553, 77.0447))]
    visits = {"a": [Visit(dt.date(2022, 1, 4), "night · Tear gas"), Visit(dt.date(2022, 1, 5), "afternoon · Fire")],
              "c": [Visit(dt.date(2022, 1, 5), "evening · Airport seized")]}
    soup = _map(places, visits)
    assert [a["href"] for a in soup.select(".chronicle-map-days a")] == ["#map-all", "#map-2022-01-04",
                                                                         "#map-2022-01-05"]
    fourth = soup.select_one("#map-2022-01-04")
    assert [a["href"] for a in fourth.select("svg a")] == ["#a"]  # the airport is only a ring that day
    assert len(fourth.select("svg g circle")) == 1
    assert [li.get_text() for li in fourth.select("ol.chronicle-map-legend li li")] == ["night · Tear gas"]
    fifth = soup.select_one("#map-2022-01-05")
    assert [li.get_text() for li in fifth.select("li li")] == ["evening · Airport seized", "afternoon · Fire"]
    assert "2 events" not in fourth.get_text() and "(2 events)" in soup.select_one("#map-all").get_text()


def test_account_intro_comes_before_the_legend(events_dir: Writer) -> None:
    pages = Pages(account_intro='!!! warning "Content note"\n    Deaths are described.')
    md = render_account(load_chronicle(events_dir({"2022-01-04-x.md": event()})), pages)
    soup = BeautifulSoup(markdown.markdown(md, extensions=["admonition"]), "html.parser")
    note = soup.select_one("div.admonition.warning")
    assert "Deaths are described." in note.get_text() and note.find_next("ul").get_text().startswith("\nObserved")


def test_a_part_of_day_that_ends_before_the_event_it_follows_is_noticed(events_dir: Writer) -> None:
    folder = events_dir({"2022-01-04-2100-columns.md": event(time="21:00"),
                         "2022-01-04-march.md": event(time_precision="evening", after="2022-01-04-2100-columns")})
    notices = [str(n) for n in load_chronicle(folder).notices]
    assert any("2022-01-04-march.md" in n and "past the end of the evening" in n for n in notices), notices


def test_a_state_owned_outlet_is_named_as_such_in_its_notes_and_entry(events_dir: Writer) -> None:
    from chronicle.registry import Source
    from chronicle.render import source_note

    source = Source("k", "Title", "Kazinform", "https://www.inform.kz/en/x", "en", state_owned="KZ")
    assert source_note(source, "sources.md").startswith("Kazinform (Kazakh state-owned), ")
    folder = events_dir({"2022-01-04-1800-a.md": event(time="18:00")})
    chronicle = load_chronicle(folder)
    plain = render_sources(chronicle, Pages())
    assert "Owned by" not in plain


def test_a_day_opens_with_its_lead_and_the_leads_notes(events_dir: Writer) -> None:
    folder = events_dir({"2022-01-04-1800-a.md": event(time="18:00"),
                         "days.yml": "day-2022-01-04:\n  lead: The day in brief.[^alpha-2022-01-05]\n"})
    markdown_text = render_account(load_chronicle(folder), Pages())
    md = markdown.Markdown(extensions=["chronicle.footnotes", "attr_list", "toc"],
                           extension_configs={"chronicle.footnotes": {"section_level": 3}})
    soup = BeautifulSoup(md.convert(markdown_text), "html.parser")
    day = soup.find(id="day-2022-01-04")
    lead = next(p for p in day.find_next_siblings("p") if "The day in brief" in p.get_text())
    assert lead.find_next("h3")["id"] == "2022-01-04-1800-a"  # before the day's first event
    note = lead.find_next("div", class_="footnote")
    assert note.find_next("h3")["id"] == "2022-01-04-1800-a"
    assert note.select_one("li")["id"] == "fn:day-2022-01-04--alpha-2022-01-05"


@pytest.mark.parametrize("days, message", [
    ("day-2022-01-09:\n  lead: Text.[^alpha-2022-01-05]\n", "'day-2022-01-09' is not a day of the account"),
    ("day-2022-01-04:\n  lead: Text.[^alpha-2022-01-50]\n",
     "unknown source key [^alpha-2022-01-50] (did you mean 'alpha-2022-01-05'?)"),
    ("day-2022-01-04:\n  lead: Text without a citation.\n", "has no source citation"),
    ("day-2022-01-04:\n  lead: Text.[^alpha-2022-01-05 and more\n", "not closed"),
    ("day-2022-01-04:\n  text: x\n", "unknown field 'text'"),
    ("day-2022-01-04:\n  lead: \"One.\\n\\nTwo.[^alpha-2022-01-05]\"\n", "'lead' must be one line"),
])
def test_a_bad_lead_names_days_yml_and_the_fix(events_dir: Writer, days: str, message: str) -> None:
    folder = events_dir({"2022-01-04-1800-a.md": event(time="18:00"), "days.yml": days})
    with pytest.raises(ChronicleError) as raised:
        load_chronicle(folder)
    problems = [str(p) for p in raised.value.problems]
    assert any("days.yml:" in p and message in p for p in problems), problems
    assert len(problems) == 1 + ("unknown field" in message), problems  # no follow-on error


VARIANTS = ('\nvariants:\n  - {what: time, value: "16:30", source: alpha-2022-01-05, said_on: 2022-01-05}\n'
            '  - {what: time, value: "17:00", source: beta-2022-01-06}\n')


def _with_variants(events_dir: Writer, variants: str, body: str) -> Any:
    text = event(time="16:30", time_precision="approximate", body=body).replace("\n---\n", variants + "---\n", 1)
    return events_dir({"2022-01-05-1630-x.md": text.replace("date: 2022-01-04", "date: 2022-01-05")})


def test_variants_show_who_says_what_and_when_and_the_timeline_gives_the_range(events_dir: Writer) -> None:
    from chronicle.data import render_data
    from chronicle.render import render_timeline

    folder = _with_variants(events_dir, VARIANTS, "At 16:30 by one count.[^alpha-2022-01-05] At 17:00 by another."
                                                  "[^beta-2022-01-06]")
    chronicle = load_chronicle(folder)
    soup = account_html(chronicle)
    caption = soup.select_one("p.chronicle-variants")
    assert caption.get_text() == "Who says what, and when they said it"
    rows = [[td.get_text() for td in tr.select("td")] for tr in caption.find_next("table").select("tbody tr")]
    assert rows == [["time", "16:30", "Alpha News", "5 January 2022"], ["time", "17:00", "Beta Wire", "–"]]
    assert caption.find_next("table").select_one("a[href='sources.md#alpha-2022-01-05']") is not None
    assert "| 16:30–17:00 (sources differ) |" in render_timeline(chronicle, Pages())
    record = json.loads(render_data(chronicle, "account/")["events.json"])["events"][0]
    assert record["variants"][0] == {"what": "time", "value": "16:30", "source": "alpha-2022-01-05",
                                     "said_on": "2022-01-05"}


@pytest.mark.parametrize("variants, message", [
    ('\nvariants:\n  - {what: time, value: "16:30", source: alpha-2022-01-05}\n', "at least two"),
    (VARIANTS.replace("beta-2022-01-06", "gamma-2022-01-07"), "is not in sources.yml"),
    (VARIANTS, "is not cited in the text"),
])
def test_variants_that_do_not_hold_are_refused(events_dir: Writer, variants: str, message: str) -> None:
    folder = _with_variants(events_dir, variants, "At 16:30.[^alpha-2022-01-05]")
    with pytest.raises(ChronicleError) as raised:
        load_chronicle(folder)
    assert any(message in str(p) for p in raised.value.problems), [str(p) for p in raised.value.problems]


PASSAGES = ('\npassages:\n'
            '  - {source: alpha-2022-01-05, quote: "The crowd reached the square at 16:30.", quote_lang: en,'
            ' locator: paragraph 2}\n'
            '  - {source: beta-2022-01-06, quote: "Толпа вышла к площади около 17:00.", quote_lang: ru,'
            ' translation: "The crowd came out to the square at about 17:00.", locator: the 17:05 entry}\n')


def _with_passages(events_dir: Writer, passages: str, body: str) -> Any:
    return events_dir({"2022-01-04-1630-x.md": event(body=body).replace("\n---\n", passages + "---\n", 1)})


def test_a_citation_shows_its_passage_collapsed_in_its_note_and_the_data_carries_it(events_dir: Writer) -> None:
    from chronicle.data import render_data

    folder = _with_passages(events_dir, PASSAGES, "The crowd came at 16:30[^alpha-2022-01-05] or 17:00."
                                                  "[^beta-2022-01-06] Later, more came.[^gamma-note]\n\n"
                                                  "[^gamma-note]: An explanatory note.")
    chronicle = load_chronicle(folder)
    soup = account_html(chronicle)
    note = soup.select_one("li[id='fn:2022-01-04-1630-x--beta-2022-01-06']")
    passage = note.select_one("details.quote.chronicle-passage")
    assert passage is not None and not passage.has_attr("open"), "collapsed on the site"
    assert passage.summary.get_text() == "The source's words (Russian)"
    words = passage.select_one("blockquote p[lang='ru']")
    assert words.get_text() == "Толпа вышла к площади около 17:00."
    assert [p.get_text() for p in passage.find_all("p", recursive=False)] == [
        "In English: The crowd came out to the square at about 17:00.", "Where in the source: the 17:05 entry"]
    english = soup.select_one("li[id='fn:2022-01-04-1630-x--alpha-2022-01-05'] details blockquote p[lang='en']")
    assert english.get_text() == "The crowd reached the square at 16:30."
    assert "In English" not in english.find_parent("details").get_text()
    assert soup.select("details") == [english.find_parent("details"), passage], "the note of our own has none"
    record = json.loads(render_data(chronicle, "account/")["events.json"])["events"][0]
    assert record["citations"] == [
        {"source": "alpha-2022-01-05", "quote": "The crowd reached the square at 16:30.", "quote_lang": "en",
         "translation": None, "locator": "paragraph 2"},
        {"source": "beta-2022-01-06", "quote": "Толпа вышла к площади около 17:00.", "quote_lang": "ru",
         "translation": "The crowd came out to the square at about 17:00.", "locator": "the 17:05 entry"}]


def test_every_citation_is_in_the_data_with_or_without_a_passage(events_dir: Writer) -> None:
    from chronicle.data import render_data

    folder = _with_passages(events_dir, PASSAGES.split("  - {source: beta")[0] + "\n",
                            "One.[^alpha-2022-01-05] Two.[^beta-2022-01-06]")
    record = json.loads(render_data(load_chronicle(folder), "account/")["events.json"])["events"][0]
    assert [c["source"] for c in record["citations"]] == ["alpha-2022-01-05", "beta-2022-01-06"]
    assert record["citations"][1] == {"source": "beta-2022-01-06", "quote": None, "quote_lang": None,
                                      "translation": None, "locator": None}


@pytest.mark.parametrize("passages, message", [
    (PASSAGES, "a passage's source 'beta-2022-01-06' is not cited in the text"),
    (PASSAGES.replace("beta-2022-01-06", "gamma-2022-01-07"),
     "'gamma-2022-01-07' (did you mean 'alpha-2022-01-05'?) is not in sources.yml"),
    (PASSAGES.replace(' translation: "The crowd came out to the square at about 17:00.",', ""),
     "a passage in 'ru' needs a 'translation'"),
    (PASSAGES.replace("quote_lang: en,", "quote_lang: en, translation: x,"), "a passage in English takes no"),
    (PASSAGES.replace("quote_lang: en,", "quote_lang: English,"), "'quote_lang' must be a language code"),
    (PASSAGES.replace(" locator: paragraph 2", ""), "'passages' must be a list of entries like"),
    (PASSAGES.replace("The crowd reached the square at 16:30.", "x" * 501), "has 501 characters"),
    ("\npassages: []\n", "'passages' must be a list of entries like"),
])
def test_passages_that_do_not_hold_are_refused(events_dir: Writer, passages: str, message: str) -> None:
    folder = _with_passages(events_dir, passages, "At 16:30.[^alpha-2022-01-05]")
    with pytest.raises(ChronicleError) as raised:
        load_chronicle(folder)
    problems = [str(p) for p in raised.value.problems]
    assert len(problems) == 1 and message in problems[0] and "2022-01-04-1630-x.md:6:" in problems[0], problems


def test_two_passages_of_one_source_both_stay_in_its_note(events_dir: Writer) -> None:
    second = '  - {source: alpha-2022-01-05, quote: "Later, more came.", quote_lang: en, locator: paragraph 4}\n'
    folder = _with_passages(events_dir, PASSAGES.split("  - {source: beta")[0] + second,
                            "One.[^alpha-2022-01-05] Two.[^beta-2022-01-06]")
    soup = account_html(load_chronicle(folder))
    note = soup.select_one("li[id='fn:2022-01-04-1630-x--alpha-2022-01-05']")
    assert [d.blockquote.get_text(strip=True) for d in note.select("details")] == [
        "The crowd reached the square at 16:30.", "Later, more came."]
    assert not soup.select("pre"), "a second passage is not cut off into a code block"
    assert soup.select_one("li[id='fn:2022-01-04-1630-x--beta-2022-01-06'] details") is None
