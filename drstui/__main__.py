"""`python -m drstui`: the same as the `drstui` command."""

import sys

from drstui.cli import main

if __name__ == "__main__":
    sys.exit(main())
