"""Bulk issuance from a CSV file (a ward's worth of monitors at once).

The file has a header row with ``device_id`` and optional ``ward`` and
``location`` columns. Each good row is issued in its own transaction; each bad
row is reported with its line number and reason and changes nothing, so a
mistake in row 40 neither blocks rows 1-39 nor leaves half a row behind.
Progress and cancellation are callbacks, so the CLI draws a terminal counter
and the GUI a progress dialog over the same code.

Each row is delivered as :mod:`zmconsole.core.delivery` describes: its files are
written before its certificate counts as issued, and its key is held in the
store until they have their names. A run that was interrupted is resumed by
running the same file again: a row whose device already holds a certificate
this console generated the key of, still held (never delivered), is delivered
now; one whose certificate file is already in the folder was delivered by the
earlier run and is skipped. Neither is refused.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from zmconsole.core import delivery, device_text, exports, issuance, keys, utc
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.errors import Hint, InputError, ZmError
from zmconsole.core.settings import load as load_settings
from zmconsole.core.store import Store

COLUMNS = ("device_id", "ward", "location")
MAX_ROWS = 100_000


@dataclass(frozen=True)
class BulkRow:
    line: int
    device_id: str
    ward: str | None
    location: str | None


@dataclass(frozen=True)
class Rejected:
    line: int
    device_id: str
    reason: str
    hint: Hint | None = None  # what to do, for a front end to say in its own words


@dataclass(frozen=True)
class Resumed:
    """A row an earlier, interrupted run issued: ``delivered`` now (its held key), or found already delivered."""

    line: int
    device_id: str
    serial: str
    delivered: bool


@dataclass
class BulkResult:
    issued: list[tuple[int, issuance.Issued]] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    resumed: list[Resumed] = field(default_factory=list)
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return not self.rejected and not self.cancelled


def _records(reader: Any) -> Iterator[list[str]]:
    """The reader's rows, its own errors (a field over csv's 128 KiB limit, say) refusing the file by line."""
    try:
        yield from reader
    except csv.Error as error:
        raise InputError(f"The CSV file cannot be read at line {reader.line_num} ({error}): a field is too long "
                         "or a quote is not closed. Fix the file; nothing was issued.") from error


def parse(text: str) -> tuple[list[BulkRow], list[Rejected]]:
    """The rows to issue and the rows refused for their shape; a bad header refuses the whole file."""
    reader = csv.reader(io.StringIO(text))
    records = _records(reader)
    try:
        header = [h.strip().lower() for h in next(records)]
    except StopIteration:
        raise InputError("The CSV file is empty: it needs a header row with device_id (and optionally ward, "
                         "location).") from None
    if "device_id" not in header:
        raise InputError(f"The CSV header {','.join(header)!r} has no device_id column: add a header row such as "
                         "device_id,ward,location.")
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise InputError(f"The CSV header has unknown columns {', '.join(unknown)}: use device_id, ward, location.")
    rows: list[BulkRow] = []
    rejected: list[Rejected] = []
    seen: dict[str, int] = {}
    for values in records:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            rejected.append(Rejected(line, values[0].strip() if values else "",
                                     f"it has {len(values)} fields but the header has {len(header)}"))
            continue
        record = {h: v.strip() for h, v in zip(header, values, strict=True)}
        device_id = record["device_id"]
        if not device_id:
            rejected.append(Rejected(line, "", "device_id is empty"))
            continue
        if device_id in seen:
            rejected.append(Rejected(line, device_id, f"{device_id} is listed twice (first on line {seen[device_id]})"))
            continue
        try:
            ward, location = device_text.ward(record.get("ward")), device_text.location(record.get("location"))
        except InputError as error:
            rejected.append(Rejected(line, device_id, str(error)))
            continue
        seen[device_id] = line
        rows.append(BulkRow(line, device_id, ward, location))
        if len(rows) > MAX_ROWS:
            raise InputError(f"The CSV has more than {MAX_ROWS} rows: split it into smaller files.")
    return rows, rejected


def read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise InputError(f"Cannot read the CSV file {path} ({error.strerror}): check the path.") from error
    except UnicodeDecodeError:
        raise InputError(f"The CSV file {path} is not UTF-8 text: save it as CSV (UTF-8).") from None


def issue_rows(
    store: Store,
    ca: UnlockedCa,
    rows: list[BulkRow],
    *,
    out_dir: Path,
    password: str,
    key_type: str = "rsa2048",
    days: int | None = None,
    force: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    now: datetime | None = None,
    actor: str | None = None,
) -> BulkResult:
    """Issue each row with a key generated here, delivered encrypted into ``out_dir``; resume an earlier run."""
    exports.check_key_password(password)
    settings = load_settings(store)
    result = BulkResult()
    for done, row in enumerate(rows, start=1):
        if cancelled is not None and cancelled():
            result.cancelled = True
            break
        try:
            outcome = _resume(store, ca, row, out_dir, password, result, now=now, actor=actor)
            if outcome is None:
                def issue(key: keys.PrivateKey | None, before_commit: Callable[[issuance.Issued], None],
                          row: BulkRow = row) -> issuance.Issued:
                    return issuance.issue_device(store, ca, row.device_id, generate=key, ward=row.ward,
                                                 location=row.location, days=days, hold_key=True, settings=settings,
                                                 now=now, actor=actor, before_commit=before_commit)

                issued, _ = delivery.issue_into(store, ca.chain, out_dir, issue, name=row.device_id,
                                                key_type=key_type, password=password, force=force, actor=actor)
                result.issued.append((row.line, issued))
                outcome = "issued"
        except ZmError as error:
            result.rejected.append(Rejected(row.line, row.device_id, str(error), error.hint))
            outcome = "refused"
        if progress is not None:
            progress(done, len(rows), f"{row.device_id} {outcome}")
    return result


def _resume(store: Store, ca: UnlockedCa, row: BulkRow, out_dir: Path, password: str, result: BulkResult, *,
            now: datetime | None, actor: str | None) -> str | None:
    """What an earlier run left for this row: delivered now, already delivered, or None (issue it)."""
    earlier = delivery.earlier(store, row.device_id, utc.now(now))
    if earlier is None or earlier.ca_id != ca.info.id:
        return None
    if earlier.sealed is not None:
        delivery.deliver_held(store, ca, earlier, out_dir, password=password, actor=actor)
        result.resumed.append(Resumed(row.line, row.device_id, earlier.serial, delivered=True))
        return "delivered (issued by an earlier run)"
    if earlier.delivered_into(out_dir):
        result.resumed.append(Resumed(row.line, row.device_id, earlier.serial, delivered=False))
        return "already delivered by an earlier run"
    return None
