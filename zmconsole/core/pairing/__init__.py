"""Bedside pairing (docs/pairing-protocol.md): the protocol, its state in the store, and both sides of it.

- ``protocol`` and ``bundle``: the pure protocol (QR payload, pairing code, code proof, sealed key; the signed
  bundle); no store and no clock, so the device agent imports them too.
- ``state``: the pairing state machine, the one module that writes pairing rows: an enum of states, a named
  transition per edge, each run in the caller's transaction, and the expiry rules spelled once.
- ``tickets``: the console's side: can a device be paired (and if not why), prepare, follow, cancel.
- ``authorise`` and ``answers``: the provisioning service's side: a device's enrollment or bundle request,
  checked in the protocol's order and answered in one transaction.
- ``refusals``: the protocol's error codes and how refusals reach the audit trail (unauthenticated ones
  summarised); the HTTP status of each code is the service's (``zmconsole.service.refusals``).
- ``signer``: the pairing signer, the key that signs QR payloads and bundles.

This package's ``__init__`` imports nothing, so importing ``protocol`` never drags in the store.
"""
