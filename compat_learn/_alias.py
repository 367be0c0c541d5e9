"""The import hook that makes ``tensorflow.contrib.learn`` (and friends) resolve.

`install()` puts one meta-path finder in front of ``sys.meta_path``. It answers only
for the contrib module paths listed in `compat_learn._contrib_table` and raises a
`ModuleNotFoundError` that says what compat_learn provides for every other
``tensorflow.contrib.*`` name (TensorFlow itself probes such names, e.g.
``tensorflow.contrib.tensorrt``, inside ``try/except ImportError``). It also serves
the table's rows under ``tensorflow.examples`` (TF 1.x's
``tensorflow.examples.tutorials.mnist.input_data``) and nothing else there. Once TensorFlow
is imported (now, or later through the same finder), ``tf.contrib`` is attached to
``tensorflow`` and to ``tf.compat.v1``.

* A table row with no children is served by the compat_learn module itself, so
  ``tensorflow.contrib.learn.python.learn.learn_runner is compat_learn.learn_runner``.
* A row with children is a generated package (`ContribModule`) that looks names up in
  the row's compat_learn modules, then in the table's helper symbols; a name the table
  marks unsupported, or does not know, raises an error naming it and its nearest TF2
  replacement, at the user's line.

``import compat_learn`` alone installs nothing. TensorFlow is imported only through
`compat_learn._tf`, and only when a served name is used or TensorFlow is imported.

With ``tf1=True`` (``compat-learn run --tf1``), ``import tensorflow`` in the user's
program (the script, modules under its directory) gives ``tf.compat.v1`` (with
``contrib``), and TF 1.x graph behaviour is switched on when TensorFlow loads.
"""

import builtins
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import logging
import os
import sys
import threading
import types

from compat_learn import _contrib_table as table
from compat_learn._deprecation import warn_deprecated

__all__ = ["ContribModule", "UnsupportedContribError", "install", "is_installed"]

_log = logging.getLogger(__name__)

_lock = threading.RLock()
_state = types.SimpleNamespace(tf_patched=False, tf1=False, tf1_roots=(), orig_import=None,
                               numpy_patched=False)

_PROVIDES = ("compat_learn serves tf.contrib.{%s} (see docs/migration.md; "
             "`compat-learn check SCRIPT` lists every contrib use)")


class UnsupportedContribError(ImportError):
    """A contrib module or name that compat_learn does not serve was imported.

    The message names it and its nearest native TF2 replacement.
    """


def _provides():
    return _PROVIDES % ", ".join(table.served_namespaces())


def _symbol_message(path, symbol=None):
    """The error text for contrib name `path` that compat_learn does not serve."""
    shown = table.display_name(path)
    if symbol is not None:
        return (f"`{shown}` is not supported by compat_learn: TensorFlow 2.15 has no "
                f"exact equivalent. Nearest TF2 replacement: "
                f"{table.replacement_of(symbol)}.")
    unsupported = table.lookup_unsupported(path)
    if unsupported is not None:
        return (f"`{shown}` is not supported by compat_learn. Nearest TF2 replacement: "
                f"{unsupported.replacement}. {_provides()}.")
    parent = path.rpartition(".")[0]
    return (f"`{shown}` is not provided by compat_learn (it is not in compat_learn's "
            f"contrib table). Nearest TF2 replacement: look in "
            f"{table.namespace_replacement(parent)}. {_provides()}.")


# --------------------------------------------------------------------------------------
# Resolving table targets.
# --------------------------------------------------------------------------------------
def _import_target_module(name):
    if name == "tf":
        from compat_learn import _tf
        return _tf.tf
    if not name.startswith("compat_learn"):
        # Third-party packages (tf_slim) import TensorFlow themselves: pass the version
        # gate first so a wrong TensorFlow fails with compat_learn's message.
        from compat_learn import _tf
        try:
            return _import_third_party(name)
        except ImportError as exc:
            raise UnsupportedContribError(
                f"compat_learn serves this contrib name through `{name}`, which is not "
                f"installed ({exc}). Install it with `pip install "
                f"{name.replace('_', '-')}`.") from exc
    return importlib.import_module(name)


def _import_third_party(name):
    """Imports `name`; a tf_slim module gets the names TF 2.15 moved (compat_learn.slim)."""
    module = importlib.import_module(name)
    if name.partition(".")[0] == "tf_slim":
        from compat_learn.slim import patch_tf_slim
        patch_tf_slim()
    return module


def resolve_target(target):
    """The object named by a table target ``"module:attr.path"``."""
    module_name, _, attr_path = target.partition(":")
    obj = _import_target_module(module_name)
    for part in attr_path.split("."):
        obj = getattr(obj, part)
    return obj


def _serve_symbol(symbol):
    return resolve_target(symbol.target)


# --------------------------------------------------------------------------------------
# Generated contrib packages.
# --------------------------------------------------------------------------------------
class ContribModule(types.ModuleType):
    """A contrib package generated from one `compat_learn._contrib_table.MODULES` row.

    Attributes resolve lazily, in this order: served child modules, the row's extra
    attributes, the public names (``__all__``) of the row's compat_learn modules, the
    table's helper symbols. Anything else raises `AttributeError` with the name and its
    nearest TF2 replacement.
    """

    def __getattr__(self, name):
        path = self.__name__ + "." + name
        if name.startswith("__") and name.endswith("__"):
            if name == "__all__":
                return self._public_names()
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
        row = table.module_row(self.__name__)
        if name in table.children(self.__name__):
            return importlib.import_module(path)
        if row is not None and name in row.attrs:
            value = importlib.import_module(row.attrs[name])
        else:
            value = _MISSING
            for target in row.targets if row is not None else ():
                module = importlib.import_module(target)
                if name in getattr(module, "__all__", ()):
                    value = getattr(module, name)
                    break
            if value is _MISSING:
                symbol = table.lookup_symbol(self.__name__, name)
                if symbol is None or symbol.target is None:
                    raise AttributeError(_symbol_message(path, symbol))
                value = _serve_symbol(symbol)
                warn_deprecated(table.display_name(path), table.replacement_of(symbol),
                                stacklevel=2)
        setattr(self, name, value)
        return value

    def _public_names(self):
        row = table.module_row(self.__name__)
        names = set(table.children(self.__name__))
        if row is not None:
            names.update(row.attrs)
            for target in row.targets:
                names.update(getattr(importlib.import_module(target), "__all__", ()))
        names.update(s.name for s in table.symbols_of(self.__name__) if s.target)
        return sorted(n for n in names if not n.startswith("__"))

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self._public_names()))


_MISSING = object()


# --------------------------------------------------------------------------------------
# The finder and its loaders.
# --------------------------------------------------------------------------------------
class _AliasLoader(importlib.abc.Loader):
    """Serves a contrib path with a compat_learn (or tf_slim) module, or a package."""

    def __init__(self, real_name):
        self._real_name = real_name  # None: a generated ContribModule
        self._real_spec = None

    def create_module(self, spec):
        if self._real_name is None:
            module = ContribModule(spec.name)
            module.__path__ = []
            return module
        module = _import_third_party(self._real_name)
        # The import system overwrites __spec__ on the module we return; keep the real
        # one so that reload() and pickling still see compat_learn's name.
        self._real_spec = module.__spec__
        return module

    def exec_module(self, module):
        if self._real_name is not None:
            module.__spec__ = self._real_spec


class _TensorflowLoader(importlib.abc.Loader):
    """Runs TensorFlow's (or numpy's) own loader, then patches it (`after`, once)."""

    def __init__(self, spec, after=None):
        self._spec = spec
        self._loader = spec.loader
        self._after = after or _patch_tensorflow

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        try:
            self._loader.exec_module(module)
        finally:
            # Leave no trace of this wrapper on TensorFlow's module.
            self._spec.loader = self._loader
            module.__loader__ = self._loader
        self._after()

    def __getattr__(self, name):
        return getattr(self._loader, name)


class _ContribFinder(importlib.abc.MetaPathFinder):
    """Meta-path finder for the table's paths under tf.contrib and tensorflow.examples
    (`table.ROOTS`), and for TensorFlow's first import."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname == "tensorflow":
            return self._tensorflow_spec(fullname, path, target)
        if fullname == "numpy" and _state.tf1 and not _state.numpy_patched:
            return self._tensorflow_spec(fullname, path, target, _restore_numpy_aliases)
        root = table.root_of(fullname)
        if root is None:
            return None
        row = table.module_row(fullname)
        if row is not None:
            plain = (len(row.targets) == 1 and not row.attrs
                     and not table.children(fullname) and not table.symbols_of(fullname))
            loader = _AliasLoader(row.targets[0] if plain else None)
            return importlib.machinery.ModuleSpec(fullname, loader, is_package=not plain)
        if root != table.CONTRIB:
            # tensorflow.examples: the table's rows only; any other name is left to the
            # import system (a plain ModuleNotFoundError, as TensorFlow 2.15 gives).
            return None
        real = table.subtree_target(fullname)
        if real is not None:
            if importlib.util.find_spec(real.partition(".")[0]) is None:
                raise ModuleNotFoundError(
                    f"No module named {fullname!r}: compat_learn serves it with "
                    f"`{real}`, which is not installed. Install it with "
                    f"`pip install tf-slim`.")
            return importlib.machinery.ModuleSpec(fullname, _AliasLoader(real))
        parent, _, name = fullname.rpartition(".")
        symbol = table.lookup_symbol(parent, name)
        if symbol is not None and symbol.target is not None:
            return None  # a served name, not a module: the import system says so
        if symbol is not None or (table.module_row(parent) is not None
                                  and parent != table.CONTRIB
                                  and table.lookup_unsupported(fullname) is None):
            # A name inside a served namespace: a plain ImportError, not
            # ModuleNotFoundError, names it even in `from namespace import name`.
            raise UnsupportedContribError(_symbol_message(fullname, symbol))
        # `name` stays None: importlib's fromlist handling swallows a
        # ModuleNotFoundError whose name is the submodule, and this message would be
        # lost from `from tensorflow.contrib import rnn`.
        raise ModuleNotFoundError(f"No module named {fullname!r}: " + _symbol_message(fullname))

    def _tensorflow_spec(self, fullname, path, target, after=None):
        if after is None and _state.tf_patched:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _TensorflowLoader(spec, after)
                return spec
        return None

    def invalidate_caches(self):
        pass


_finder = _ContribFinder()


# --------------------------------------------------------------------------------------
# Patching TensorFlow.
# --------------------------------------------------------------------------------------
def _tensorflow_ready():
    module = sys.modules.get("tensorflow")
    if module is None:
        return False
    spec = getattr(module, "__spec__", None)
    return not getattr(spec, "_initializing", False)


def _patch_tensorflow():
    """Attaches ``contrib`` to ``tensorflow`` and ``tf.compat.v1`` (idempotent)."""
    with _lock:
        if _state.tf_patched:
            return
        _state.tf_patched = True
    from compat_learn import _tf  # the version gate, and the only TensorFlow import

    contrib = importlib.import_module(table.CONTRIB)
    tf = _tf.tf
    tf.contrib = contrib
    # tf.compat.v1 is a TFModuleWrapper; setting an attribute on it is kept
    # (tf215_runtime_notes §6).
    tf.compat.v1.contrib = contrib
    if _state.tf1:
        # TF 1.x semantics for a TF 1.x script: graph mode, ref variables (one-way,
        # process-wide; tf215_runtime_notes §4).
        tf.compat.v1.disable_v2_behavior()
        # TF 1.x's private DeviceSpec (table.TF1_RESTORED): device.py picked V2 when
        # TensorFlow loaded with TF2 behaviour on; TF 2.15 itself runs with V1 there
        # under TF2_BEHAVIOR=0.
        _tf.framework_device.DeviceSpec = tf.compat.v1.DeviceSpec


def _restore_numpy_aliases():
    """--tf1: numpy's aliases of the builtins that numpy 1.24 removed (np.int ...)."""
    with _lock:
        _state.numpy_patched = True
    numpy = sys.modules["numpy"]
    for module, name, value, _ in table.TF1_RESTORED:
        if module == "numpy" and name not in vars(numpy):
            setattr(numpy, name, getattr(builtins, value.partition(".")[2]))


# --------------------------------------------------------------------------------------
# --tf1: `import tensorflow` in the user's program gives tf.compat.v1.
# --------------------------------------------------------------------------------------
def _in_user_code(globals_):
    if not globals_:
        return False
    if globals_.get("__name__") in ("__main__", "__mp_main__"):
        return True
    filename = globals_.get("__file__")
    if not filename:
        return False
    filename = os.path.realpath(filename)
    if "site-packages" in filename or "dist-packages" in filename:
        return False
    here = os.path.dirname(os.path.realpath(__file__)) + os.sep
    if filename.startswith(here):
        return False
    return any(filename.startswith(root + os.sep) for root in _state.tf1_roots)


def _tf1_import(name, globals=None, locals=None, fromlist=(), level=0):
    module = _state.orig_import(name, globals, locals, fromlist, level)
    if name == "tensorflow" and level == 0 and _in_user_code(globals):
        return module.compat.v1
    return module


# --------------------------------------------------------------------------------------
# Public entry point.
# --------------------------------------------------------------------------------------
def install(tf1=False, tf1_roots=()):
    """Makes ``tf.contrib.learn`` and its r1.15 import paths resolve to compat_learn.

    Idempotent. Registers an import hook for the contrib module paths in
    `compat_learn._contrib_table` (``tensorflow.contrib.learn`` and its deep paths,
    ``tensorflow.contrib.training`` with ``HParams``, and the table's helper
    namespaces), and attaches ``contrib`` to ``tensorflow`` and ``tf.compat.v1`` when
    TensorFlow is (or once it is) imported. Every other ``tensorflow.contrib.*`` name
    still raises `ModuleNotFoundError`, with a message that says what compat_learn
    provides.

    Replaces nothing of r1.15 (TensorFlow 1.x had ``tf.contrib`` built in). Native TF2
    replacement: import ``compat_learn`` modules directly, then move to
    ``tf.estimator`` (see docs/migration.md).

    Args:
      tf1: if True, ``import tensorflow`` in the main script and in modules under
        `tf1_roots` gives ``tf.compat.v1`` (with ``contrib``), and TF 1.x behaviour
        (``tf.compat.v1.disable_v2_behavior()``) is switched on when TensorFlow loads.
        This is what ``compat-learn run --tf1`` uses; it cannot be undone.
      tf1_roots: directories whose Python files count as the user's program for `tf1`.
    """
    with _lock:
        if _finder not in sys.meta_path:
            sys.meta_path.insert(0, _finder)
        if tf1:
            _state.tf1 = True
            roots = [os.path.realpath(r) for r in tf1_roots]
            _state.tf1_roots = tuple(dict.fromkeys(list(_state.tf1_roots) + roots))
            if _state.orig_import is None:
                _state.orig_import = builtins.__import__
                builtins.__import__ = _tf1_import
    if tf1 and not _state.numpy_patched and "numpy" in sys.modules and \
            not getattr(sys.modules["numpy"].__spec__, "_initializing", False):
        _restore_numpy_aliases()
    if _tensorflow_ready():
        _patch_tensorflow()


def is_installed():
    """True when `install()` has run in this process (no TensorFlow import)."""
    return _finder in sys.meta_path


def _uninstall_for_tests():
    """Undoes `install()` (without ``tf1``) so that a test process is left as it was."""
    with _lock:
        while _finder in sys.meta_path:
            sys.meta_path.remove(_finder)
        if _state.orig_import is not None:
            builtins.__import__ = _state.orig_import
        tf = sys.modules.get("tensorflow")
        if tf is not None and _state.tf_patched:
            for module in (tf, tf.compat.v1):
                try:
                    delattr(module, "contrib")
                except AttributeError:
                    pass
        for name in list(sys.modules):
            if table.root_of(name) is not None:
                del sys.modules[name]
        if tf is not None:
            tf.__dict__.pop(table.EXAMPLES.rpartition(".")[2], None)
        _state.tf_patched = False
        _state.tf1 = False
        _state.tf1_roots = ()
        _state.orig_import = None
