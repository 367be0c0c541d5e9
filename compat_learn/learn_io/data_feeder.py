"""r1.15's data feeders: what ``fit(x=, y=)``, ``evaluate(x=)`` and ``predict(x=)`` feed.

Replaces ``tensorflow.contrib.learn.python.learn.learn_io.data_feeder``. Native TF2:
``tf.data.Dataset.from_tensor_slices`` (arrays) or ``from_generator`` (iterators).

As in r1.15 the input_fn (`DataFeeder.input_builder`) makes placeholders, named
``input`` / ``output`` (``input_<key>`` / ``output_<key>`` for dicts), of the data's
own dtypes and shapes ``[None] + row shape`` (a 1-D `x` gives ``[None, 1]``; a label
of shape ``[n, 1]`` gives ``[None]``), and the feed function of
`get_feed_dict_fn` fills them batch by batch: `DataFeeder` walks a permutation of
the rows (``RandomState(42)`` unless given; re-drawn every epoch; the last batch of
an epoch is short) and raises StopIteration after `epochs` passes;
`StreamingDataFeeder` reads one row per element from iterators. A bare array is
fed as a bare tensor (r1.15's canned estimators call it feature ``""``). dask
collections are not supported (see `dask_io`). The ``setup_*`` functions warn that
they are deprecated; the feeder classes, which the estimators build, do not.
"""

import itertools
import logging
import math

import numpy as np

from compat_learn import _deprecation
from compat_learn.learn_io import dask_io, pandas_io

__all__ = [
    "DataFeeder",
    "StreamingDataFeeder",
    "check_array",
    "setup_predict_data_feeder",
    "setup_processor_data_feeder",
    "setup_train_data_feeder",
]

logger = logging.getLogger(__name__)

_REPLACEMENT = "tf.data.Dataset.from_tensor_slices or tf.data.Dataset.from_generator"
MSG_STREAMING = "Both x and y should be iterators for streaming learning to work."


def _get_in_out_shape(x_shape, y_shape, n_classes, batch_size=None):
    """r1.15 `_get_in_out_shape`: ``(input shape, output shape, batch size)``."""
    x_is_dict = isinstance(x_shape, dict)
    y_is_dict = isinstance(y_shape, dict)
    if batch_size is None:
        batch_size = next(iter(x_shape.values()))[0] if x_is_dict else x_shape[0]
    elif batch_size <= 0:
        raise ValueError("Invalid batch_size %d." % batch_size)

    def in_shape(shape):
        return [batch_size] + (list(shape[1:]) if len(shape) > 1 else [1])

    input_shape = ({k: in_shape(v) for k, v in x_shape.items()} if x_is_dict
                   else in_shape(x_shape))
    if y_shape is None:
        return input_shape, None, batch_size

    def out_shape(shape, num_classes):
        shape = list(shape[1:]) if len(shape) > 1 else []
        if shape and shape[0] == 1:
            shape = shape[1:]
        if num_classes is not None and num_classes > 1:
            return [batch_size] + shape + [num_classes]
        return [batch_size] + shape

    if not y_is_dict:
        return input_shape, out_shape(y_shape, n_classes), batch_size
    output_shape = {k: out_shape(v, n_classes.get(k) if n_classes is not None else None)
                    for k, v in y_shape.items()}
    return input_shape, output_shape, batch_size


def _data_type_filter(x, y):
    """r1.15: pandas data to arrays (and dask rejected: compat_learn has no dask)."""
    dask_io._reject_dask("x", x)
    if y is not None:
        dask_io._reject_dask("y", y)
    if pandas_io.HAS_PANDAS:
        x = pandas_io._extract_data(x)
        if y is not None:
            y = pandas_io._extract_labels(y)
    return x, y


def _is_iterable(x):
    return hasattr(x, "next") or hasattr(x, "__next__")


def setup_train_data_feeder(x, y, n_classes, batch_size=None, shuffle=True, epochs=None):
    """Returns the data feeder for `x`, `y`: a `StreamingDataFeeder` for iterators.

    Args:
      x: numpy array, pandas data, or a dict of arrays; or an iterator of rows.
      y: the same kinds (an iterator when `x` is one), or None.
      n_classes: None (labels fed as they are), or the number of classes for
        one-hot labels (a dict of them for dict `y`).
      batch_size: rows per batch; None means all rows (one row for iterators).
      shuffle: walk the rows in a random order (arrays only).
      epochs: passes over the rows before the feed function raises StopIteration;
        None means forever.

    Raises:
      ValueError: `x` is an iterator and `y` is not (r1.15 message).
    """
    _deprecation.warn_deprecated("tf.contrib.learn.io.setup_train_data_feeder", _REPLACEMENT)
    return _train_data_feeder(x, y, n_classes, batch_size, shuffle, epochs)


def _train_data_feeder(x, y, n_classes, batch_size, shuffle, epochs):
    # What the estimators call (r1.15 _get_input_fn): no deprecation warning for
    # a function the user did not call.
    x, y = _data_type_filter(x, y)
    if isinstance(x, list):
        x = np.asarray(x)  # r1.15 failed on x.dtype ("'list' object has no attribute")
    if _is_iterable(x):
        if y is not None and not _is_iterable(y):
            raise ValueError(MSG_STREAMING)
        return StreamingDataFeeder(x, y, n_classes, batch_size)
    return DataFeeder(x, y, n_classes, batch_size, shuffle=shuffle, epochs=epochs)


def _as_matrix(rows):
    # r1.15 built np.matrix batches (2-D); numpy deprecates np.matrix.
    array = np.asarray(rows)
    return array.reshape(1, -1) if array.ndim < 2 else array


def _batch_data(x, batch_size=None):
    if batch_size is not None and batch_size <= 0:
        raise ValueError("Invalid batch_size %d." % batch_size)
    first = next(x)
    is_dict = isinstance(first, dict)
    chunk = {k: [] for k in first} if is_dict else []
    for data in itertools.chain([first], x):
        if is_dict:
            for k, v in data.items():
                chunk[k].append(v)
            if batch_size is not None and len(chunk[next(iter(chunk))]) >= batch_size:
                yield {k: _as_matrix(v) for k, v in chunk.items()}
                chunk = {k: [] for k in first}
        else:
            chunk.append(data)
            if batch_size is not None and len(chunk) >= batch_size:
                yield _as_matrix(chunk)
                chunk = []
    yield {k: _as_matrix(v) for k, v in chunk.items()} if is_dict else _as_matrix(chunk)


def setup_predict_data_feeder(x, batch_size=None):
    """Returns a list (or, for an iterator, an iterator) of batches of `x` to predict.

    Raises:
      ValueError: a batch_size below 1 (r1.15 message).
    """
    _deprecation.warn_deprecated("tf.contrib.learn.io.setup_predict_data_feeder",
                                 _REPLACEMENT)
    dask_io._reject_dask("x", x)
    if pandas_io.HAS_PANDAS:
        x = pandas_io._extract_data(x)
    if _is_iterable(x):
        return _batch_data(x, batch_size)
    if len(x.shape) == 1:
        x = np.reshape(x, (-1, 1))
    if batch_size is not None:
        if batch_size <= 0:
            raise ValueError("Invalid batch_size %d." % batch_size)
        n_batches = math.ceil(float(len(x)) / batch_size)
        return [x[i * batch_size:(i + 1) * batch_size] for i in range(n_batches)]
    return [x]


def setup_processor_data_feeder(x):
    """Returns `x` to iterate over: a DataFrame's values, anything else unchanged."""
    _deprecation.warn_deprecated("tf.contrib.learn.io.setup_processor_data_feeder",
                                 _REPLACEMENT)
    if pandas_io.HAS_PANDAS:
        x = pandas_io._extract_matrix(x)
    return x


def check_array(array, dtype):
    """Returns a numpy array or list as an array of `dtype`; anything else unchanged."""
    if isinstance(array, (np.ndarray, list)):
        array = np.asarray(array, dtype=dtype)
    return array


def _access(data, iloc):
    if pandas_io.HAS_PANDAS:
        import pandas as pd
        if isinstance(data, (pd.Series, pd.DataFrame)):
            return data.iloc[iloc]
    return data[iloc]


def _check_dtype(dtype):
    if np.dtype(dtype) == np.float64:
        logger.warning("float64 is not supported by many models, consider casting to float32.")
    return dtype


def _placeholders(shape, dtype, name):
    from compat_learn import _tf
    tf = _tf.tf
    if shape is None:
        return None
    if isinstance(shape, dict):
        return {k: tf.compat.v1.placeholder(tf.as_dtype(dtype[k]), [None] + shape[k][1:],
                                            name=name + "_" + k)
                for k in shape}
    return tf.compat.v1.placeholder(tf.as_dtype(dtype), [None] + shape[1:], name=name)


class DataFeeder:
    """Feeds batches of in-memory `x` and `y` into placeholders (r1.15).

    Args:
      x: array of shape ``[n_samples, ...]`` or a dict of such arrays.
      y: labels of the same kinds, or None.
      n_classes: None (labels as they are), or the class count for one-hot labels
        (0 and 1 mean regression); a dict of them for dict `y`.
      batch_size: rows per batch; None means all rows.
      shuffle: walk the rows in a random permutation, re-drawn every epoch.
      random_state: a ``np.random.RandomState``; default ``RandomState(42)``.
      epochs: passes before the feed function raises StopIteration; None: forever.

    Raises:
      ValueError: a batch_size below 1 (r1.15 message).
    """

    def __init__(self, x, y, n_classes, batch_size=None, shuffle=True, random_state=None,
                 epochs=None):
        x_is_dict = isinstance(x, dict)
        y_is_dict = isinstance(y, dict)
        if isinstance(y, list):
            y = np.array(y)
        self._x = ({k: check_array(v, v.dtype) for k, v in x.items()} if x_is_dict
                   else check_array(x, x.dtype))
        if y is None:
            self._y = None
        elif y_is_dict:
            self._y = {k: check_array(v, v.dtype) for k, v in y.items()}
        else:
            self._y = check_array(y, y.dtype)
        if n_classes is not None and not y_is_dict and y is not None:
            # r1.15: class ids as int64 for one-hot labels, else float32.
            self._y = check_array(y, np.int64 if n_classes > 1 else np.float32)
        self.n_classes = n_classes
        self.max_epochs = epochs

        x_shape = {k: v.shape for k, v in self._x.items()} if x_is_dict else self._x.shape
        y_shape = (None if y is None else
                   {k: v.shape for k, v in self._y.items()} if y_is_dict else self._y.shape)
        self.input_shape, self.output_shape, self._batch_size = _get_in_out_shape(
            x_shape, y_shape, n_classes, batch_size)
        self._input_dtype = ({k: _check_dtype(v.dtype) for k, v in self._x.items()}
                             if x_is_dict else _check_dtype(self._x.dtype))
        if y_is_dict:
            self._output_dtype = {k: _check_dtype(v.dtype) for k, v in self._y.items()}
            for key in (n_classes or {}):
                if key in self._output_dtype:
                    self._output_dtype[key] = np.float32
        else:
            self._output_dtype = (_check_dtype(self._y.dtype) if y is not None
                                  else np.float32)
        self._shuffle = shuffle
        self.random_state = (np.random.RandomState(42) if random_state is None
                             else random_state)
        num_samples = next(iter(self._x.values())).shape[0] if x_is_dict else self._x.shape[0]
        self.indices = (self.random_state.permutation(num_samples) if shuffle
                        else np.arange(num_samples))
        self.offset = 0
        self.epoch = 0
        self._epoch_placeholder = None
        self._input_placeholder = None
        self._output_placeholder = None

    x = property(lambda self: self._x)
    y = property(lambda self: self._y)
    shuffle = property(lambda self: self._shuffle)
    input_dtype = property(lambda self: self._input_dtype)
    output_dtype = property(lambda self: self._output_dtype)
    batch_size = property(lambda self: self._batch_size)

    def make_epoch_variable(self):
        """Adds an int32 ``[1]`` placeholder named ``epoch``, fed the epoch; returns it."""
        from compat_learn import _tf
        self._epoch_placeholder = _tf.tf.compat.v1.placeholder(_tf.tf.int32, [1],
                                                               name="epoch")
        return self._epoch_placeholder

    def input_builder(self):
        """The input_fn: makes and returns the ``(input, output)`` placeholders."""
        self._input_placeholder = _placeholders(self.input_shape, self._input_dtype, "input")
        self._output_placeholder = _placeholders(self.output_shape, self._output_dtype,
                                                 "output")
        return self._input_placeholder, self._output_placeholder

    def set_placeholders(self, input_placeholder, output_placeholder):
        """Sets the placeholders the feed function fills."""
        self._input_placeholder = input_placeholder
        self._output_placeholder = output_placeholder

    def get_feed_params(self):
        """Returns ``{'epoch', 'offset', 'batch_size'}``."""
        return {"epoch": self.epoch, "offset": self.offset, "batch_size": self._batch_size}

    def get_feed_dict_fn(self):
        """Returns the feed function: the next batch as a feed_dict of placeholder names."""
        def extract(data, indices):
            if len(data.shape) == 1:
                return np.array(_access(data, indices)).reshape((indices.shape[0], 1))
            return _access(data, indices)

        def assign_label(data, shape, dtype, n_classes, indices):
            shape = [indices.shape[0]] + list(shape[1:])
            if n_classes is None or n_classes <= 1:
                return np.asarray(_access(data, indices), dtype=dtype).reshape(shape)
            out = np.zeros(shape, dtype=dtype)
            for i, sample in enumerate(indices):
                if len(shape) == 2:
                    out[i, int(_access(data, sample))] = 1.0
                else:
                    for idx, value in enumerate(_access(data, sample)):
                        out[i, idx, value] = 1.0
            return out

        def feed_dict_fn():
            if self.max_epochs is not None and self.epoch + 1 > self.max_epochs:
                raise StopIteration
            assert self._input_placeholder is not None
            feed_dict = {}
            if self._epoch_placeholder is not None:
                feed_dict[self._epoch_placeholder.name] = [self.epoch]
            x_is_dict = isinstance(self._x, dict)
            x_len = next(iter(self._x.values())).shape[0] if x_is_dict else self._x.shape[0]
            batch_indices = self.indices[self.offset:min(x_len, self.offset + self._batch_size)]
            if x_is_dict:
                feed_dict.update({self._input_placeholder[k].name: extract(v, batch_indices)
                                  for k, v in self._x.items()})
            else:
                feed_dict[self._input_placeholder.name] = extract(self._x, batch_indices)
            self.offset += self._batch_size
            if self.offset >= x_len:
                self.indices = (self.random_state.permutation(x_len) if self._shuffle
                                else np.arange(x_len))
                self.offset = 0
                self.epoch += 1
            if self._output_placeholder is None:
                return feed_dict
            if isinstance(self._y, dict):
                for k, v in self._y.items():
                    n_classes = (self.n_classes or {}).get(k)
                    feed_dict[self._output_placeholder[k].name] = assign_label(
                        v, self.output_shape[k], self._output_dtype[k], n_classes,
                        batch_indices)
            else:
                feed_dict[self._output_placeholder.name] = assign_label(
                    self._y, self.output_shape, self._output_dtype, self.n_classes,
                    batch_indices)
            return feed_dict

        return feed_dict_fn


def _y_dtype(element):
    if isinstance(element, np.ndarray):
        return element.dtype
    if isinstance(element, list):
        return _y_dtype(element[0])
    return _check_dtype(np.dtype(type(element)))


class StreamingDataFeeder(DataFeeder):
    """Feeds rows read from iterators of `x` and `y` (r1.15).

    Each element of `x` (`y`) is one row: an array, or a dict of arrays. The first
    elements fix the shapes and dtypes. A batch that the iterator ends early is fed
    short; the next call raises StopIteration.

    Args:
      x: iterator of feature rows.
      y: iterator of label rows, or None.
      n_classes: as for `DataFeeder` (one-hot labels are float32).
      batch_size: rows per batch; None means one.
    """

    def __init__(self, x, y, n_classes, batch_size):  # r1.15: no DataFeeder.__init__
        x_first = next(x)
        self._x = itertools.chain([x_first], x)
        y_first = None
        self._y = None
        if y is not None:
            y_first = next(y)
            self._y = itertools.chain([y_first], y)
        self.n_classes = n_classes
        x_is_dict = isinstance(x_first, dict)
        y_is_dict = y is not None and isinstance(y_first, dict)
        x_shape = ({k: [1] + list(np.shape(v)) for k, v in x_first.items()} if x_is_dict
                   else [1] + list(np.shape(x_first)))
        if y is None:
            y_shape = None
        elif y_is_dict:
            y_shape = {k: [1] + list(np.shape(v)) for k, v in y_first.items()}
        else:
            y_shape = [1] + list(np.shape(y_first[0] if isinstance(y_first, list)
                                          else y_first))
        self.input_shape, self.output_shape, self._batch_size = _get_in_out_shape(
            x_shape, y_shape, n_classes, batch_size)
        self._input_dtype = ({k: _check_dtype(np.asarray(v).dtype) for k, v in x_first.items()}
                             if x_is_dict else _check_dtype(np.asarray(x_first).dtype))
        if n_classes is not None and not y_is_dict and n_classes > 0:
            self._output_dtype = np.float32
        elif y_is_dict:
            self._output_dtype = {k: _y_dtype(v) for k, v in y_first.items()}
        elif y is None:
            self._output_dtype = None
        else:
            self._output_dtype = _y_dtype(y_first)
        self._epoch_placeholder = None
        self._input_placeholder = None
        self._output_placeholder = None
        self.stopped = False

    def get_feed_params(self):
        """Returns ``{'batch_size'}``."""
        return {"batch_size": self._batch_size}

    def get_feed_dict_fn(self):
        """Returns the feed function: the next rows of the iterators as a feed_dict."""
        self.stopped = False

        def init_array(shape, dtype):
            if shape is None:
                return None
            if isinstance(shape, dict):
                return {k: np.zeros(shape[k], dtype[k]) for k in shape}
            return np.zeros(shape, dtype=dtype)

        def put(dest, index, source, n_classes):
            if source is None:
                return dest[:index]
            if n_classes is not None and n_classes > 1:
                if dest.ndim == 2:
                    dest[index, source] = 1.0
                else:
                    for idx, value in enumerate(source):
                        dest[index, idx, value] = 1.0
            elif dest.ndim > 1:
                dest[index, :] = source
            else:
                # A row given as a 1-element array (r1.15 assigned it as a scalar).
                dest[index] = (source[0] if isinstance(source, list)
                               else np.asarray(source).reshape(()))
            return dest

        def put_all(holder, index, data=None, n_classes=None):
            if holder is None:
                return None
            if isinstance(holder, dict):
                data = data if data is not None else dict.fromkeys(holder)
                return {k: put(holder[k], index, data[k],
                               n_classes.get(k) if n_classes is not None else None)
                        for k in holder}
            return put(holder, index, data, n_classes)

        def feed_dict_fn():
            if self.stopped:
                raise StopIteration
            inp = init_array(self.input_shape, self._input_dtype)
            out = init_array(self.output_shape, self._output_dtype)
            for i in range(self._batch_size):
                try:
                    inp = put_all(inp, i, next(self._x))
                except StopIteration:
                    self.stopped = True
                    if i == 0:
                        raise
                    inp = put_all(inp, i)
                    out = put_all(out, i)
                    break
                if self._y is not None:
                    out = put_all(out, i, next(self._y), self.n_classes)
            if isinstance(inp, dict):
                feed_dict = {self._input_placeholder[k].name: inp[k]
                             for k in self._input_placeholder}
            else:
                feed_dict = {self._input_placeholder.name: inp}
            if self._y is not None:
                if isinstance(out, dict):
                    feed_dict.update({self._output_placeholder[k].name: out[k]
                                      for k in self._output_placeholder})
                else:
                    feed_dict[self._output_placeholder.name] = out
            return feed_dict

        return feed_dict_fn
