"""Runs a command with gcc's AddressSanitizer and UBSan runtimes preloaded.

``tox -e sanitize`` builds the compiled scanner with ``-fsanitize=address,undefined``
(tox.ini). Python itself is not instrumented, so the ASan runtime must be the first
library of the process, which only LD_PRELOAD achieves; tox cannot compute a value
with a command, hence this launcher::

    python tests/_sanitizer.py pytest ARGS...

It fails with the fix when gcc has no sanitizer runtimes. tests/test_sanitizer.py
imports `runtime_libraries` to check that the run really is instrumented.
"""

import os
import subprocess
import sys

COMPILER = "gcc"  # tox.ini builds the scanner with CC=gcc; its runtimes must match


def runtime_libraries():
    """The real paths of gcc's libasan and libubsan, ASan first (it must come first)."""
    paths = []
    for name in ("libasan.so", "libubsan.so"):
        command = [COMPILER, f"-print-file-name={name}"]
        try:
            found = subprocess.run(command, capture_output=True, text=True, check=True, timeout=60).stdout.strip()
        except (OSError, subprocess.SubprocessError) as exc:
            raise SystemExit(f"tox -e sanitize needs {COMPILER}: `{' '.join(command)}` failed ({exc}).") from None
        # gcc echoes the bare name back when it has no such file.
        if not os.path.isabs(found) or not os.path.exists(found):
            raise SystemExit(
                f"tox -e sanitize: {COMPILER} has no {name} (`{' '.join(command)}` gave {found!r}). "
                "Install gcc's sanitizer runtimes (Debian/Ubuntu: apt-get install gcc, which brings "
                "libasan and libubsan), or skip this environment."
            )
        paths.append(os.path.realpath(found))
    return paths


def main(argv):
    if not argv:
        raise SystemExit("usage: python tests/_sanitizer.py COMMAND [ARGS...]")
    preload = runtime_libraries()
    if os.environ.get("LD_PRELOAD"):
        preload.append(os.environ["LD_PRELOAD"])
    os.environ["LD_PRELOAD"] = " ".join(preload)
    os.execvp(argv[0], argv)


if __name__ == "__main__":
    main(sys.argv[1:])
