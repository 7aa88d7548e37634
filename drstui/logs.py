"""The log file and secret redaction.

drstui logs only to a rotated file (never the terminal: it would draw over the TUI), and every
line goes through `redact`, which removes registered secrets (SK, passwords, tokens) and
well-known credential patterns (Authorization headers, tokens, signatures, "password" fields).
Other layers call `redact` for error messages, notifications and crash reports too.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import re
import threading
import traceback
import urllib.parse
from datetime import datetime, timezone
from pathlib import Path

import platformdirs

from drstui.private_files import private_dir, write_private_text
from drstui.text import visible

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
HANDLER_NAME = "drstui-file"
MASK = "***"
# Shorter values are not registered: masking every "ab" would garble the log for no safety.
MIN_SECRET_LENGTH = 4

_lock = threading.Lock()
_secrets: set[str] = set()
_secrets_re: re.Pattern[str] | None = None

_HEADER_NAMES = r"authorization|x-auth-token|x-subject-token|x-security-token|proxy-authorization"
_FIELD_NAMES = (r"password|passwd|sk|secret|secret_key|security_token|securitytoken"
                r"|access_token|auth_token|id_token")
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # `Authorization: SDK-HMAC-SHA256 ...` in text, `'X-Auth-Token': '...'` in a dict repr.
    (re.compile(rf"""(?i)\b({_HEADER_NAMES})(["']?\s*[:=]\s*["']?)[^"'\r\n]+"""), r"\1\2" + MASK),
    (re.compile(r"""(?i)\b(signature=)[^\s,;&"']+"""), r"\1" + MASK),
    # "password": "..." (JSON, with escaped quotes) and 'password': '...' (Python repr).
    (re.compile(rf"""(?i)(["']?\b(?:{_FIELD_NAMES})["']?\s*[:=]\s*)"(?:[^"\\]|\\.)*\""""),
     r'\1"' + MASK + '"'),
    (re.compile(rf"""(?i)(["']?\b(?:{_FIELD_NAMES})["']?\s*[:=]\s*)'(?:[^'\\]|\\.)*'"""),
     r"\1'" + MASK + "'"),
    # password=... in query strings and key=value text.
    (re.compile(rf"""(?i)\b((?:{_FIELD_NAMES})=)[^\s&,;"']+"""), r"\1" + MASK),
    # https://user:password@host
    (re.compile(r"(://)[^/\s:@]+:[^/\s@]+@"), r"\1" + MASK + "@"),
)


def register_secret(value: str | None) -> None:
    """Mask `value` (and its JSON- and URL-escaped forms) in everything `redact` sees."""
    global _secrets_re
    if not isinstance(value, str) or len(value) < MIN_SECRET_LENGTH:
        return
    # errors="surrogateescape": a value from an environment variable that is not UTF-8 still
    # gets its URL-escaped forms (as the bytes it came from) instead of raising.
    variants = {value, json.dumps(value)[1:-1],
                urllib.parse.quote(value, safe="", errors="surrogateescape"),
                urllib.parse.quote_plus(value, errors="surrogateescape")}
    with _lock:
        if variants <= _secrets:
            return
        _secrets.update(variants)
        # Longest first, so a secret that contains another is masked whole.
        ordered = sorted(_secrets, key=len, reverse=True)
        _secrets_re = re.compile("|".join(re.escape(s) for s in ordered))


def clear_secrets() -> None:
    """Forget all registered secrets (for tests)."""
    global _secrets_re
    with _lock:
        _secrets.clear()
        _secrets_re = None


def redact(text: object) -> str:
    """`text` with registered secrets and credential patterns replaced by ***."""
    text = text if isinstance(text, str) else str(text)
    pattern = _secrets_re
    if pattern is not None:
        text = pattern.sub(MASK, text)
    for regex, replacement in _PATTERNS:
        text = regex.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Render each record's message with its args, redacted, before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the record
            message = f"{record.msg!r} {record.args!r}"
        record.msg = redact(message)
        record.args = None
        return True


class RedactingFormatter(logging.Formatter):
    """Redacts the whole formatted line, tracebacks included."""

    def format(self, record: logging.LogRecord) -> str:
        # The rotating handler formats each record twice (to measure it, then to write it):
        # the second time reuses the first line (the redaction is most of a record's cost).
        done = record.__dict__.get("_drstui_line")
        if done is not None and done[0] is self:
            return done[1]
        # Names and answers from the API end up in log lines: `less` or `tail` must not obey
        # their escapes (tracebacks keep their line breaks).
        line = visible(redact(super().format(record)), newlines=True)
        record.__dict__["_drstui_line"] = (self, line)
        return line


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A RotatingFileHandler whose files are created readable by the owner only (0600)."""

    def _open(self):  # type: ignore[override]
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)


def default_log_file() -> Path:
    return Path(platformdirs.user_log_dir("drstui")) / "drstui.log"


def setup_logging(
    log_file: str | Path | None = None,
    *,
    level: int = logging.INFO,
    max_bytes: int = 1_000_000,
    backup_count: int = 3,
) -> logging.Handler:
    """Send all logging to a rotated, redacted file, and nothing to the terminal.

    Calling it again replaces the previous drstui handler. Raises OSError if the file cannot
    be opened; the caller decides whether that is fatal.
    """
    path = Path(log_file) if log_file else default_log_file()
    shutdown_logging()
    root = logging.getLogger()
    # Until the file is open, make sure logging's last-resort stderr output stays silent.
    root.addHandler(_null_handler())
    private_dir(path.parent)
    handler = PrivateRotatingFileHandler(
        path, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8"
    )
    handler.set_name(HANDLER_NAME)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(RedactingFormatter(LOG_FORMAT))
    _remove_ours(root)
    root.addHandler(handler)
    root.setLevel(level)
    # warnings.warn() would otherwise print to stderr, over the TUI.
    logging.captureWarnings(True)
    # httpx logs every request at INFO with its full URL: drstui writes its own line per request
    # (method, path, status, timing), so that one would only double the log and its cost.
    for noisy in ("httpx", "httpcore", "hpack", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return handler


def shutdown_logging() -> None:
    """Remove and close the handler `setup_logging` installed."""
    _remove_ours(logging.getLogger())
    logging.captureWarnings(False)


def _null_handler() -> logging.Handler:
    handler = logging.NullHandler()
    handler.set_name(HANDLER_NAME)
    return handler


def _remove_ours(logger: logging.Logger) -> None:
    for handler in list(logger.handlers):
        if handler.get_name() == HANDLER_NAME:
            logger.removeHandler(handler)
            handler.close()


def _log_directory() -> Path:
    for handler in logging.getLogger().handlers:
        if handler.get_name() == HANDLER_NAME and isinstance(handler, logging.FileHandler):
            return Path(handler.baseFilename).parent
    return default_log_file().parent


def write_crash_report(error: BaseException, *, directory: str | Path | None = None,
                       when: datetime | None = None) -> Path | None:
    """Write `error`'s traceback (no local variables: they hold answers and secrets), redacted
    and with controls made visible, to a private file beside the log; its path, or None if it
    could not be written. The log file gets the same traceback."""
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    report = visible(redact(text), newlines=True)
    logging.getLogger("drstui").error("crash: %s", report)
    stamp = (when or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%S%fZ")
    try:
        folder = private_dir(Path(directory) if directory is not None else _log_directory())
        path = folder / f"crash-{stamp}.txt"
        write_private_text(path, report)
    except OSError:
        return None
    return path


def crash_summary(error: BaseException, report: Path | None, limit: int = 200) -> str:
    """The few lines a crash prints on the terminal instead of a traceback."""
    what = " ".join(visible(redact(f"{type(error).__name__}: {error}")).split())
    if len(what) > limit:
        what = what[: limit - 1] + "…"
    where = f"a redacted crash report is in {report}" if report else "details are in the log file"
    return f"drstui crashed: {what}\n{where}"
