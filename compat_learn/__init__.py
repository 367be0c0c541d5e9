"""compat_learn: `tf.contrib.learn` for TensorFlow 2.15's `tf.estimator`.

Change one import and a TF 1.x script that builds a ``tf.contrib.learn.Experiment``
runs on TensorFlow 2.15 with r1.15's schedules, directories and return values::

    import compat_learn as learn          # was: from tensorflow.contrib import learn
    from compat_learn import learn_runner # was: from tensorflow.contrib.learn import learn_runner

This module is a lazy facade: ``import compat_learn`` imports neither TensorFlow nor
anything of TensorFlow's, and changes nothing in ``tensorflow``.  A name is imported
from its home module the first time it is used.
"""

import importlib

__version__ = "0.1.0"

# Public name -> (home module, attribute or None for a submodule).  Mirrors r1.15's
# documented `tf.contrib.learn` names (contrib/learn/__init__.py @@ list and allowed
# extras) that compat_learn implements, plus compat_learn's own additions at the end.
_LAZY = {
    "Experiment": ("compat_learn.experiment", "Experiment"),
    "ExportStrategy": ("compat_learn.export_strategy", "ExportStrategy"),
    "RunConfig": ("compat_learn.run_config", "RunConfig"),
    "TaskType": ("compat_learn.run_config", "TaskType"),
    "Trainable": ("compat_learn.trainable", "Trainable"),
    "Evaluable": ("compat_learn.evaluable", "Evaluable"),
    "make_export_strategy": ("compat_learn.utils.saved_model_export_utils", "make_export_strategy"),
    "NanLossDuringTrainingError": ("compat_learn.monitors", "NanLossDuringTrainingError"),
    # Submodules.
    "learn_runner": ("compat_learn.learn_runner", None),
    "monitors": ("compat_learn.monitors", None),
    "utils": ("compat_learn.utils", None),
    # compat_learn's own.
    "checkpoints": ("compat_learn.checkpoints", None),
    "CompatLearnDeprecationWarning": ("compat_learn._deprecation", "CompatLearnDeprecationWarning"),
}

__all__ = sorted(_LAZY) + ["__version__"]


def __getattr__(name):
    try:
        module_name, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'compat_learn' has no attribute {name!r}") from None
    module = importlib.import_module(module_name)
    value = module if attr is None else getattr(module, attr)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
