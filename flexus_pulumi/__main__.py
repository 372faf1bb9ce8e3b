"""``python -m flexus_pulumi`` runs the ``flexus-pulumi`` command."""

import sys

from flexus_pulumi.cli import main

sys.exit(main())
