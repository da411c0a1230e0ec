"""`python -m parthenon` runs the `parthenon` command."""
import sys

from .cli import main

sys.exit(main())
