"""``python -m vpcpath.cli``: the same entry point as the ``vpcpath`` command."""

from vpcpath.__main__ import main

raise SystemExit(main())
