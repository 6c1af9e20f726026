"""zmconsole: the provisioning console and platform CA for Z Monitor bedside monitors."""

__version__ = "0.1.0"
