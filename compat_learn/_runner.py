"""``compat-learn run``: run an unmodified TF 1.x script with compat_learn's aliases.

The script runs as ``__main__`` in this process, as ``python SCRIPT ARGS...`` would
run it: ``sys.argv``, ``sys.path[0]``, ``__file__``, exit status and tracebacks are
Python's own (the runner's frames are cut from tracebacks).

Children: the runner prepends ``compat_learn/_bootstrap`` (a ``sitecustomize``) to
``PYTHONPATH`` and sets ``COMPAT_LEARN_RUN`` so that every Python process the script
starts (``sys.executable`` subprocesses, local-cluster tasks, multiprocessing spawn
workers) installs the same aliases before running anything. ``compat_learn``'s own
parent directory is appended to ``PYTHONPATH`` so that a source checkout works too.
"""

import builtins
import importlib.machinery
import io
import os
import sys
import types

from compat_learn import _alias

__all__ = ["BOOTSTRAP_DIR", "child_environment", "run_script"]

BOOTSTRAP_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_bootstrap")
_PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

MODE_ENV = "COMPAT_LEARN_RUN"
ROOTS_ENV = "COMPAT_LEARN_TF1_ROOTS"

_previous_mains = []


def child_environment(environ, tf1, roots):
    """The environment variables children need, as a new dict based on `environ`."""
    env = dict(environ)
    entries = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    entries = [BOOTSTRAP_DIR] + [p for p in entries if p != BOOTSTRAP_DIR]
    if _PACKAGE_PARENT not in entries:
        entries.append(_PACKAGE_PARENT)
    env["PYTHONPATH"] = os.pathsep.join(entries)
    env[MODE_ENV] = "tf1" if tf1 else "aliases"
    env[ROOTS_ENV] = os.pathsep.join(roots)
    return env


def _cut_runner_frames(tb, filename):
    """The traceback from the first frame of the script on (None if it has none)."""
    while tb is not None and tb.tb_frame.f_code.co_filename != filename:
        tb = tb.tb_next
    return tb


def run_script(script, args, tf1=False):
    """Runs `script` as ``__main__`` with `args`; returns the process exit status.

    Args:
      script: path of the Python file to run.
      args: its command-line arguments (``sys.argv[1:]``).
      tf1: also give the script's ``import tensorflow`` the TF 1.x namespace.

    Returns:
      0 when the script ends normally, 1 after an uncaught exception (printed as
      Python prints it), 2 when the script cannot be opened. ``SystemExit`` and
      ``KeyboardInterrupt`` propagate unchanged.
    """
    path = os.path.abspath(script)
    try:
        with io.open_code(path) as f:
            source = f.read()
    except OSError as exc:
        # Python's own wording and status for `python missing.py`.
        sys.stderr.write(f"{sys.executable}: can't open file {path!r}: "
                         f"[Errno {exc.errno}] {exc.strerror}\n")
        return 2
    root = os.path.dirname(os.path.realpath(path))
    os.environ.update(child_environment(os.environ, tf1, [root]))
    _alias.install(tf1=tf1, tf1_roots=[root])

    sys.argv[:] = [script] + list(args)
    # `python SCRIPT` puts the script's directory first, where the runner's own entry
    # (its bin directory, or the working directory for -m) was; -P adds nothing.
    if not getattr(sys.flags, "safe_path", False) and sys.path:
        sys.path[0] = root
    main = types.ModuleType("__main__")
    main.__dict__.update({
        "__file__": path,
        "__builtins__": builtins,
        "__cached__": None,
        "__loader__": importlib.machinery.SourceFileLoader("__main__", path),
        "__spec__": None,
        "__package__": None,
    })
    previous_main = sys.modules.get("__main__")
    sys.modules["__main__"] = main
    _previous_mains.append(previous_main)  # keeps the runner's __main__ alive
    try:
        code = compile(source, path, "exec", dont_inherit=True)
        exec(code, main.__dict__)
    except (SystemExit, KeyboardInterrupt):
        raise
    except BaseException as exc:
        # The printed traceback comes from the exception itself: cut it there.
        tb = _cut_runner_frames(exc.__traceback__, path)
        exc.__traceback__ = tb
        sys.excepthook(type(exc), exc, tb)
        return 1
    return 0
