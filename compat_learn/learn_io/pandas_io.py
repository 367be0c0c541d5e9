"""`tf.contrib.learn.io.pandas_input_fn` and the pandas extraction helpers.

Replaces ``tensorflow.contrib.learn.python.learn.learn_io.pandas_io``. Native TF2:
``tf.compat.v1.estimator.inputs.pandas_input_fn`` (which this calls) or
``tf.data.Dataset.from_tensor_slices(dict(df))``; read the DataFrame's values
directly instead of the ``extract_pandas_*`` helpers.
"""

from compat_learn import _deprecation

try:
    import pandas as pd
    HAS_PANDAS = True
except (OSError, ImportError):  # r1.15: pandas may fail writing a temp file on import
    pd = None
    HAS_PANDAS = False

__all__ = [
    "HAS_PANDAS",
    "PANDAS_DTYPES",
    "extract_pandas_data",
    "extract_pandas_labels",
    "extract_pandas_matrix",
    "pandas_input_fn",
]

PANDAS_DTYPES = {
    "int8": "int", "int16": "int", "int32": "int", "int64": "int",
    "uint8": "int", "uint16": "int", "uint32": "int", "uint64": "int",
    "float16": "float", "float32": "float", "float64": "float",
    "bool": "i",
}


def _is_dataframe(data):
    return HAS_PANDAS and isinstance(data, pd.DataFrame)


def pandas_input_fn(x, y=None, batch_size=128, num_epochs=1, shuffle=True,
                    queue_capacity=1000, num_threads=1, target_column="target"):
    """Returns an input_fn feeding a pandas DataFrame in batches.

    Same as ``tf.compat.v1.estimator.inputs.pandas_input_fn`` except that
    `shuffle` defaults to True, as in r1.15.

    Args:
      x: pandas DataFrame of features.
      y: pandas Series (or one-column DataFrame) of labels, or None.
      batch_size: size of the batches.
      num_epochs: epochs to iterate over the data; None repeats forever.
      shuffle: whether to shuffle the queue.
      queue_capacity: size of the queue.
      num_threads: threads that read and enqueue.
      target_column: name the labels get while they travel with the features.

    Returns:
      An input_fn returning ``(features, labels)``.

    Raises:
      TypeError: without pandas installed (TensorFlow's message).
    """
    _deprecation.warn_deprecated("tf.contrib.learn.io.pandas_input_fn",
                                 "tf.compat.v1.estimator.inputs.pandas_input_fn or tf.data")
    from compat_learn import _tf
    return _tf.tf.compat.v1.estimator.inputs.pandas_input_fn(
        x=x, y=y, batch_size=batch_size, shuffle=shuffle, num_epochs=num_epochs,
        queue_capacity=queue_capacity, num_threads=num_threads,
        target_column=target_column)


def extract_pandas_data(data):
    """Returns a DataFrame's values as floats; anything else unchanged.

    Raises:
      ValueError: if a column is not int, float or bool (r1.15 message).
    """
    _deprecation.warn_deprecated("tf.contrib.learn.extract_pandas_data",
                                 "DataFrame.to_numpy(dtype=float)")
    return _extract_data(data)


def extract_pandas_matrix(data):
    """Returns a DataFrame's values (``to_numpy()``); anything else unchanged.

    r1.15 called ``DataFrame.as_matrix()``, which pandas 1.0 removed; the values are
    the same.
    """
    _deprecation.warn_deprecated("tf.contrib.learn.extract_pandas_matrix",
                                 "DataFrame.to_numpy()")
    return _extract_matrix(data)


def extract_pandas_labels(labels):
    """Returns a one-column DataFrame's values; anything else (a Series too) unchanged.

    Raises:
      ValueError: for more than one column, or a column that is not int, float or
        bool (r1.15 messages).
    """
    _deprecation.warn_deprecated("tf.contrib.learn.extract_pandas_labels",
                                 "Series.to_numpy()")
    return _extract_labels(labels)


# The data feeder's and CategoricalProcessor's calls: no deprecation warning naming a
# function the user did not call (r1.15 logged one, as it did for everything).
def _bad_columns(data):
    return [column for column in data if data[column].dtype.name not in PANDAS_DTYPES]


def _extract_data(data):
    if not _is_dataframe(data):
        return data
    bad = _bad_columns(data)
    if not bad:
        return data.values.astype("float")
    report = ["'" + str(column) + "' type='" + data[column].dtype.name + "'" for column in bad]
    raise ValueError("Data types for extracting pandas data must be int, float, or bool. "
                     "Found: " + ", ".join(report))


def _extract_matrix(data):
    if not _is_dataframe(data):
        return data
    return data.to_numpy()


def _extract_labels(labels):
    # r1.15 checked for a DataFrame only: a Series is returned as it is (the data
    # feeder reads it by position, `iloc`).
    if not _is_dataframe(labels):
        return labels
    if len(labels.columns) > 1:
        raise ValueError("Only one column for labels is allowed.")
    bad = _bad_columns(labels)
    if not bad:
        return labels.values
    report = ["'" + str(column) + "' type=" + str(labels[column].dtype.name) for column in bad]
    raise ValueError("Data types for extracting labels must be int, float, or bool. "
                     "Found: " + ", ".join(report))
