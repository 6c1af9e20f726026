"""The command line imports only what the command needs (issue 11, monitoring speed): ``zmconsole --help`` and
the daily ``check-expiry`` load no Qt, no qrcode or Pillow and no pairing code; ``--help`` not even the store.

Checked in a fresh interpreter, by what is in ``sys.modules`` once the command has run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import cli, postgres

NEVER = ("PySide6", "shiboken6", "qrcode", "PIL", "zmconsole.gui", "zmconsole.core.pairing",
         "zmconsole.core.qrcodes",
         "zmconsole.service.runner")


def loaded_after(*argv: str) -> tuple[int, str, list[str]]:
    program = (
        "import json, sys\n"
        "from zmconsole.cli.main import main\n"
        "try:\n"
        "    code = main(sys.argv[1:])\n"
        "except SystemExit as stop:\n"
        "    code = stop.code\n"
        "sys.stdout.flush()\n"
        "print('\\nMODULES ' + json.dumps(sorted(sys.modules)))\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run([sys.executable, "-c", program, *argv], capture_output=True, text=True, timeout=120,
                          check=False, env=cli.environment(passphrase=None), stdin=subprocess.DEVNULL)
    output, _, modules = done.stdout.rpartition("\nMODULES ")
    return done.returncode, output, json.loads(modules)


def offenders(modules: list[str], names: tuple[str, ...]) -> list[str]:
    return [m for m in modules if any(m == n or m.startswith(n + ".") for n in names)]


def test_help_imports_no_core_code() -> None:
    code, output, modules = loaded_after("--help")
    assert code == 0 and "check-expiry" in output
    assert offenders(modules, NEVER) == []
    assert offenders(modules, ("sqlalchemy", "cryptography", "alembic", "zmconsole.core.store",
                               "zmconsole.cli.commands")) == []
    # It builds no command's own options either, so it loads none of their modules, nor what only a running
    # command needs (the context, logging).
    assert offenders(modules, ("zmconsole.cli.context", "zmconsole.cli.pairing_commands",
                               "zmconsole.cli.serve_command", "zmconsole.cli.store_commands", "zmconsole.service",
                               "logging")) == []


@pytest.mark.parametrize("extra", [(), ("--json",)])
def test_check_expiry_imports_no_qt_qr_or_pairing_code(ca_home: Path, extra: tuple[str, ...]) -> None:
    code, output, modules = loaded_after("--home", str(ca_home), "check-expiry", *extra)
    assert code == 0, output
    assert offenders(modules, NEVER) == []
    # Nor the CA, issuance or migration code, and no cryptography while the CA is far from its expiry; on the
    # embedded SQLite store not even SQLAlchemy (its import alone costs more than the check itself).
    assert offenders(modules, ("zmconsole.core.ca", "zmconsole.core.issuance", "zmconsole.cli.commands",
                               "alembic", "cryptography")) == []
    if not postgres.wanted():
        assert offenders(modules, ("sqlalchemy", "zmconsole.core.schema", "zmconsole.core.inventory")) == []


def test_every_command_still_finds_its_handler() -> None:
    """The parser names handlers by "module:function"; each resolves to a function of that module."""
    import argparse
    import importlib

    from zmconsole.cli.main import build_parser

    def handlers(parser: argparse.ArgumentParser) -> list[str]:
        found = [parser.get_default("handler")] if parser.get_default("handler") else []
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    found += handlers(sub)
        return found

    named = handlers(build_parser())
    assert len(named) >= 20
    for target in named:
        module, _, function = target.partition(":")
        assert callable(getattr(importlib.import_module(f"zmconsole.cli.{module}"), function)), target


def test_the_choices_are_the_cores() -> None:
    """The parser offers the vocabularies from zmconsole.core.names; the code acting on them agrees."""
    from zmconsole.core import names, revocation

    assert tuple(revocation.REASONS) == names.REVOCATION_REASONS
