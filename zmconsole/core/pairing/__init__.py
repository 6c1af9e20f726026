"""Bedside pairing (docs/pairing-protocol.md): the protocol, its state in the store, and both sides of it.

- ``protocol``: the pure protocol (QR payload, pairing code, code proof, sealed key, bundle); no store, so the
  device agent imports it too.
- ``signer``: the pairing signer, the key that signs QR payloads and bundles.
- ``tickets``: the console's side: prepare a pairing, follow it, cancel it.
- ``answers``: the provisioning service's side: answer a device's enrollment or bundle request.

This package's ``__init__`` imports nothing, so importing ``protocol`` never drags in the store.
"""
