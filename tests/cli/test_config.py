"""`zmconsole config`: the settings table's keys, values refused at `config set` with the reason (issue 8 item 12)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_errors import refused
from tests.support import cli
from zmconsole.core import settings


def test_config_get_lists_every_setting_of_the_table(ca_home: Path) -> None:
    values = json.loads(cli.ok(ca_home, "config", "get", "--json").stdout)
    assert list(values) == [item.key for item in settings.FIELDS]
    assert values["pairing-ttl-seconds"] == 1800
    helped = cli.ok(ca_home, "config", "set", "--help").stdout
    for item in settings.FIELDS:
        assert item.key in helped
    assert "60 to 86400 seconds" in " ".join(helped.split())


@pytest.mark.parametrize(("key", "value", "words"), [
    ("crl-url", "http://a b/crl", ["crl-url", "not a valid URL", "'a b'"]),
    ("device-dns-domain", "bad domain", ["device-dns-domain", "not a valid DNS name"]),
    ("device-dns-domain", "", ["device-dns-domain is empty"]),
    ("crl-url", "http://pki.hospital.example/ä", ["percent-encode"]),
    ("crl-next-update-hours", "100000000000", ["at most 8,760 hours"]),
    ("pairing-ttl-seconds", "86401", ["at most 86,400 seconds"]),
])
def test_config_set_refuses_a_bad_value(key: str, value: str, words: list[str], ca_home: Path) -> None:
    refused(ca_home, "config", "set", key, value, words=words)


def test_config_set_stores_the_canonical_form(ca_home: Path) -> None:
    result = cli.ok(ca_home, "config", "set", "crl-url", "HTTP://Bücher.Example/crl")
    assert result.stdout.strip() == "crl-url = http://xn--bcher-kva.example/crl"
    assert cli.ok(ca_home, "config", "get", "crl-url").stdout.strip() == "http://xn--bcher-kva.example/crl"
