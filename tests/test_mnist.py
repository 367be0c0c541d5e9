"""datasets.mnist: idx files written here, r1.15's splits, scaling, batches and errors.

The oracles are the arrays the test wrote and numpy's generator replayed
independently (``RandomState(seed)``): r1.15's DataSet seeds numpy's global generator
and shuffles with it. Nothing is downloaded: a missing file meets a closed local port.
"""

import gzip
import os
import socket

import numpy as np
import pytest

from compat_learn import _tf
from compat_learn.datasets import base, mnist

import _mnist_files as files

tf = _tf.tf

# r1.15 mnist.py messages.
MSG_IMAGE_MAGIC = "Invalid magic number 2049 in MNIST image file: {}"
MSG_LABEL_MAGIC = "Invalid magic number 2051 in MNIST label file: {}"


@pytest.fixture
def mnist_dir(tmp_path):
    directory = tmp_path / "MNIST_data"
    arrays = files.write_mnist(str(directory), n_train=30, n_test=8, seed=5)
    return str(directory), arrays


def _closed_port_url():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return "http://127.0.0.1:%d/" % s.getsockname()[1]


def test_read_data_sets_splits_scales_and_flattens(mnist_dir):
    directory, (train_x, train_y, _test_x, test_y) = mnist_dir
    sets = mnist.read_data_sets(directory, validation_size=10, seed=1)
    assert isinstance(sets, base.Datasets)
    assert sets.train.num_examples == 20 and sets.validation.num_examples == 10
    assert sets.test.num_examples == 8
    # The validation set is the first 10 training examples, in file order.
    np.testing.assert_array_equal(sets.validation.labels, train_y[:10])
    expected = train_x[:10].reshape(10, 784).astype(np.float32) / np.float32(255)
    np.testing.assert_allclose(sets.validation.images, expected, rtol=1e-6)
    assert sets.validation.images.dtype == np.float32
    np.testing.assert_array_equal(sets.test.labels, test_y)
    assert sets.train.labels.dtype == np.uint8


def test_one_hot_uint8_and_unflattened_images(mnist_dir):
    directory, (train_x, _train_y, _, test_y) = mnist_dir
    sets = mnist.read_data_sets(directory, one_hot=True, dtype=tf.uint8, reshape=False,
                                validation_size=0)
    np.testing.assert_array_equal(sets.test.labels, np.eye(10)[test_y])
    assert sets.test.labels.dtype == np.float64
    assert sets.train.images.dtype == np.uint8
    np.testing.assert_array_equal(sets.train.images, train_x[..., None])
    assert sets.validation.num_examples == 0


def test_next_batch_shuffles_each_epoch_as_r115(mnist_dir):
    directory, (_train_x, train_y, _, _) = mnist_dir
    train = mnist.read_data_sets(directory, validation_size=23, seed=7).train  # 7 examples
    labels = train_y[23:]
    batches = [train.next_batch(3)[1] for _ in range(4)]
    # Oracle: numpy's generator seeded with 7 (by each DataSet built), then a shuffle
    # before the first batch and at each epoch end.
    rng = np.random.RandomState(7)
    first, second = np.arange(7), np.arange(7)
    rng.shuffle(first)
    epoch1 = labels[first]
    rng.shuffle(second)
    epoch2 = epoch1[second]
    assert [b.tolist() for b in batches] == [
        epoch1[0:3].tolist(), epoch1[3:6].tolist(),
        epoch1[6:7].tolist() + epoch2[0:2].tolist(), epoch2[2:5].tolist()]
    assert train.epochs_completed == 1


def test_next_batch_without_shuffle_wraps_in_order(mnist_dir):
    directory, (_, train_y, _, _) = mnist_dir
    train = mnist.read_data_sets(directory, validation_size=25).train  # 5 examples
    batches = [train.next_batch(2, shuffle=False)[1].tolist() for _ in range(4)]
    labels = train_y[25:].tolist()
    assert batches == [labels[0:2], labels[2:4], labels[4:5] + labels[0:1], labels[1:3]]
    assert train.epochs_completed == 1


def test_seed_none_uses_the_graph_level_seed_as_r115(mnist_dir):
    _directory, _ = mnist_dir
    images, labels = np.zeros((6, 2, 2, 1), np.uint8), np.arange(6)

    def first_batch(graph_seed):
        with tf.Graph().as_default():
            tf.compat.v1.set_random_seed(graph_seed)
            data = mnist.DataSet(images, labels)
            return data.next_batch(6)[1].tolist()

    perm = np.arange(6)
    np.random.RandomState(1234).shuffle(perm)
    assert first_batch(1234) == perm.tolist()
    assert first_batch(1234) == first_batch(1234)


def test_fake_data_batches(tmp_path):
    sets = mnist.read_data_sets(str(tmp_path / "unused"), fake_data=True, one_hot=True)
    images, labels = sets.train.next_batch(2, fake_data=True)
    assert images == [[1] * 784] * 2 and labels == [[1] + [0] * 9] * 2
    assert sets.test.num_examples == 10000
    assert not os.path.exists(tmp_path / "unused")


def test_bad_dtype_and_validation_size_raise_r115_errors(mnist_dir):
    directory, _ = mnist_dir
    with pytest.raises(TypeError) as info:
        mnist.read_data_sets(directory, dtype=tf.float64, validation_size=0)
    assert str(info.value) == "Invalid image dtype tf.float64, expected uint8 or float32"
    with pytest.raises(ValueError) as info:
        mnist.read_data_sets(directory, validation_size=31)
    assert str(info.value) == "Validation size should be between 0 and 30. Received: 31."


def test_extract_raises_r115_errors_for_bad_magic_numbers(tmp_path):
    labels_file = files.write_gz(tmp_path / "labels.gz", files.idx_labels([1, 2]))
    images_file = files.write_gz(tmp_path / "images.gz", files.idx_images(np.zeros((1, 2, 2))))
    with tf.io.gfile.GFile(labels_file, "rb") as f, pytest.raises(ValueError) as info:
        mnist.extract_images(f)
    assert str(info.value) == MSG_IMAGE_MAGIC.format(labels_file)
    with tf.io.gfile.GFile(images_file, "rb") as f, pytest.raises(ValueError) as info:
        mnist.extract_labels(f)
    assert str(info.value) == MSG_LABEL_MAGIC.format(images_file)
    with open(images_file, "rb") as f:
        assert mnist.extract_images(f).shape == (1, 2, 2, 1)


@pytest.mark.parametrize("content, reason", [
    pytest.param(b"not gzip at all", "Not a gzipped file", id="not-gzip"),
    pytest.param(gzip.compress(files.idx_images(np.zeros((4, 3, 3))))[:-30],
                 "end-of-stream", id="truncated-gzip"),
    pytest.param(gzip.compress(files.idx_images(np.zeros((4, 3, 3)))[:-5]),
                 "4 images of 3x3 needs 36 bytes, found 31", id="truncated-idx"),
    pytest.param(gzip.compress(b"\x00\x00"), "the header needs 4 bytes, found 2",
                 id="no-header"),
    pytest.param(gzip.compress(np.array([2051, 2**32 - 1, 2**16, 2**16], ">u4").tobytes()),
                 "4294967295 images of 65536x65536 needs", id="huge-header"),
])
def test_a_corrupt_file_is_named(tmp_path, content, reason):
    path = tmp_path / "train-images-idx3-ubyte.gz"
    path.write_bytes(content)
    with tf.io.gfile.GFile(str(path), "rb") as f, pytest.raises(ValueError) as info:
        mnist.extract_images(f)
    message = str(info.value)
    assert message.startswith(f"MNIST image file {path} is corrupt or truncated (")
    assert reason in message


def test_missing_files_without_a_network_fail_at_once_naming_them(tmp_path, monkeypatch):
    monkeypatch.setattr(base.time, "sleep", lambda s: pytest.fail("retried"))
    directory = tmp_path / "data"
    url = _closed_port_url()
    with pytest.raises(base.DownloadError) as info:
        mnist.read_data_sets(str(directory), one_hot=True, source_url=url)
    message = str(info.value)
    assert message.startswith(
        f"Could not download train-images-idx3-ubyte.gz from {url}train-images-idx3-ubyte.gz")
    assert f"put it at {directory / 'train-images-idx3-ubyte.gz'}" in message
    assert ("read_data_sets reads train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
            f"t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz from {directory}.") in message
    assert os.listdir(directory) == []


def test_a_corrupt_file_just_downloaded_is_removed_a_users_file_is_kept(tmp_path,
                                                                         monkeypatch):
    def fetch(url, filename):
        with open(filename, "wb") as f:
            f.write(b"<html>captive portal</html>")
        return filename, {}

    monkeypatch.setattr(base, "_retrieve", fetch)
    directory = tmp_path / "data"
    with pytest.raises(ValueError, match="is corrupt or truncated"):
        mnist.read_data_sets(str(directory))
    assert os.listdir(directory) == []
    (directory / files.TRAIN_IMAGES).write_bytes(b"mine, also corrupt")
    with pytest.raises(ValueError, match="is corrupt or truncated"):
        mnist.read_data_sets(str(directory))
    assert os.listdir(directory) == [files.TRAIN_IMAGES]


def test_dense_to_one_hot():
    np.testing.assert_array_equal(mnist.dense_to_one_hot(np.array([2, 0]), 3),
                                  [[0, 0, 1], [1, 0, 0]])
