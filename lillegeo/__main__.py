"""``python -m lillegeo``: the command line (:mod:`lillegeo.cli`)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
