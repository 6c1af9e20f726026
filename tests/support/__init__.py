"""Test helpers shared by the core, CLI and (later) pairing tests: referees, a TLS server, store snapshots."""
