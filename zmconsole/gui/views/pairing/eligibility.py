"""The one question the form asks before anything is signed: can this device be paired, and if not, why.

:func:`ask` runs in the worker pool (it reads the store) and passes the typed ID to the core's answer,
:func:`zmconsole.core.pairing.tickets.can_pair` (the rule ``prepare`` and ``device pair`` use too); the form words
the answer for people at the console, with no regular expression and no command-line key on screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from zmconsole.core.errors import ZmError
from zmconsole.core.pairing import tickets
from zmconsole.core.settings import Settings
from zmconsole.core.store import Store


@dataclass(frozen=True)
class Answer:
    typed: str  # what was in the field
    eligibility: tickets.Eligibility | None  # None: the field is empty
    error: ZmError | None = None  # the store could not answer

    @property
    def device_id(self) -> str:
        """The ID to pair (normalised: ``zm-7`` becomes ``ZM-7`` when the site's IDs are upper case)."""
        return self.eligibility.device_id if self.eligibility is not None else ""

    @property
    def ready(self) -> bool:
        return self.eligibility is not None and self.eligibility.allowed


def normalised(text: str, settings: Settings) -> str:
    """The typed ID, or its upper-case form when only that matches the site pattern (scanners and people type
    ``zm-7`` for ``ZM-7``)."""
    text = text.strip()
    pattern = settings.device_id_pattern
    if re.fullmatch(pattern, text) is None and re.fullmatch(pattern, text.upper()) is not None:
        return text.upper()
    return text


def ask(store: Store, settings: Settings, typed: str, now: datetime) -> Answer:
    """Whether ``typed`` can be paired now (reads the store: call it from a worker)."""
    device_id = normalised(typed, settings)
    if not device_id:
        return Answer(typed, None)
    try:
        return Answer(typed, tickets.can_pair(store, device_id, settings=settings, now=now))
    except ZmError as error:  # busy, locked or damaged store
        return Answer(typed, None, error)
