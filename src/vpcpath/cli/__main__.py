"""``python -m vpcpath.cli``."""

from vpcpath.cli import main

raise SystemExit(main())
