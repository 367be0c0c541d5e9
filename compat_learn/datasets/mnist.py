"""`tf.contrib.learn.datasets.mnist`: MNIST idx files, `DataSet` and `read_data_sets`.

Replaces ``tensorflow.contrib.learn.python.learn.datasets.mnist`` (r1.15) and TF 1.x's
``tensorflow.examples.tutorials.mnist.input_data`` (which re-exported it; the import
hook serves that path with this module). Native TF2 replacement:
``tf.keras.datasets.mnist.load_data`` or ``tensorflow_datasets``.

`read_data_sets` uses the four ``*-ubyte.gz`` files found in `train_dir` and
downloads the missing ones (`base.maybe_download`). Without a network a missing file
fails at once, naming the file and where to put it. A corrupt or truncated file
raises ValueError naming it; a file downloaded by the same call is removed then, so
the next run downloads it again.
"""

import gzip
import os
import zlib

import numpy

from compat_learn import _deprecation
from compat_learn._tf import tf
from compat_learn.datasets import base

__all__ = [
    "DEFAULT_SOURCE_URL",
    "DataSet",
    "dense_to_one_hot",
    "extract_images",
    "extract_labels",
    "load_mnist",
    "read_data_sets",
]

_REPLACEMENT = "tf.keras.datasets.mnist.load_data or tensorflow_datasets"

DEFAULT_SOURCE_URL = "https://storage.googleapis.com/cvdf-datasets/mnist/"

TRAIN_IMAGES = "train-images-idx3-ubyte.gz"
TRAIN_LABELS = "train-labels-idx1-ubyte.gz"
TEST_IMAGES = "t10k-images-idx3-ubyte.gz"
TEST_LABELS = "t10k-labels-idx1-ubyte.gz"
_FILES = (TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)

# r1.15 messages.
MSG_BAD_IMAGE_MAGIC = "Invalid magic number %d in MNIST image file: %s"
MSG_BAD_LABEL_MAGIC = "Invalid magic number %d in MNIST label file: %s"
MSG_BAD_VALIDATION_SIZE = "Validation size should be between 0 and {}. Received: {}."
MSG_BAD_DTYPE = "Invalid image dtype %r, expected uint8 or float32"
# compat_learn's: r1.15 failed inside gzip or numpy without naming the file.
MSG_CORRUPT = ("MNIST {kind} file {name} is corrupt or truncated ({reason}). Replace it "
               "with the original file (read_data_sets downloads a missing file again).")

_MAXINT32 = 2**31 - 1


class _Corrupt(ValueError):
    pass


_CHUNK = 1 << 20


def _read_exact(bytestream, size, what):
    # In chunks: a corrupt header can claim more bytes than memory holds.
    chunks, got = [], 0
    while got < size:
        chunk = bytestream.read(min(_CHUNK, size - got))
        if not chunk:
            raise _Corrupt(f"{what} needs {size} bytes, found {got}")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _read32(bytestream):
    return int(numpy.frombuffer(_read_exact(bytestream, 4, "the header"),
                                dtype=numpy.dtype(numpy.uint32).newbyteorder(">"))[0])


def _parse(f, kind, magic_expected, magic_message, parse_body):
    """Reads gzip'ed idx file `f`; errors name the file."""
    name = getattr(f, "name", repr(f))
    print("Extracting", name)
    try:
        with gzip.GzipFile(fileobj=f) as bytestream:
            magic = _read32(bytestream)
            if magic != magic_expected:
                raise ValueError(magic_message % (magic, name))
            return parse_body(bytestream)
    except (_Corrupt, OSError, EOFError, zlib.error) as exc:
        raise ValueError(MSG_CORRUPT.format(kind=kind, name=name, reason=exc)) from exc


def _images_body(bytestream):
    num_images = _read32(bytestream)
    rows = _read32(bytestream)
    cols = _read32(bytestream)
    buf = _read_exact(bytestream, rows * cols * num_images,
                      f"{num_images} images of {rows}x{cols}")
    return numpy.frombuffer(buf, dtype=numpy.uint8).reshape(num_images, rows, cols, 1)


def _extract_images(f):
    return _parse(f, "image", 2051, MSG_BAD_IMAGE_MAGIC, _images_body)


def _extract_labels(f, one_hot=False, num_classes=10):
    def body(bytestream):
        num_items = _read32(bytestream)
        buf = _read_exact(bytestream, num_items, f"{num_items} labels")
        return numpy.frombuffer(buf, dtype=numpy.uint8)

    labels = _parse(f, "label", 2049, MSG_BAD_LABEL_MAGIC, body)
    if one_hot:
        return _dense_to_one_hot(labels, num_classes)
    return labels


def extract_images(f):
    """Reads an idx3 image file into a ``uint8`` array ``[index, y, x, depth]``.

    Args:
      f: a binary file object of the gzip'ed file (its ``name`` is printed, as r1.15).

    Returns:
      The images, shape ``[num_images, rows, cols, 1]``.

    Raises:
      ValueError: if the magic number is not 2051 (r1.15's message), or the file is
        not gzip or is truncated (naming the file).
    """
    _deprecation.warn_deprecated("tf.contrib.learn.datasets.mnist.extract_images",
                                 _REPLACEMENT)
    return _extract_images(f)


def extract_labels(f, one_hot=False, num_classes=10):
    """Reads an idx1 label file into a ``uint8`` array (or float64 one-hot rows).

    Args:
      f: a binary file object of the gzip'ed file.
      one_hot: return one-hot rows (``dense_to_one_hot``).
      num_classes: the number of classes for `one_hot`.

    Returns:
      The labels.

    Raises:
      ValueError: if the magic number is not 2049 (r1.15's message), or the file is
        not gzip or is truncated (naming the file).
    """
    _deprecation.warn_deprecated("tf.contrib.learn.datasets.mnist.extract_labels",
                                 _REPLACEMENT)
    return _extract_labels(f, one_hot=one_hot, num_classes=num_classes)


def _dense_to_one_hot(labels_dense, num_classes):
    num_labels = labels_dense.shape[0]
    labels_one_hot = numpy.zeros((num_labels, num_classes))
    labels_one_hot[numpy.arange(num_labels), labels_dense.ravel()] = 1
    return labels_one_hot


def dense_to_one_hot(labels_dense, num_classes):
    """Class ids ``[n]`` -> float64 one-hot rows ``[n, num_classes]``."""
    _deprecation.warn_deprecated("tf.contrib.learn.datasets.mnist.dense_to_one_hot",
                                 "tf.one_hot")
    return _dense_to_one_hot(labels_dense, num_classes)


def _numpy_seed(seed):
    """The seed r1.15's DataSet gave ``numpy.random.seed``.

    r1.15: ``seed1, seed2 = random_seed.get_seed(seed)``, then ``seed1`` (the graph-level
    seed, or None) without `seed`, else ``seed2`` (`seed` truncated to 31 bits).
    Without `seed`, in graph mode (TF 1.x scripts), the graph-level seed is read
    directly: TF 2.15's get_seed(None) would use up one of the graph's op seeds, which
    r1.15's did not. Eagerly, get_seed is the only public reader of the global seed.
    """
    if seed is not None:
        return tf.compat.v1.random.get_seed(seed)[1]
    if tf.executing_eagerly():
        global_seed = tf.compat.v1.random.get_seed(None)[0]
    else:
        global_seed = tf.compat.v1.get_default_graph().seed
    return None if global_seed is None else global_seed % _MAXINT32


class DataSet:
    """Images and labels of one MNIST split, served in shuffled batches.

    Replaces ``tf.contrib.learn.datasets.mnist.DataSet``. Native TF2 replacement:
    ``tf.data.Dataset.from_tensor_slices((images, labels)).shuffle(n).batch(b)``.

    As r1.15, construction seeds numpy's global random generator (with `seed`, or the
    graph-level seed, or from the OS), and `next_batch` shuffles with it.

    Args:
      images: ``uint8`` array ``[n, rows, cols, 1]`` (ignored with `fake_data`).
      labels: array ``[n]`` or ``[n, classes]``.
      fake_data: serve constant fake batches (10000 examples) instead.
      one_hot: one-hot fake labels (only with `fake_data`).
      dtype: ``tf.float32`` scales the images to [0, 1]; ``tf.uint8`` keeps [0, 255].
      reshape: flatten each image to ``rows * cols`` values.
      seed: seed of the shuffling.

    Raises:
      TypeError: `dtype` is neither uint8 nor float32 (r1.15's message).
    """

    def __init__(self, images, labels, fake_data=False, one_hot=False, dtype=tf.float32,
                 reshape=True, seed=None):
        _deprecation.warn_deprecated("tf.contrib.learn.datasets.mnist.DataSet",
                                     "tf.data.Dataset.from_tensor_slices")
        numpy.random.seed(_numpy_seed(seed))
        dtype = tf.as_dtype(dtype).base_dtype
        if dtype not in (tf.uint8, tf.float32):
            raise TypeError(MSG_BAD_DTYPE % dtype)
        if fake_data:
            self._num_examples = 10000
            self.one_hot = one_hot
        else:
            if images.shape[0] != labels.shape[0]:
                raise AssertionError("images.shape: %s labels.shape: %s"
                                     % (images.shape, labels.shape))
            self._num_examples = images.shape[0]
            if reshape:
                # [n, rows, cols, depth] -> [n, rows * cols] (depth must be 1).
                if images.shape[3] != 1:
                    raise AssertionError("reshape=True needs images of depth 1, got shape "
                                         "%s" % (images.shape,))
                images = images.reshape(images.shape[0], images.shape[1] * images.shape[2])
            if dtype == tf.float32:
                images = numpy.multiply(images.astype(numpy.float32), 1.0 / 255.0)
        self._images = images
        self._labels = labels
        self._epochs_completed = 0
        self._index_in_epoch = 0

    @property
    def images(self):
        return self._images

    @property
    def labels(self):
        return self._labels

    @property
    def num_examples(self):
        return self._num_examples

    @property
    def epochs_completed(self):
        return self._epochs_completed

    def next_batch(self, batch_size, fake_data=False, shuffle=True):
        """Returns the next `batch_size` ``(images, labels)``.

        As r1.15: the data are shuffled before the first batch and at the end of each
        epoch; a batch that crosses the end of an epoch is the rest of that epoch
        followed by the start of the next (reshuffled) one.
        """
        if fake_data:
            fake_image = [1] * 784
            fake_label = [1] + [0] * 9 if self.one_hot else 0
            return ([fake_image for _ in range(batch_size)],
                    [fake_label for _ in range(batch_size)])
        start = self._index_in_epoch
        if self._epochs_completed == 0 and start == 0 and shuffle:
            self._shuffle()
        if start + batch_size > self._num_examples:
            self._epochs_completed += 1
            rest_num_examples = self._num_examples - start
            images_rest_part = self._images[start:self._num_examples]
            labels_rest_part = self._labels[start:self._num_examples]
            if shuffle:
                self._shuffle()
            start = 0
            self._index_in_epoch = batch_size - rest_num_examples
            end = self._index_in_epoch
            return (numpy.concatenate((images_rest_part, self._images[start:end]), axis=0),
                    numpy.concatenate((labels_rest_part, self._labels[start:end]), axis=0))
        self._index_in_epoch += batch_size
        end = self._index_in_epoch
        return self._images[start:end], self._labels[start:end]

    def _shuffle(self):
        perm = numpy.arange(self._num_examples)
        numpy.random.shuffle(perm)
        self._images = self._images[perm]
        self._labels = self._labels[perm]


def _read_file(name, train_dir, source_url, extract, **kwargs):
    """Downloads `name` if missing, then extracts it; a corrupt file just downloaded
    is removed, so that it is not left behind for the next run to trip over."""
    present = tf.io.gfile.exists(os.path.join(train_dir, name))
    try:
        local_file = base._maybe_download(name, train_dir, source_url + name)
    except base.DownloadError as exc:
        raise base.DownloadError(
            f"{exc} read_data_sets reads {', '.join(_FILES)} from {train_dir}.",
            exc.reason) from exc
    try:
        with tf.io.gfile.GFile(local_file, "rb") as f:
            return extract(f, **kwargs)
    except ValueError:
        if not present:
            tf.io.gfile.remove(local_file)
        raise


def read_data_sets(train_dir, fake_data=False, one_hot=False, dtype=tf.float32,
                   reshape=True, validation_size=5000, seed=None,
                   source_url=DEFAULT_SOURCE_URL):
    """Reads (downloading what is missing) MNIST's train, validation and test sets.

    Args:
      train_dir: the directory of the four ``*-ubyte.gz`` files.
      fake_data: return `DataSet`s of constant fake data; read nothing.
      one_hot: one-hot float64 labels ``[n, 10]`` instead of ``uint8`` ids.
      dtype: ``tf.float32`` (images scaled to [0, 1]) or ``tf.uint8``.
      reshape: flatten the images to ``[n, 784]``.
      validation_size: the first this many training examples form `validation`.
      seed: seed of the shuffling (see `DataSet`).
      source_url: where to download missing files from (empty: the default).

    Returns:
      `base.Datasets` of `DataSet`: ``train``, ``validation``, ``test``.

    Raises:
      base.DownloadError: a file is missing and cannot be downloaded.
      ValueError: a corrupt file, or `validation_size` out of range (r1.15 message).
    """
    _deprecation.warn_deprecated("tf.contrib.learn.datasets.mnist.read_data_sets",
                                 _REPLACEMENT)
    if fake_data:
        def fake():
            return DataSet([], [], fake_data=True, one_hot=one_hot, dtype=dtype, seed=seed)

        return base.Datasets(train=fake(), validation=fake(), test=fake())

    if not source_url:  # r1.15: an empty string means the default
        source_url = DEFAULT_SOURCE_URL
    train_images = _read_file(TRAIN_IMAGES, train_dir, source_url, _extract_images)
    train_labels = _read_file(TRAIN_LABELS, train_dir, source_url, _extract_labels,
                              one_hot=one_hot)
    test_images = _read_file(TEST_IMAGES, train_dir, source_url, _extract_images)
    test_labels = _read_file(TEST_LABELS, train_dir, source_url, _extract_labels,
                             one_hot=one_hot)

    if not 0 <= validation_size <= len(train_images):
        raise ValueError(MSG_BAD_VALIDATION_SIZE.format(len(train_images), validation_size))

    validation_images = train_images[:validation_size]
    validation_labels = train_labels[:validation_size]
    train_images = train_images[validation_size:]
    train_labels = train_labels[validation_size:]

    options = dict(dtype=dtype, reshape=reshape, seed=seed)
    train = DataSet(train_images, train_labels, **options)
    validation = DataSet(validation_images, validation_labels, **options)
    test = DataSet(test_images, test_labels, **options)
    return base.Datasets(train=train, validation=validation, test=test)


def load_mnist(train_dir="MNIST-data"):
    """`read_data_sets(train_dir)` with r1.15's default directory."""
    _deprecation.warn_deprecated("tf.contrib.learn.datasets.mnist.load_mnist", _REPLACEMENT)
    return read_data_sets(train_dir)
