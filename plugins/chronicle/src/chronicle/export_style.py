"""The stylesheet of the single-file export: system fonts, readable on a phone, clean in print.

It is a Python string rather than a .css file so that it ships with the package without package data.
The map on the places page is drawn with Material's colour variables; they are defined here too.
"""

STYLESHEET = """
:root {
  color-scheme: light dark;
  --fg: #1d1d1f; --fg-light: #55565a; --bg: #fff; --line: #d6d7db; --tint: #f3f4f8; --accent: #3949ab;
  --observed: #2e7d32; --reported: #1565c0; --official: #8d6e00; --disputed: #c62828;
  --md-code-bg-color: var(--tint); --md-default-fg-color: var(--fg); --md-default-fg-color--lighter: var(--line);
  --md-default-bg-color: var(--bg); --md-primary-fg-color: var(--accent); --md-text-font-family: inherit;
}
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6e6ea; --fg-light: #a9aab0; --bg: #17181c; --line: #3a3b42; --tint: #23252b; --accent: #9fa8ff;
          --observed: #81c784; --reported: #90caf9; --official: #ffd54f; --disputed: #ef9a9a; }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0 auto; padding: 1rem 1rem 4rem; max-width: 44rem; background: var(--bg); color: var(--fg);
  font: 1.0625rem/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
  overflow-wrap: break-word;
}
h1, h2, h3, h4 { line-height: 1.25; margin: 1.6em 0 0.5em; }
h1 { font-size: 1.75rem; }
h2 { font-size: 1.35rem; border-bottom: 1px solid var(--line); padding-bottom: 0.2em; }
h3 { font-size: 1.1rem; }
a { color: var(--accent); }
a:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
p, ul, ol, table, details, .admonition { margin: 0.75em 0; }
hr { border: 0; border-top: 1px solid var(--line); }
.export-header { border-bottom: 2px solid var(--fg); padding-bottom: 0.75rem; }
.export-title { font-size: 1.9rem; font-weight: 700; line-height: 1.2; margin: 0.5rem 0; }
.export-about, .export-footer, .chronicle-meta { color: var(--fg-light); font-size: 0.9rem; }
.export-contents ol { padding-left: 1.25rem; }
.export-contents li ol { font-size: 0.95em; }
.export-page { display: none; }
.export-section { border-top: 1px solid var(--line); margin-top: 2.5rem; }
.export-link-url { color: var(--fg-light); font-size: 0.85em; overflow-wrap: anywhere; }
.chronicle-event { scroll-margin-top: 1rem; border-left: 4px solid var(--line); padding-left: 0.6rem; }
.chronicle-observed { border-color: var(--observed); }
.chronicle-reported { border-color: var(--reported); }
.chronicle-official-claim { border-color: var(--official); }
.chronicle-disputed { border-color: var(--disputed); }
:target { background: var(--tint); }
.admonition, details { border: 1px solid var(--line); border-left: 4px solid var(--disputed); border-radius: 4px;
                       padding: 0.25rem 0.9rem; background: var(--tint); }
.admonition-title, summary { font-weight: 700; margin: 0.4em 0; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
th, td { border-bottom: 1px solid var(--line); padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; }
th { border-bottom-width: 2px; }
sup { font-size: 0.75em; line-height: 0; vertical-align: baseline; position: relative; top: -0.45em; }
.footnote { font-size: 0.9rem; }
.footnote ol { padding-left: 1.75rem; }
.footnote li { margin: 0.35em 0; }
.footnote-backref { text-decoration: none; }
figure { margin: 1rem 0; }
a.chronicle-status { display: inline-block; padding: 0 0.45em; border: 1px solid var(--status);
                     border-left-width: 0.35em; border-radius: 0.2rem; color: var(--fg); font-weight: 700;
                     text-decoration: none; white-space: nowrap; }
.chronicle-status-observed { --status: var(--observed); }
.chronicle-status-reported { --status: var(--reported); }
.chronicle-status-official-claim { --status: var(--official); }
.chronicle-status-disputed { --status: var(--disputed); }
.chronicle-days { font-size: 0.9rem; }
.chronicle-days a, .chronicle-map-days a { white-space: nowrap; }
/* The row of days stays at the top of the screen while the account scrolls: a jump bar, without a script. */
@media screen {
  /* one line, scrolled sideways on a phone, so it hides little of the text */
  /* (as wide as the body with its padding, which the list numbers of the notes hang into) */
  #chronicle-days { position: sticky; top: 0; z-index: 1; margin: 0 -1rem; padding: 0.5rem 1rem;
                    overflow-x: auto; white-space: nowrap; background: var(--bg);
                    border-bottom: 1px solid var(--line); }
  #account h2, #account h3, #account li[id^="fn:"] { scroll-margin-top: 4.5rem; }
}
.chronicle-maps .chronicle-map-view { display: none; }
.chronicle-maps .chronicle-map-view:target, .chronicle-maps:not(:has(.chronicle-map-view:target)) #map-all {
  display: block; }
.chronicle-map-legend { columns: 2 16rem; }
.chronicle-map-legend > li { break-inside: avoid; }
svg { max-width: 100%; height: auto; }
pre { overflow-x: auto; max-width: 100%; }  /* a long command scrolls in its box, not the page */
@media (max-width: 30rem) {
  body { font-size: 1rem; padding: 0.75rem 0.75rem 3rem; }
  #chronicle-days { margin: 0 -0.75rem; padding: 0.5rem 0.75rem; }
  h1 { font-size: 1.5rem; }
  th, td { padding: 0.3rem 0.3rem; }
}
@page {
  size: A4; margin: 18mm 16mm 20mm;
  @bottom-center { content: counter(page) " / " counter(pages); font: 9pt system-ui, "DejaVu Sans", sans-serif;
                   color: #555; }
}
@media print {
  :root { --fg: #000; --fg-light: #333; --bg: #fff; --line: #999; --tint: #fff; --accent: #000; }
  body { max-width: none; padding: 0; font-size: 10.5pt; line-height: 1.45; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
  pre { white-space: pre-wrap; }  /* on paper nothing scrolls: a long command wraps */
  .export-section { border: 0; margin: 0; break-before: page; page-break-before: always; }
  .chronicle-meta, tr, .footnote li, figure { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  .footnote-backref { display: none; }
  /* The contents give the page of each part (export.print_numbered fills them in). */
  .export-page { display: block; float: right; width: 3em; text-align: right; font-variant-numeric: tabular-nums; }
  .export-page-unknown { visibility: hidden; }
  /* On paper a link within the file goes nowhere: the note already names the source and prints its address. */
  .footnote p > a[href^="#sources-"]:not(:first-child) { display: none; }  /* (the phone file's is the name) */
  .chronicle-days, .chronicle-map-days { display: none; }
  .chronicle-maps .chronicle-map-view { display: none; }
  .chronicle-maps #map-all { display: block; }
  .chronicle-status { border-width: 1px; }
  .footnote { font-size: 9.5pt; }
  .table-wrap { overflow: visible; }
  :target { background: none; }
}
"""
