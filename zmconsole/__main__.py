"""``python -m zmconsole`` is the ``zmconsole`` command."""

import sys

from zmconsole.cli.main import main

sys.exit(main())
