"""`tf.contrib.learn.datasets.text_datasets`: the DBpedia text classification data.

Replaces ``tensorflow.contrib.learn.python.learn.datasets.text_datasets`` (r1.15).
Native TF2 replacement: ``tensorflow_datasets`` (``dbpedia``).

`load_dbpedia` reads ``$TF_EXP_BASE_DIR/dbpedia_data/dbpedia_csv/{train,test}.csv``,
downloading and extracting ``dbpedia_csv.tar.gz`` when they are missing; without a
network it fails at once naming the file and where to put it. The archive is
extracted into a temporary directory first, so a corrupt one leaves no half-extracted
files. ``test_with_fake_data=True`` reads the two tiny CSVs r1.15 shipped.
"""

import os
import shutil
import tarfile
import tempfile
import zlib

import numpy as np

from compat_learn import _deprecation
from compat_learn.datasets import base

__all__ = ["DBPEDIA_URL", "load_dbpedia", "maybe_download_dbpedia"]

DBPEDIA_URL = "https://github.com/le-scientifique/torchDatasets/raw/master/dbpedia_csv.tar.gz"

_REPLACEMENT = "tensorflow_datasets (dbpedia)"

MSG_BAD_ARCHIVE = ("Could not extract {path} ({reason}): it is not a complete tar.gz "
                   "archive. Delete it to download it again, or replace it with the "
                   "original from {url}.")


def _extract(archive_path, data_dir):
    staging = tempfile.mkdtemp(prefix=".dbpedia_csv-", dir=data_dir)
    try:
        try:
            with tarfile.open(archive_path, "r:*") as archive:
                if hasattr(tarfile, "data_filter"):
                    # Refuse members that would land outside data_dir.
                    archive.extractall(staging, filter="data")
                else:  # pragma: no cover - Python without tarfile filters
                    archive.extractall(staging)
        except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
            raise ValueError(MSG_BAD_ARCHIVE.format(path=archive_path, reason=exc,
                                                    url=DBPEDIA_URL)) from exc
        for name in os.listdir(staging):
            target = os.path.join(data_dir, name)
            if os.path.isdir(target) and not os.path.islink(target):
                shutil.rmtree(target)
            elif os.path.lexists(target):
                os.remove(target)
            os.rename(os.path.join(staging, name), target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def maybe_download_dbpedia(data_dir):
    """Downloads and extracts the DBpedia CSVs into `data_dir` unless both are there.

    Raises:
      base.DownloadError: the archive is missing and cannot be downloaded.
      ValueError: the archive is corrupt (naming it).
    """
    _deprecation.warn_deprecated(
        "tf.contrib.learn.datasets.text_datasets.maybe_download_dbpedia", _REPLACEMENT)
    _maybe_download_dbpedia(data_dir)


def _maybe_download_dbpedia(data_dir):
    from compat_learn import _tf

    train_path = os.path.join(data_dir, "dbpedia_csv/train.csv")
    test_path = os.path.join(data_dir, "dbpedia_csv/test.csv")
    if not (_tf.gfile.exists(train_path) and _tf.gfile.exists(test_path)):
        archive_path = base._maybe_download("dbpedia_csv.tar.gz", data_dir, DBPEDIA_URL)
        _extract(archive_path, data_dir)


def load_dbpedia(size="small", test_with_fake_data=False):
    """Loads DBpedia: ``target`` is the class (int32), ``data`` the title and text.

    Args:
      size: ``'small'`` keeps every 1000th row (written to ``train_small.csv`` and
        ``test_small.csv`` next to the full files, as r1.15 did); anything else reads
        the full files.
      test_with_fake_data: read the tiny CSVs shipped with compat_learn instead.

    Returns:
      `base.Datasets` with ``train`` and ``test`` (``validation`` is None).
    """
    _deprecation.warn_deprecated("tf.contrib.learn.datasets.text_datasets.load_dbpedia",
                                 _REPLACEMENT)
    if not test_with_fake_data:
        data_dir = os.path.join(os.getenv("TF_EXP_BASE_DIR", ""), "dbpedia_data")
        _maybe_download_dbpedia(data_dir)
        train_path = os.path.join(data_dir, "dbpedia_csv", "train.csv")
        test_path = os.path.join(data_dir, "dbpedia_csv", "test.csv")
        if size == "small":
            # Reduce the size of the original data by a factor of 1000 (r1.15).
            base._shrink_csv(train_path, 1000)
            base._shrink_csv(test_path, 1000)
            train_path = train_path.replace("train.csv", "train_small.csv")
            test_path = test_path.replace("test.csv", "test_small.csv")
    else:
        train_path = os.path.join(base.DATA_DIR, "text_train.csv")
        test_path = os.path.join(base.DATA_DIR, "text_test.csv")

    # r1.15: features_dtype=np.str, the builtin str.
    train = base._load_csv_without_header(train_path, target_dtype=np.int32,
                                          features_dtype=str, target_column=0)
    test = base._load_csv_without_header(test_path, target_dtype=np.int32,
                                         features_dtype=str, target_column=0)
    return base.Datasets(train=train, validation=None, test=test)
