"""The plugin's options, typed and documented (`plugins: - chronicle: ...` in mkdocs.yml)."""

from __future__ import annotations

import datetime as dt

from mkdocs.config import base
from mkdocs.config import config_options as c

from .editions import LANGUAGES, SOURCE_LANGUAGE


class ChronicleConfig(base.Config):  # type: ignore[no-untyped-call]
    """Options of the `chronicle` plugin."""

    events_dir = c.Dir(exists=True, default="events")
    """Folder of event files and the `sources.yml` and `places.yml` registries (next to mkdocs.yml)."""

    account_page = c.Type(str, default="account.md")
    """Path, within the docs, of the generated long-form account."""

    language = c.Choice(LANGUAGES, default=SOURCE_LANGUAGE)
    """The edition this build makes: `en` (the English, from events/*.md), or `ru` or `kk`, from each event's
    translation in events/<language>/ (the English, with a notice, where there is none) and the hand-written pages
    of docs/<language>/ in place of docs/ (the same, for pages without one). Every edition has the same pages at
    the same paths."""

    account_title = c.Type(str, default="The account")
    """Heading of the account page."""

    account_intro = c.Type(str, default="")
    """Markdown shown under the account's heading, before the status legend (e.g. a content note)."""

    timeline_page = c.Type(str, default="timeline.md")
    """Path of the generated timeline."""

    sources_page = c.Type(str, default="sources.md")
    """Path of the generated list of sources."""

    places_page = c.Type(str, default="places.md")
    """Path of the generated list of places."""

    corrections_page = c.Type(str, default="corrections.md")
    """Path of the generated corrections log."""

    data_dir = c.Type(str, default="data")
    """Folder, within the site, of the machine-readable exports (events.json, sources.json, events.csv)."""

    period_start = c.Optional(c.Type(dt.date))
    """First day of the account; earlier events must be marked `kind: context`."""

    period_end = c.Optional(c.Type(dt.date))
    """Last day of the account; later events must be marked `kind: aftermath`."""

    require_citations = c.Type(bool, default=True)
    """Fail on an event paragraph that cites no source."""

    require_captures = c.Type(bool, default=False)
    """Fail on a cited source with no archived copy that is not marked unavailable (for releases); otherwise the
    build notes how many there are."""

    base_ref = c.Type(str, default="")
    """A git ref (a pull request's base, e.g. origin/main) whose `sources.yml` lists the sources already
    published: a new source must then have a capture or say `archive_status: pending`. The environment variable
    CHRONICLE_BASE_REF sets it for one run (the pull-request workflow does)."""

    account_split = c.Type(int, default=0)
    """Above this many events, the account is one page per day (`account/YYYY-MM-DD.md`), the account page their
    index: Material's search is quadratic in the sections of one page. 0 (the default): always one page. A site
    with a `nav` lists the day pages under the account."""
