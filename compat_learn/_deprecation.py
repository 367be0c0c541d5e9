"""The one choke point for compat_learn's deprecation warnings.

TensorFlow's own ``@deprecated`` decorator only logs, so nobody can filter or assert
it.  compat_learn raises a real Python warning instead, once per entry point per
process, naming the native TF2 replacement, with a stacklevel that points at the
user's line.
"""

import threading
import warnings

__all__ = ["CompatLearnDeprecationWarning", "warn_deprecated"]


class CompatLearnDeprecationWarning(DeprecationWarning):
    """Warns that a ``tf.contrib.learn`` entry point is used; names its TF2 replacement.

    Filter it with ``warnings.filterwarnings("ignore",
    category=compat_learn.CompatLearnDeprecationWarning)``.
    """


_warned = set()
_lock = threading.Lock()


def warn_deprecated(name, replacement, stacklevel=2):
    """Warns once per process that contrib entry point `name` is deprecated.

    Args:
      name: the contrib name, e.g. ``"tf.contrib.learn.Experiment"``.
      replacement: what to use in native TF2 instead.
      stacklevel: as for ``warnings.warn``, counted from the caller of this function
        (2 points at the caller's caller, i.e. the user's line for a function that
        calls this first thing).
    """
    with _lock:
        if name in _warned:
            return
        _warned.add(name)
    warnings.warn(
        f"{name} is deprecated (tf.contrib was removed in TensorFlow 2.0); "
        f"compat_learn keeps it working on TensorFlow 2.15. Native TF2 replacement: "
        f"{replacement}.",
        CompatLearnDeprecationWarning,
        stacklevel=stacklevel + 1,
    )


def _reset_for_tests():
    """Forgets which entry points have warned (tests that assert the warning)."""
    with _lock:
        _warned.clear()
