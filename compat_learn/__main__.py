"""``python -m compat_learn run|check ...``: the same as the ``compat-learn`` command."""
import sys

from compat_learn.cli import main

if __name__ == "__main__":
    sys.exit(main())
