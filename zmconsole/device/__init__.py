"""The reference device agent ``zmdevice``: what a Z Monitor does to pair, keep and prove its identity.

Written to be read and ported by a device firmware team (docs/pairing-protocol.md is the contract), and run
by tests and IT staff as a simulator of a monitor. A device has no console store, no GUI and no CA, so this
package imports only the pure parts of ``zmconsole.core`` (pairing.protocol, keys, errors): never
``zmconsole.core.store``, ``zmconsole.cli``, ``zmconsole.service``, ``zmconsole.gui`` or PySide6.

Modules, in the order a device uses them:

* ``enroll``: scan (``qr``), pin the provisioning server (``tls``), check the signer and the payload,
  prove the pairing code, receive and check the certificate (``trust``), install (``keystore``);
* ``keystore``: the encrypted on-disk identity (docs/pairing-protocol.md §9);
* ``revocation_cache``: the CRL from the certificate's distribution point, cached up to 48 h;
* ``smoke``: the mTLS smoke test and the diagnosis of a refusal;
* ``troubleshooting``: the seed's troubleshooting wording (DOC-PROC-023 §9) and the one error type;
* ``cli``: the ``zmdevice`` command.
"""
