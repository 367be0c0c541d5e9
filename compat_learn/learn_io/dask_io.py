"""r1.15's dask helpers, which compat_learn does not support.

Replaces ``tensorflow.contrib.learn.python.learn.learn_io.dask_io``. compat_learn
does not support dask: `HAS_DASK` is always False, and the ``extract_dask_*``
helpers return non-dask data unchanged and reject dask collections with a clear
error. Native TF2: compute the dask collection (``.compute()``) and use
``tf.data.Dataset.from_tensor_slices``.
"""

from compat_learn import _deprecation

__all__ = ["HAS_DASK", "extract_dask_data", "extract_dask_labels"]

HAS_DASK = False

_UNSUPPORTED = ("compat_learn does not support dask (r1.15's `%s` accepted dask "
                "collections); got a %s. Call `.compute()` on it and pass the resulting "
                "numpy/pandas data instead.")


def _reject_dask(name, data):
    module = type(data).__module__ or ""
    if module == "dask" or module.startswith("dask."):
        raise NotImplementedError(_UNSUPPORTED % (name, type(data).__name__))
    return data


def extract_dask_data(data):
    """Returns `data` unchanged; raises NotImplementedError for a dask collection."""
    _deprecation.warn_deprecated("tf.contrib.learn.extract_dask_data", "dask .compute()")
    return _reject_dask("extract_dask_data", data)


def extract_dask_labels(labels):
    """Returns `labels` unchanged; raises NotImplementedError for a dask collection."""
    _deprecation.warn_deprecated("tf.contrib.learn.extract_dask_labels", "dask .compute()")
    return _reject_dask("extract_dask_labels", labels)
