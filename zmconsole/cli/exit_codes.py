"""Exit statuses the command line promises to scripts and monitoring, in one place the parser can import."""

from __future__ import annotations

# The monitoring-plugin convention (Nagios, Icinga) that check-expiry follows.
EXIT_OK, EXIT_WARNING, EXIT_CRITICAL, EXIT_UNKNOWN = 0, 1, 2, 3
EXIT_BUG = 70  # EX_SOFTWARE: an internal error, logged to the data directory
