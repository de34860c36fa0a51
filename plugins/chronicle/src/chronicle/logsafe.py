"""Keep the MkDocs log safe to show in GitHub Actions: every logged message is one plain line.

MkDocs and this plugin log messages that quote contributor text (file names, YAML keys). A logger's filters see
only the records logged on that very logger, not those of its children (`mkdocs.structure.files`,
`mkdocs.plugins.chronicle`), so the filter goes on the handlers that print the `mkdocs` log: its own (the
`mkdocs` command's stream handler), those of the loggers it propagates to (pytest's caplog and report handlers
on the root logger), and Python's last-resort handler, which prints when there is no handler at all.
"""

from __future__ import annotations

import logging

from .problems import plain_line

_FORMATTER = logging.Formatter()


class PlainLines(logging.Filter):
    """Rewrites each record's final message with `plain_line`; tracebacks keep their lines, each made plain."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = plain_line(record.getMessage())
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = _FORMATTER.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = _plain_lines(record.exc_text)
        if record.stack_info:
            record.stack_info = _plain_lines(record.stack_info)
        return True


FILTER = PlainLines()


def install(name: str = "mkdocs") -> None:
    """Put the filter on every handler that prints what the `name` logger and its children log; idempotent."""
    logger: logging.Logger | None = logging.getLogger(name)
    handlers: list[logging.Handler] = []
    while logger is not None:
        handlers += logger.handlers
        logger = logger.parent if logger.propagate else None
    if logging.lastResort is not None:
        handlers.append(logging.lastResort)
    for handler in handlers:
        if FILTER not in handler.filters:
            handler.addFilter(FILTER)


def _plain_lines(text: str) -> str:
    return "\n".join(plain_line(line) for line in text.split("\n"))
