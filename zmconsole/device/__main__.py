"""``python -m zmconsole.device`` is the ``zmdevice`` command."""

import sys

from zmconsole.device.cli import main

sys.exit(main())
