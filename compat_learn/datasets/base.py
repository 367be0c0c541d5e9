"""`tf.contrib.learn.datasets.base`: CSV data sets, bundled iris/boston, downloads.

Replaces ``tensorflow.contrib.learn.python.learn.datasets.base`` (r1.15). Native TF2:
``tf.data.experimental.make_csv_dataset``, ``tf.keras.utils.get_file``,
``numpy.loadtxt`` or ``pandas.read_csv``.

`load_iris` and `load_boston` read the CSVs that r1.15 shipped inside TensorFlow, and
compat_learn ships in ``compat_learn/datasets/data``. `maybe_download` skips a file
that is present; a download goes through a temporary file, so a failed one leaves
nothing at the destination. Retries are r1.15's: only a transfer that times out is
retried (1, 2, 4, 8, 16 s apart, +-25 %); a host that cannot be reached (no network,
unknown name, refused connection) fails on the first attempt, with an error that
names the file and where to put it.
"""

import collections
import contextlib
import csv
import functools
import logging
import os
import random
import shutil
import socket
import tempfile
import time
import urllib.error
import urllib.request

import numpy as np

from compat_learn import _deprecation

__all__ = [
    "Dataset",
    "Datasets",
    "DownloadError",
    "load_boston",
    "load_csv_with_header",
    "load_csv_without_header",
    "load_iris",
    "maybe_download",
    "retry",
    "shrink_csv",
    "urlretrieve_with_retry",
]

Dataset = collections.namedtuple("Dataset", ["data", "target"])
Datasets = collections.namedtuple("Datasets", ["train", "validation", "test"])

_log = logging.getLogger(__name__)

DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")

# An unreachable host must not hang a script: a connection attempt or a stalled
# transfer gives up after this many seconds (r1.15 had no limit).
DOWNLOAD_TIMEOUT_SECS = 10.0

MSG_DOWNLOAD_FAILED = (
    "Could not download {filename} from {url} ({reason}). Without a network, download "
    "{url} on a machine that has one and put it at {filepath}: files that are present "
    "are used as they are.")


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
    return _load_csv_with_header(filename, target_dtype, features_dtype, target_column)


def _load_csv_with_header(filename, target_dtype, features_dtype, target_column=-1):
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
    return _load_csv_without_header(filename, target_dtype, features_dtype, target_column)


def _load_csv_without_header(filename, target_dtype, features_dtype, target_column=-1):
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
    _shrink_csv(filename, ratio)


def _shrink_csv(filename, ratio):
    directory, name = os.path.split(filename)
    filename_small = os.path.join(directory, name.replace(".", "_small."))
    with _open(filename_small, "w") as small, _open(filename) as src:
        writer = csv.writer(small)
        for i, row in enumerate(csv.reader(src)):
            if i % ratio == 0:
                writer.writerow(row)


def load_iris(data_path=None):
    """Loads the iris data (150 samples, 4 features; int64 target, float64 features).

    Args:
      data_path: a CSV in r1.15's format; default the iris.csv that r1.15 shipped
        (``compat_learn/datasets/data/iris.csv``).

    Returns:
      A `Dataset`.
    """
    _deprecation.warn_deprecated("tf.contrib.learn.datasets.load_iris",
                                 "sklearn.datasets.load_iris or a local CSV")
    if data_path is None:
        data_path = os.path.join(DATA_DIR, "iris.csv")
    return _load_csv_with_header(data_path, target_dtype=np.int64, features_dtype=np.float64)


def load_boston(data_path=None):
    """Loads the Boston housing data (506 samples, 13 features; float64).

    Args:
      data_path: a CSV in r1.15's format; default the boston_house_prices.csv that
        r1.15 shipped (``compat_learn/datasets/data/boston_house_prices.csv``).

    Returns:
      A `Dataset`.
    """
    _deprecation.warn_deprecated("tf.contrib.learn.datasets.load_boston",
                                 "a local CSV with numpy or pandas")
    if data_path is None:
        data_path = os.path.join(DATA_DIR, "boston_house_prices.csv")
    return _load_csv_with_header(data_path, target_dtype=np.float64, features_dtype=np.float64)


# --------------------------------------------------------------------------------------
# Retries and downloads.
# --------------------------------------------------------------------------------------
def retry(initial_delay, max_delay, factor=2.0, jitter=0.25, is_retriable=None):
    """A decorator that calls a function again after the errors `is_retriable` accepts.

    As r1.15: the delays are `initial_delay`, times `factor` each time, while they do
    not exceed `max_delay`, each multiplied by a random number in
    ``[1 - jitter, 1 + jitter]``; after the last delay one more call is made, whose
    error propagates. Without `is_retriable` every error is retried at once (no sleep).

    Args:
      initial_delay: the first delay, in seconds.
      max_delay: the largest delay before jitter.
      factor: the delay multiplier (>= 1).
      jitter: the relative random spread of each delay (< 1).
      is_retriable: a function of the exception; False re-raises it at once.

    Returns:
      A decorator.

    Raises:
      ValueError: for `factor` < 1 or `jitter` >= 1 (r1.15 messages).
    """
    _deprecation.warn_deprecated("tf.contrib.learn.datasets.base.retry",
                                 "a retry library, e.g. tenacity")
    return _internal_retry(initial_delay=initial_delay, max_delay=max_delay, factor=factor,
                           jitter=jitter, is_retriable=is_retriable)


def _internal_retry(initial_delay, max_delay, factor=2.0, jitter=0.25, is_retriable=None):
    if factor < 1:
        raise ValueError("factor must be >= 1; was %f" % (factor,))
    if jitter >= 1:
        raise ValueError("jitter must be < 1; was %f" % (jitter,))

    def delays():
        delay = initial_delay
        while delay <= max_delay:
            yield delay * random.uniform(1 - jitter, 1 + jitter)
            delay *= factor

    def wrap(fn):
        @functools.wraps(fn)
        def wrapped_fn(*args, **kwargs):
            for delay in delays():
                try:
                    return fn(*args, **kwargs)
                except Exception as e:
                    if is_retriable is None:
                        continue
                    if not is_retriable(e):
                        raise
                    _log_retry(fn, e, delay)
                    time.sleep(delay)
            return fn(*args, **kwargs)

        return wrapped_fn

    return wrap


def _log_retry(fn, error, delay):
    _log.warning("%s failed (%s); retrying in %.1f s.", getattr(fn, "__name__", fn),
                 error, delay)


# r1.15: errno 110, "Connection timed out" [socket.py].
_RETRIABLE_ERRNOS = {110}


def _is_retriable(e):
    """r1.15's test (an OSError with errno 110), and a transfer that stalled past the
    timeout. A host that cannot be reached is not retried: urllib wraps every
    connection error in URLError, whose errno is None."""
    return isinstance(e, OSError) and (e.errno in _RETRIABLE_ERRNOS
                                       or isinstance(e, socket.timeout))


def _retrieve(url, filename):
    """urllib.request.urlretrieve with a timeout; removes `filename` on failure."""
    if filename is None:
        with tempfile.NamedTemporaryFile(delete=False) as tmp:
            filename = tmp.name
    try:
        with contextlib.closing(urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_SECS)) \
                as response, open(filename, "wb") as out:
            headers = response.info()
            expected = int(headers.get("Content-Length", -1))
            shutil.copyfileobj(response, out)
            size = out.tell()
        if 0 <= expected != size:
            raise urllib.error.ContentTooShortError(
                "retrieval incomplete: got only %i out of %i bytes" % (size, expected),
                (filename, headers))
    except BaseException as exc:
        if isinstance(exc, urllib.error.HTTPError):
            exc.close()  # the error holds the open connection
        with contextlib.suppress(OSError):
            os.remove(filename)
        raise
    return filename, headers


@_internal_retry(initial_delay=1.0, max_delay=16.0, is_retriable=_is_retriable)
def _urlretrieve_with_retry(url, filename=None):
    return _retrieve(url, filename)


def urlretrieve_with_retry(url, filename=None):
    """Downloads `url` (as ``urllib.request.urlretrieve``), retrying a timed-out transfer.

    Args:
      url: the URL.
      filename: where to write it; default a new temporary file.

    Returns:
      ``(filename, headers)``, as ``urllib.request.urlretrieve``.

    Raises:
      urllib.error.URLError: the host cannot be reached, or answers with an error,
        or the transfer ends early (`ContentTooShortError`). Nothing is left at
        `filename` then.
    """
    _deprecation.warn_deprecated("tf.contrib.learn.datasets.base.urlretrieve_with_retry",
                                 "tf.keras.utils.get_file or urllib")
    return _urlretrieve_with_retry(url, filename)


class DownloadError(urllib.error.URLError):
    """A data file is missing and could not be downloaded.

    A ``urllib.error.URLError`` (r1.15 raised the URLError itself) whose message names
    the file, the URL and where to put the file by hand. compat_learn's addition.
    """

    def __init__(self, message, reason):
        super().__init__(reason)
        self.message = message

    def __str__(self):
        return self.message


def maybe_download(filename, work_directory, source_url):
    """Downloads `source_url` to ``work_directory/filename`` unless that file exists.

    Args:
      filename: the file name in `work_directory`.
      work_directory: the directory (created if needed; any tf.io.gfile path).
      source_url: where to download the file from.

    Returns:
      The path of the file.

    Raises:
      DownloadError: the file is missing and could not be downloaded; the message
        says where to put it. Nothing is left in `work_directory`.
    """
    _deprecation.warn_deprecated("tf.contrib.learn.datasets.base.maybe_download",
                                 "tf.keras.utils.get_file")
    return _maybe_download(filename, work_directory, source_url)


def _maybe_download(filename, work_directory, source_url):
    from compat_learn import _tf

    gfile = _tf.gfile
    if not gfile.exists(work_directory):
        gfile.makedirs(work_directory)
    filepath = os.path.join(work_directory, filename)
    if not gfile.exists(filepath):
        _download(source_url, filename, filepath, gfile)
        size = gfile.stat(filepath).length
        print("Successfully downloaded", filename, size, "bytes.")
    return filepath


def _download(url, filename, filepath, gfile):
    fd, local = tempfile.mkstemp(prefix=filename + ".")
    os.close(fd)
    partial = filepath + ".incomplete"
    try:
        try:
            _urlretrieve_with_retry(url, local)
        except Exception as exc:
            reason = getattr(exc, "reason", exc)
            raise DownloadError(MSG_DOWNLOAD_FAILED.format(
                filename=filename, url=url, reason=reason, filepath=filepath), reason) from exc
        # Copy, then rename: the destination holds the whole file or nothing (r1.15
        # copied straight to it).
        gfile.copy(local, partial, overwrite=True)
        gfile.rename(partial, filepath, overwrite=True)
    except BaseException:
        with contextlib.suppress(Exception):
            if gfile.exists(partial):
                gfile.remove(partial)
        raise
    finally:
        with contextlib.suppress(OSError):
            os.remove(local)
