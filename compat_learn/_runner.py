"""``compat-learn run``: run an unmodified TF 1.x script with compat_learn's aliases.

The script runs as ``__main__`` in this process, as ``python SCRIPT ARGS...`` would
run it: ``sys.argv``, ``sys.path[0]``, ``__file__``, exit status and tracebacks are
Python's own (the runner's frames are cut from tracebacks).

Children: the runner prepends ``compat_learn/_bootstrap`` (a ``sitecustomize``) to
``PYTHONPATH`` and sets ``COMPAT_LEARN_RUN`` so that every Python process the script
starts (``sys.executable`` subprocesses, local-cluster tasks, multiprocessing spawn
workers) installs the same aliases before running anything. ``compat_learn``'s own
parent directory is appended to ``PYTHONPATH`` so that a source checkout works too.

``run_module`` does the same for ``compat-learn run -m MODULE``, as ``python -m MODULE``
does: the current directory first on ``sys.path``, MODULE found and its parent
packages imported by Python's own ``runpy`` rules (same messages and exit status when
it cannot be run), a package runs its ``__main__``, and the module runs as
``__main__`` with ``sys.argv[0]`` its file.
"""

import builtins
import importlib.machinery
import importlib.util
import io
import os
import runpy
import sys
import types

from compat_learn import _alias

__all__ = ["BOOTSTRAP_DIR", "child_environment", "run_module", "run_script"]

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


_MACHINERY = {os.path.abspath(__file__), os.path.abspath(runpy.__file__),
              os.path.join(os.path.dirname(os.path.abspath(__file__)), "cli.py"),
              os.path.join(os.path.dirname(os.path.abspath(__file__)), "__main__.py")}


def _cut_machinery_frames(tb):
    """The traceback from the first frame that is not the runner's (or runpy's) on."""
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if not (filename.startswith("<frozen ") or os.path.abspath(filename) in _MACHINERY):
            break
        tb = tb.tb_next
    return tb


def _set_path0(path0):
    # Python puts the script's directory (the working directory for -m) first, where
    # the runner's own entry was (its bin directory, or the working directory for
    # `python -m compat_learn`); -P (safe_path) adds nothing.
    if not getattr(sys.flags, "safe_path", False) and sys.path:
        sys.path[0] = path0


def _install(tf1, roots):
    """Installs the aliases in this process and, through the environment, in children."""
    os.environ.update(child_environment(os.environ, tf1, roots))
    _alias.install(tf1=tf1, tf1_roots=roots)


def _run_as_main(code, namespace, cut):
    """Runs `code` in a new ``__main__`` module; returns 0 or 1 as Python would."""
    main = types.ModuleType("__main__")
    main.__dict__.update(namespace, __builtins__=builtins)
    _previous_mains.append(sys.modules.get("__main__"))  # keeps the runner's alive
    sys.modules["__main__"] = main
    try:
        exec(code, main.__dict__)
    except (SystemExit, KeyboardInterrupt):
        raise
    except BaseException as exc:
        # The printed traceback comes from the exception itself: cut it there.
        tb = cut(exc.__traceback__)
        exc.__traceback__ = tb
        sys.excepthook(type(exc), exc, tb)
        return 1
    return 0


def _module_roots(module):
    """The directories of `module`'s program for --tf1: the working directory (which
    ``python -m`` puts first) and that of its top-level package, found without
    running anything."""
    roots = [os.getcwd()]
    top = module.partition(".")[0]
    try:
        spec = importlib.util.find_spec(top) if top else None
    except (ImportError, ValueError):
        spec = None
    if spec is not None:
        if spec.submodule_search_locations:
            roots += [os.path.dirname(p) for p in spec.submodule_search_locations]
        elif spec.has_location and spec.origin:
            roots.append(os.path.dirname(spec.origin))
    return [os.path.realpath(r) for r in dict.fromkeys(roots)]


def run_module(module, args, tf1=False):
    """Runs `module` as ``python -m MODULE ARGS...`` would; returns the exit status.

    Args:
      module: the module's dotted name (a package runs its ``__main__``).
      args: its command-line arguments (``sys.argv[1:]``).
      tf1: also give the program's ``import tensorflow`` the TF 1.x namespace (the
        working directory and the module's top-level package are its program).

    Returns:
      0 when the module ends normally, 1 after an uncaught exception (printed as
      Python prints it, from the first frame that is not the runner's).

    Raises:
      SystemExit: with Python's own message (``python: No module named X``, status
        1) when the module cannot be found or run; or the module's own.
    """
    sys.argv[:] = ["-m"] + list(args)  # what Python shows while it finds the module
    _set_path0(os.getcwd())
    _install(tf1, _module_roots(module))
    try:
        # Python's own search for -m (private in runpy, CPython 3.9-3.13): the same
        # parent-package imports, messages and status as `python -m MODULE`.
        _, spec, code = runpy._get_module_details(module, runpy._Error)
    except runpy._Error as exc:
        sys.exit(f"{sys.executable}: {exc}")
    except BaseException as exc:  # a parent package failed to import
        if isinstance(exc, (SystemExit, KeyboardInterrupt)):
            raise
        tb = _cut_machinery_frames(exc.__traceback__)
        exc.__traceback__ = tb
        sys.excepthook(type(exc), exc, tb)
        return 1
    if spec.has_location:
        sys.argv[0] = spec.origin
    namespace = {"__name__": "__main__", "__file__": spec.origin if spec.has_location else None,
                 "__cached__": spec.cached, "__doc__": None, "__loader__": spec.loader,
                 "__package__": spec.parent, "__spec__": spec}
    if not spec.has_location:
        del namespace["__file__"]
    return _run_as_main(code, namespace, _cut_machinery_frames)


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
    _install(tf1, [root])
    sys.argv[:] = [script] + list(args)
    _set_path0(root)
    namespace = {
        "__name__": "__main__",
        "__file__": path,
        "__cached__": None,
        "__loader__": importlib.machinery.SourceFileLoader("__main__", path),
        "__spec__": None,
        "__package__": None,
    }
    try:
        code = compile(source, path, "exec", dont_inherit=True)
    except SyntaxError as exc:  # printed as Python prints it: no runner frames
        exc.__traceback__ = None
        sys.excepthook(type(exc), exc, None)
        return 1
    return _run_as_main(code, namespace, lambda tb: _cut_runner_frames(tb, path))
