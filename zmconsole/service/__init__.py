"""The provisioning service behind ``zmconsole serve`` (docs/pairing-protocol.md section 7).

``http`` reads and writes HTTP/1.1 on asyncio streams with hard limits; ``app`` maps requests to the core
(``pairing.answers``, ``pairing.signer``, ``crl_policy``, ``ocsp``); ``tls`` holds the service's own certificate
(``core.service_identity``) in an SSL context; ``runner`` puts the two listeners together, in the foreground
(the CLI) or on a background thread (a console that starts and stops the service). No Qt here, and no
store tables: the service asks the core, never the database.
"""
