"""``tf.contrib.slim`` on TensorFlow 2.15: tf-slim, with what TF 2.15 removed put back.

r1.15's ``tf.contrib.slim`` (and most of ``tf.contrib.layers`` and
``tf.contrib.framework``) lives on as the tf-slim package, whose code is r1.15's with
its imports changed. tf-slim 1.1 reaches TensorFlow through private module aliases
(``from tensorflow.python.framework import ops`` ... ``ops.Tensor``), and TF 2.15 moved
some of those names: ``ops.Tensor``, ``ops.IndexedSlices``, ``variable_scope.variable``,
``control_flow_ops.cond`` / ``case`` / ``while_loop`` / ``Assert``, ``array_ops.stack``
/ ``unstack``, and ``tensorflow.python.layers.normalization`` now loads tf_keras. So
``optimize_loss``, ``batch_norm``, ``local_variable``, the gradient helpers of
``slim.learning`` / ``tf.contrib.training`` and others fail with AttributeError or
ModuleNotFoundError.

`patch_tf_slim` fixes that without editing the installed package: in each loaded
``tf_slim`` module it replaces such a module alias with a `_Tf215Module`, which
forwards every attribute to the real TensorFlow module and adds the moved names,
bound to their public TF 2.15 equivalents. The import hook (`compat_learn._alias`)
applies it whenever it serves a name or module from tf-slim, and `compat_learn.layers`
and `compat_learn.framework` apply it on import. tf-slim's own code then runs
unchanged: r1.15's variable names, collections and numbers.

Replaces nothing of r1.15 (its contrib modules were built in). Native TF2
replacement: tf.keras layers and optimizers.
"""

import logging
import sys
import threading
import types

__all__ = ["patch_tf_slim"]

_log = logging.getLogger(__name__)
_lock = threading.Lock()


def _moved_names(tf):
    """TF 2.15 module name -> {name tf-slim uses: its public TF 2.15 equivalent}."""
    v1 = tf.compat.v1
    return {
        "tensorflow.python.framework.ops": {
            "Tensor": tf.Tensor,
            "IndexedSlices": tf.IndexedSlices,
        },
        # r1.15 variable_scope.variable: a v1 variable through the creator stack,
        # exactly what tf.compat.v1.Variable(...) builds in TF 2.15.
        "tensorflow.python.ops.variable_scope": {"variable": v1.Variable},
        "tensorflow.python.ops.control_flow_ops": {
            "Assert": v1.Assert,
            "cond": v1.cond,
            "case": v1.case,
            "while_loop": v1.while_loop,
        },
        "tensorflow.python.ops.array_ops": {"stack": tf.stack, "unstack": tf.unstack},
        # The unfused batch_norm builds r1.15's tf.layers.BatchNormalization; TF 2.15's
        # alias module loads it from tf_keras, but TF 2.15's own tf.compat.v1.layers
        # has the same class (from keras 2.15, a TensorFlow dependency).
        "tensorflow.python.layers.normalization": {
            "BatchNormalization": v1.layers.BatchNormalization,
            "BatchNorm": v1.layers.BatchNormalization,
            "batch_normalization": v1.layers.batch_normalization,
            "batch_norm": v1.layers.batch_normalization,
        },
    }


class _Tf215Module(types.ModuleType):
    """A private TensorFlow module as tf-slim 1.1 expects it: the real module's
    attributes, plus the names TF 2.15 moved elsewhere."""

    def __init__(self, real, moved):
        super().__init__(real.__name__, getattr(real, "__doc__", None))
        self.__dict__.update(moved)
        self.__dict__["_compat_learn_real_module"] = real

    def __getattr__(self, name):
        return getattr(self.__dict__["_compat_learn_real_module"], name)

    def __repr__(self):
        return f"<compat_learn TF 2.15 view of {self.__name__}>"


_state = types.SimpleNamespace(moved=None, shims={}, patched=set())


def _patch_module(module):
    for alias, value in list(vars(module).items()):
        if not isinstance(value, types.ModuleType) or isinstance(value, _Tf215Module):
            continue
        moved = _state.moved.get(getattr(value, "__name__", None))
        if moved is None:
            continue
        shim = _state.shims.get(value.__name__)
        if shim is None:
            shim = _state.shims[value.__name__] = _Tf215Module(value, moved)
        setattr(module, alias, shim)
        _log.debug("tf_slim: %s.%s now has TF 2.15's %s", module.__name__, alias,
                   ", ".join(sorted(moved)))


def patch_tf_slim():
    """Makes the loaded ``tf_slim`` modules work on TensorFlow 2.15 (idempotent).

    Imports tf_slim (and TensorFlow, through compat_learn's version gate) if needed,
    then patches every ``tf_slim`` module in ``sys.modules`` not patched yet; call it
    again after importing more tf_slim modules (``tf_slim.nets...``).

    Raises:
      ImportError: tf-slim is not installed (``pip install 'compat_learn[tf]'``).
    """
    from compat_learn import _tf

    try:
        import tf_slim  # noqa: F401  (imports its layers, learning, training, ...)
    except ImportError as exc:
        raise ImportError(
            f"compat_learn serves tf.contrib.slim and tf.contrib.layers through tf-slim, "
            f"which could not be imported ({exc}). Install it with "
            f"`pip install 'compat_learn[tf]'` (or `pip install tf-slim`).") from exc
    with _lock:
        if _state.moved is None:
            _state.moved = _moved_names(_tf.tf)
        for name, module in list(sys.modules.items()):
            if (name == "tf_slim" or name.startswith("tf_slim.")) and \
                    module is not None and name not in _state.patched:
                _patch_module(module)
                _state.patched.add(name)
