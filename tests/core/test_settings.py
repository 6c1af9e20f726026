"""The settings table (issue 7 item 5) and the values it refuses (issue 8 item 12).

One table describes every setting; validation, ``zmconsole config`` and the Settings page iterate it. A value
that would break the next certificate or CRL is refused when it is set, with the reason, and the store is
left as it was.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from cryptography import x509

from tests.support import storestate
from zmconsole.core import ca, issuance, settings
from zmconsole.core.errors import InputError
from zmconsole.core.store import Store


def test_the_table_describes_every_setting_once() -> None:
    names = [f.name for f in dataclasses.fields(settings.Settings)]
    assert [item.name for item in settings.FIELDS] == names
    defaults = settings.Settings()
    for item in settings.FIELDS:
        default = getattr(defaults, item.name)
        assert type(default) is item.kind, item.name
        assert item.label and item.help and item.group in settings.Group
        if item.kind is int:
            assert item.minimum is not None and item.maximum is not None
            assert item.minimum <= default <= item.maximum, item.name
        assert item.coerce(default) == default, item.name  # every default passes its own check
    assert settings.field("pairing-ttl-seconds").maximum == 24 * 3600


def test_canonical_forms_are_stored(store: Store) -> None:
    updated = settings.set_value(store, "crl-url", " HTTP://PKI.Hospital.Example:8080/zm.crl ")
    assert updated.crl_url == "http://pki.hospital.example:8080/zm.crl"
    assert settings.set_value(store, "ocsp-url", "http://[2001:DB8::1]/ocsp").ocsp_url == "http://[2001:db8::1]/ocsp"
    assert settings.set_value(store, "device-dns-domain", "Devices.Hospital.Example.").device_dns_domain == \
        "devices.hospital.example"
    assert settings.set_value(store, "crl-next-update-hours", "72").crl_next_update_hours == 72
    assert settings.load(store).crl_url == "http://pki.hospital.example:8080/zm.crl"
    assert settings.set_value(store, "crl-url", "").crl_url == ""  # unset again


BAD_VALUES = [
    # issue 8 item 12, as found
    ("crl-url", "http://a b/crl", ["crl-url", "not a valid URL", "'a b'", "http://pki.hospital.example/crl"]),
    ("device-dns-domain", "bad domain", ["device-dns-domain", "not a valid DNS name", "'bad domain'"]),
    ("device-dns-domain", "", ["device-dns-domain is empty"]),
    ("device-dns-domain", "   ", ["device-dns-domain is empty"]),
    ("crl-next-update-hours", "100000000000", ["crl-next-update-hours", "at most 8,760 hours"]),
    ("crl-url", "http://pki.hospital.example/crl-ä", ["percent-encode"]),
    ("ocsp-url", "http://ocsp.hospital.example/ocsp\x1b[2J", ["percent-encode"]),
    # and their neighbours
    ("crl-url", "ftp://pki.example/x.crl", ["http or https URL"]),
    ("crl-url", "http:///crl", ["no host name"]),
    ("crl-url", "http://pki.example:99999/crl", ["invalid port", "1 to 65535"]),
    ("crl-url", "http://admin:secret@pki.example/crl", ["user information"]),
    ("crl-url", "http://pki.example/crl#top", ["fragment"]),
    ("crl-url", "http://10.0.0.999/crl", ["invalid IPv4 address"]),
    ("ca-issuers-url", "http://-pki.example/ca.crt", ["not a valid URL"]),
    ("provisioning-url", "http://prov.hospital.example", ["https"]),
    ("provisioning-url", "https://prov.hospital.example/est", ["https://host[:port]/"]),
    ("device-dns-domain", "a..example", ["not a valid DNS name"]),
    ("device-dns-domain", "x" * 64 + ".example", ["not a valid DNS name"]),
    ("device-dns-domain", ".".join(["abcdefghij"] * 18), ["too long", "at most 189"]),
    ("device-dns-domain", "xn--a.example", ["not a valid internationalised name"]),
    ("device-days", "0", ["greater than zero"]),
    ("device-days", "3651", ["at most 3,650 days"]),
    ("device-days", "1e3", ["whole number"]),
    ("server-days", "-5", ["whole number"]),
    ("threshold-soon", "120", ["fall from warn to urgent"]),
    ("threshold-warn", "99999", ["at most 3,650 days"]),
    ("idle-lock-minutes", "2000", ["at most 1,440 minutes"]),
    ("pairing-ttl-seconds", "86401", ["pairing-ttl-seconds", "at most 86,400 seconds"]),
    ("pairing-ttl-seconds", "5", ["at least 60"]),
    ("device-id-pattern", "ZM-[", ["not a valid regular expression"]),
    ("device-id-pattern", "", ["device-id-pattern is empty"]),
    ("crl-publish-dir", "/srv/\x00www", ["printable"]),
    ("no-such-setting", "1", ["no setting called"]),
]


@pytest.mark.parametrize(("key", "value", "words"), BAD_VALUES, ids=[f"{k}={v!r}"[:60] for k, v, _ in BAD_VALUES])
def test_bad_values_are_refused_with_the_reason(key: str, value: str, words: list[str], store: Store,
                                                home: Path) -> None:
    settings.set_value(store, "crl-url", "http://pki.hospital.example/crl")
    before, actions = storestate.snapshot(home), storestate.audit_actions(home)
    with pytest.raises(InputError) as raised:
        settings.set_value(store, key, value)
    message = str(raised.value)
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"
    assert storestate.snapshot(home) == before and storestate.audit_actions(home) == actions


def test_an_internationalised_name_reaches_certificates_in_ascii(store: Store, unlocked: ca.UnlockedCa) -> None:
    """A non-ASCII host name or domain used to make every later issuance an internal error."""
    settings.set_value(store, "crl-url", "http://bücher.example/crl")
    settings.set_value(store, "device-dns-domain", "Geräte.Klinik.example")
    issued = issuance.issue_device(store, unlocked, "ZM-970", generate="ec-p256")
    cert = issued.certificate
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["zm-970.xn--gerte-ira.klinik.example"]
    [point] = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    assert point.full_name is not None
    assert [name.value for name in point.full_name] == ["http://xn--bcher-kva.example/crl"]


def test_each_change_is_audited_with_its_old_and_new_value(store: Store) -> None:
    from zmconsole.core import audit

    settings.set_value(store, "threshold-urgent", "5")
    settings.save(store, settings.validate(settings.load(store), crl_url="http://pki.hospital.example/zm.crl",
                                           threshold_urgent=5))
    entries = audit.entries(store, action_prefix="settings.changed")
    assert sorted((e.details for e in entries), key=lambda d: next(iter(d))) == [
        {"crl-url": {"old": settings.Settings().crl_url, "new": "http://pki.hospital.example/zm.crl"}},
        {"threshold-urgent": {"old": 7, "new": 5}},
    ]
