"""`python -m launchpad` is the `launchpad` console script."""

from launchpad.cli import main

raise SystemExit(main())
