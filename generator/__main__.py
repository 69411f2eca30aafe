"""`python -m generator` is the `disclose` command."""

from .cli import main

raise SystemExit(main())
