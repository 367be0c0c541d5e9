"""`tf.contrib.learn.utils`: serving input_fns and SavedModel export strategies.

Lazy: importing this package imports no TensorFlow; each name is loaded from its
home module on first use. r1.15's ``export`` submodule and ``export_estimator``
wrote the SessionBundle format, which TensorFlow 2 cannot write: `export_estimator`
raises NotImplementedError naming the replacement, and ``utils.export`` is not
provided.

Native TF2 replacement: ``tf.estimator.export`` and ``tf.estimator.Exporter``.
"""

import importlib

# Public name -> (home module, attribute or None for a submodule).
_LAZY = {
    "InputFnOps": ("compat_learn.utils.input_fn_utils", "InputFnOps"),
    "build_default_serving_input_fn": (
        "compat_learn.utils.input_fn_utils", "build_default_serving_input_fn"),
    "build_parsing_serving_input_fn": (
        "compat_learn.utils.input_fn_utils", "build_parsing_serving_input_fn"),
    "make_export_strategy": (
        "compat_learn.utils.saved_model_export_utils", "make_export_strategy"),
    "gc": ("compat_learn.utils.gc", None),
    "input_fn_utils": ("compat_learn.utils.input_fn_utils", None),
    "saved_model_export_utils": ("compat_learn.utils.saved_model_export_utils", None),
}

__all__ = [
    "InputFnOps",
    "build_default_serving_input_fn",
    "build_parsing_serving_input_fn",
    "export_estimator",
    "gc",
    "input_fn_utils",
    "make_export_strategy",
    "saved_model_export_utils",
]

EXPORT_ESTIMATOR_MESSAGE = (
    "`export_estimator` wrote the SessionBundle format, which TensorFlow 2 cannot "
    "write. Export a SavedModel instead: pass "
    "`compat_learn.utils.make_export_strategy(serving_input_fn)` to Experiment's "
    "`export_strategies`, or call `estimator.export_savedmodel(...)` (contrib) / "
    "`estimator.export_saved_model(...)` (tf.estimator).")


def export_estimator(estimator, export_dir, *args, **kwargs):
    """Not supported (r1.15 ``tf.contrib.learn.utils.export_estimator``).

    Raises:
      NotImplementedError: always; names the SavedModel replacement.
    """
    del estimator, export_dir, args, kwargs
    raise NotImplementedError(EXPORT_ESTIMATOR_MESSAGE)


def __getattr__(name):
    try:
        module_name, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    module = importlib.import_module(module_name)
    value = module if attr is None else getattr(module, attr)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
