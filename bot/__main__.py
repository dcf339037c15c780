"""`python -m bot`: the `careerbot` command line (see `bot.cli`)."""

import sys

from bot.cli import main

if __name__ == "__main__":
    sys.exit(main())
