"""The input_fn behind ``fit(x=..., y=...)`` and `SKCompat` (r1.15's data feeder).

r1.15 fed numpy data through ``learn_io.data_feeder.DataFeeder``: placeholders plus a
``FeedFnHook`` that sliced random batches. compat_learn builds the input_fn on
TensorFlow 2.15's queue-based ``tf.compat.v1.estimator.inputs.numpy_input_fn``
instead, which also keeps the data out of the graph (no large constants in the
checkpoint's meta graph). What r1.15 users notice is kept: the tensor shapes (a
1-D `x` becomes ``[batch, 1]``; a label of shape ``[n, 1]`` becomes ``[batch]``),
the dtypes (unchanged), ``batch_size=None`` meaning the whole data set, and the
shuffling and epochs chosen by the caller. Not supported: iterators/generators as
`x` or `y` (r1.15's ``StreamingDataFeeder``) and dask collections.
"""

import numpy as np

from compat_learn.learn_io import dask_io, pandas_io

__all__ = ["array_input_fn"]

MSG_ITERATOR = ("`x` and `y` must be numpy arrays (or dicts of them, or pandas data); got "
                "an iterator of type %s. compat_learn does not support r1.15's streaming "
                "data feeder: materialise it with np.asarray(list(...)) or pass an input_fn.")


def _as_array(value, name):
    if hasattr(value, "__next__"):
        raise TypeError(MSG_ITERATOR % type(value).__name__)
    dask_io._reject_dask(name, value)
    return np.asarray(value)


def _features(value):
    # r1.15 data_feeder._get_in_out_shape: a 1-D feature becomes [batch, 1].
    array = _as_array(value, "x")
    return array.reshape((-1, 1)) if array.ndim == 1 else array


def _labels(value):
    # r1.15 data_feeder._get_in_out_shape: [n, 1, ...] labels lose the 1.
    array = _as_array(value, "y")
    if array.ndim > 1 and array.shape[1] == 1:
        array = array.reshape(array.shape[:1] + array.shape[2:])
    return array


def _num_rows(x):
    first = next(iter(x.values())) if isinstance(x, dict) else x
    return first.shape[0]


def array_input_fn(x, y=None, batch_size=None, shuffle=False, epochs=1):
    """Returns an input_fn feeding numpy `x` (and `y`) as r1.15's data feeder did.

    Args:
      x: numpy array, dict of numpy arrays, or pandas DataFrame of features.
      y: numpy array, dict of numpy arrays, pandas data, or None.
      batch_size: batch size; None means all rows in one batch.
      shuffle: whether to shuffle.
      epochs: passes over the data; None repeats forever.

    Returns:
      An input_fn returning ``(features, labels)``, or features when `y` is None.

    Raises:
      ValueError: for a batch_size below 1 (r1.15 message).
      TypeError: for an iterator `x` or `y`.
    """
    if pandas_io.HAS_PANDAS:
        x = pandas_io.extract_pandas_data(x)
        if y is not None:
            y = pandas_io.extract_pandas_labels(y)
    x = {k: _features(v) for k, v in x.items()} if isinstance(x, dict) else _features(x)
    if y is not None:
        y = {k: _labels(v) for k, v in y.items()} if isinstance(y, dict) else _labels(y)
    if batch_size is None:
        batch_size = _num_rows(x)
    elif batch_size <= 0:
        raise ValueError(f"Invalid batch_size {int(batch_size)}.")
    from compat_learn import _tf
    return _tf.tf.compat.v1.estimator.inputs.numpy_input_fn(
        x=x, y=y, batch_size=max(1, batch_size), shuffle=bool(shuffle), num_epochs=epochs)
