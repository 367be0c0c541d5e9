"""`tf.contrib.learn.datasets.base`: small CSV data sets read from local files.

Replaces ``tensorflow.contrib.learn.python.learn.datasets.base``. Native TF2:
``tf.data.experimental.make_csv_dataset``, ``numpy.loadtxt`` or ``pandas.read_csv``.

compat_learn reads local files only and never downloads: r1.15 bundled iris.csv and
boston_house_prices.csv inside TensorFlow, compat_learn does not, so `load_iris`
and `load_boston` need a `data_path`. ``retry`` and ``maybe_download`` are not
provided.
"""

import collections
import csv
import os

import numpy as np

from compat_learn import _deprecation

__all__ = [
    "Dataset",
    "Datasets",
    "load_boston",
    "load_csv_with_header",
    "load_csv_without_header",
    "load_iris",
    "shrink_csv",
]

Dataset = collections.namedtuple("Dataset", ["data", "target"])
Datasets = collections.namedtuple("Datasets", ["train", "validation", "test"])

MSG_NO_DOWNLOAD = (
    "`data_path` is required: compat_learn does not bundle or download the {name} data "
    "set (r1.15 shipped {filename} inside TensorFlow). Pass data_path= a local CSV in "
    "r1.15's format: a header row '<n_samples>,<n_features>,...', then one row per "
    "sample with the target in the last column.")


def _open(filename, mode="r"):
    """tf.io.gfile.GFile, as r1.15's gfile.Open: a missing file raises
    tf.errors.NotFoundError (which scripts catch), not FileNotFoundError."""
    from compat_learn import _tf

    return _tf.gfile.GFile(filename, mode)


def load_csv_with_header(filename, target_dtype, features_dtype, target_column=-1):
    """Loads a CSV whose header row starts with ``n_samples,n_features``.

    Args:
      filename: a local path.
      target_dtype: numpy dtype of the target.
      features_dtype: numpy dtype of the features.
      target_column: index of the target column in each row.

    Returns:
      A `Dataset` of ``data`` (``[n_samples, n_features]``) and ``target``.
    """
    _deprecation.warn_deprecated("tf.contrib.learn.datasets.base.load_csv_with_header",
                                 "tf.data.experimental.make_csv_dataset or numpy.loadtxt")
    with _open(filename) as csv_file:
        rows = csv.reader(csv_file)
        header = next(rows)
        n_samples, n_features = int(header[0]), int(header[1])
        data = np.zeros((n_samples, n_features), dtype=features_dtype)
        target = np.zeros((n_samples,), dtype=target_dtype)
        for i, row in enumerate(rows):
            target[i] = np.asarray(row.pop(target_column), dtype=target_dtype)
            data[i] = np.asarray(row, dtype=features_dtype)
    return Dataset(data=data, target=target)


def load_csv_without_header(filename, target_dtype, features_dtype, target_column=-1):
    """Loads a CSV without a header row.

    Returns:
      A `Dataset`; ``data`` is built from the rows converted to `features_dtype`.
    """
    _deprecation.warn_deprecated("tf.contrib.learn.datasets.base.load_csv_without_header",
                                 "tf.data.experimental.make_csv_dataset or numpy.loadtxt")
    with _open(filename) as csv_file:
        data, target = [], []
        for row in csv.reader(csv_file):
            target.append(row.pop(target_column))
            data.append(np.asarray(row, dtype=features_dtype))
    return Dataset(data=np.array(data), target=np.array(target, dtype=target_dtype))


def shrink_csv(filename, ratio):
    """Writes every `ratio`-th row of `filename` to a ``_small`` sibling file.

    r1.15 named it ``filename.replace('.', '_small.')``; compat_learn applies that to
    the file name only, so a dot in a directory name no longer redirects the output
    into a directory that does not exist.
    """
    _deprecation.warn_deprecated("tf.contrib.learn.datasets.base.shrink_csv",
                                 "tf.data.Dataset.shard")
    directory, name = os.path.split(filename)
    filename_small = os.path.join(directory, name.replace(".", "_small."))
    with _open(filename_small, "w") as small, _open(filename) as src:
        writer = csv.writer(small)
        for i, row in enumerate(csv.reader(src)):
            if i % ratio == 0:
                writer.writerow(row)


def load_iris(data_path=None):
    """Loads the iris data from `data_path` (int64 target, float64 features).

    Raises:
      ValueError: without `data_path` (compat_learn does not bundle or download it).
    """
    _deprecation.warn_deprecated("tf.contrib.learn.datasets.load_iris",
                                 "sklearn.datasets.load_iris or a local CSV")
    if data_path is None:
        raise ValueError(MSG_NO_DOWNLOAD.format(name="iris", filename="iris.csv"))
    return load_csv_with_header(data_path, target_dtype=np.int64, features_dtype=np.float64)


def load_boston(data_path=None):
    """Loads the Boston housing data from `data_path` (float64 target and features).

    Raises:
      ValueError: without `data_path` (compat_learn does not bundle or download it).
    """
    _deprecation.warn_deprecated("tf.contrib.learn.datasets.load_boston",
                                 "a local CSV with numpy or pandas")
    if data_path is None:
        raise ValueError(MSG_NO_DOWNLOAD.format(name="boston",
                                                filename="boston_house_prices.csv"))
    return load_csv_with_header(data_path, target_dtype=np.float64, features_dtype=np.float64)
