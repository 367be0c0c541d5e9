"""Small MNIST-format files written by the tests themselves (nothing is downloaded).

The idx format (yann.lecun.com/exdb/mnist): big-endian uint32 magic (2051 images,
2049 labels), the counts (and rows, cols), then uint8 data; each file gzip'ed.
"""

import gzip
import os

import numpy as np

TRAIN_IMAGES = "train-images-idx3-ubyte.gz"
TRAIN_LABELS = "train-labels-idx1-ubyte.gz"
TEST_IMAGES = "t10k-images-idx3-ubyte.gz"
TEST_LABELS = "t10k-labels-idx1-ubyte.gz"
FILES = (TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)


def idx_images(images, magic=2051):
    """The raw idx3 bytes of uint8 images ``[n, rows, cols]``."""
    images = np.asarray(images, dtype=np.uint8)
    header = np.array([magic, *images.shape], dtype=">u4").tobytes()
    return header + images.tobytes()


def idx_labels(labels, magic=2049):
    """The raw idx1 bytes of uint8 labels ``[n]``."""
    labels = np.asarray(labels, dtype=np.uint8)
    return np.array([magic, len(labels)], dtype=">u4").tobytes() + labels.tobytes()


def write_gz(path, data):
    with gzip.open(path, "wb") as f:
        f.write(data)
    return str(path)


def digit_images(labels, seed=0, size=28):
    """Learnable fake digits: class k lights a 4x4 block at its own spot, plus noise."""
    rng = np.random.RandomState(seed)
    images = rng.randint(0, 40, size=(len(labels), size, size)).astype(np.uint8)
    for i, label in enumerate(labels):
        row, col = 2 + (label // 5) * 12, 2 + (label % 5) * 5
        images[i, row:row + 4, col:col + 4] = 250
    return images


def write_mnist(directory, n_train, n_test, seed=0, size=28):
    """Writes the four gzip'ed idx files; returns (train_images, train_labels,
    test_images, test_labels) as uint8 arrays."""
    os.makedirs(directory, exist_ok=True)
    rng = np.random.RandomState(seed)
    train_labels = rng.randint(0, 10, size=n_train).astype(np.uint8)
    test_labels = rng.randint(0, 10, size=n_test).astype(np.uint8)
    train_images = digit_images(train_labels, seed + 1, size)
    test_images = digit_images(test_labels, seed + 2, size)
    write_gz(os.path.join(directory, TRAIN_IMAGES), idx_images(train_images))
    write_gz(os.path.join(directory, TRAIN_LABELS), idx_labels(train_labels))
    write_gz(os.path.join(directory, TEST_IMAGES), idx_images(test_images))
    write_gz(os.path.join(directory, TEST_LABELS), idx_labels(test_labels))
    return train_images, train_labels, test_images, test_labels
