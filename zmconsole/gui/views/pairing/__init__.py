"""The "Pair a device" page: the front door for bedside staff (docs/pairing-protocol.md sections 1-2).

Split by what each part knows:

- :mod:`.form` — the request: device ID (a barcode scanner types it and presses Enter), who makes the key, ward;
  the ID is checked off the GUI thread by one core answer to "can this device be paired, and if not why".
- :mod:`.ticket_view` — the pairing on screen: a large QR code, the 8-digit code, the countdown, the live status,
  and what to do next.
- :mod:`.follower` — reads the pairing's state from the store once a second in the worker pool, since the
  provisioning service (another thread or process) is what changes it.
- :mod:`.page` — :class:`PairingPage` joins them, holds the one :class:`~zmconsole.core.pairing.tickets.Ticket`
  (the only copy of the QR text and the code), and shows the provisioning service strip; the service itself
  belongs to the main window.
"""

from zmconsole.gui.views.pairing.common import PairingRequest, countdown_text, short_fingerprint
from zmconsole.gui.views.pairing.page import PairingPage

__all__ = ["PairingPage", "PairingRequest", "countdown_text", "short_fingerprint"]
