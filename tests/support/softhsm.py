"""A throw-away SoftHSM2 token for a test: its own config and token directory under ``tmp_path``.

``softhsm`` (the fixture) points ``SOFTHSM2_CONF`` at a fresh config, initialises one token labelled
:data:`LABEL` with user PIN :data:`PIN`, and gives the environment for ``zmconsole`` processes. Tests change
the token from outside the code under test: ``pkcs11-tool`` (OpenSC) deletes objects and lists their
attributes, ``softhsm2-util`` makes tokens, and removing a token is deleting its directory, which SoftHSM2
notices at the next operation as a real token's removal is noticed (the object handles stop being valid).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

MODULE = "/usr/lib/softhsm/libsofthsm2.so"
LABEL = "zm-ca"
PIN = "pin-314159"  # letters: a PIN found in a hex column would be a real leak, not chance
SO_PIN = "27182818"


@dataclass
class SoftHsm:
    root: Path
    conf: Path
    module: str = MODULE

    @property
    def tokens(self) -> Path:
        return self.root / "tokens"

    def env(self) -> dict[str, str]:
        """What a ``zmconsole`` process needs to see this token (the PIN is given separately)."""
        return {"SOFTHSM2_CONF": str(self.conf)}

    def init_token(self, label: str, pin: str = PIN) -> None:
        subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", label, "--pin", pin,
                        "--so-pin", SO_PIN], check=True, capture_output=True, env={**os.environ, **self.env()})

    def remove_tokens(self) -> None:
        """Pull every token out: its files are gone, as a USB token's are when it is unplugged."""
        for path in self.tokens.iterdir():
            shutil.rmtree(path)

    def pkcs11_tool(self, *args: str, label: str = LABEL, pin: str = PIN) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["pkcs11-tool", "--module", self.module, "--token-label", label, "--login",
                               "--pin", pin, *args], capture_output=True, text=True, check=False,
                              env={**os.environ, **self.env()})

    def objects(self, label: str = LABEL) -> str:
        listed = self.pkcs11_tool("--list-objects", label=label)
        assert listed.returncode == 0, listed.stderr
        return listed.stdout

    def delete(self, key_id: str, kind: str = "privkey", label: str = LABEL) -> None:
        deleted = self.pkcs11_tool("--delete-object", "--type", kind, "--id", key_id, label=label)
        assert deleted.returncode == 0, deleted.stderr


def available() -> str | None:
    """Why SoftHSM2 tests cannot run here, or None."""
    import importlib.util

    if not Path(MODULE).exists() or shutil.which("softhsm2-util") is None:
        return "SoftHSM2 is not installed (scripts/setup.sh --test installs it)"
    if shutil.which("pkcs11-tool") is None:
        return "OpenSC's pkcs11-tool is not installed (scripts/setup.sh --test installs it)"
    if importlib.util.find_spec("pkcs11") is None:
        return "python-pkcs11 is not installed (pip install 'zmconsole[pkcs11]')"
    return None


def _forget_sessions() -> None:
    """Log out of every token this process opened, so the next test's token is looked up afresh."""
    import pkcs11

    from zmconsole.core import token_keys

    token_keys._sessions.clear()
    library = pkcs11.lib(MODULE)
    library.finalize()  # closes every session; the next use initialises again and reads SOFTHSM2_CONF


@pytest.fixture
def softhsm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SoftHsm]:
    missing = available()
    if missing is not None:
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    root = tmp_path / "softhsm"
    (root / "tokens").mkdir(parents=True)
    conf = root / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {root / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    hsm = SoftHsm(root, conf)
    hsm.init_token(LABEL)
    _forget_sessions()
    yield hsm
    _forget_sessions()
