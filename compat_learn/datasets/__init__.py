"""`tf.contrib.learn.datasets`: local CSV data sets (no downloads).

Replaces ``tensorflow.contrib.learn.python.learn.datasets``. Native TF2:
``tf.data``, ``tensorflow_datasets`` or scikit-learn's loaders.

Provided: the ``base`` module (`Dataset`, `Datasets`, CSV loaders, `shrink_csv`) and
`load_iris`/`load_boston`, which read a local `data_path` only. Not provided:
``load_dataset``/``make_dataset``, ``mnist``, ``synthetic`` and ``text_datasets``
(they downloaded or generated data).
"""

from compat_learn.datasets import base
from compat_learn.datasets.base import (
           Dataset,
           Datasets,
           load_boston,
           load_csv_with_header,
           load_csv_without_header,
           load_iris,
           shrink_csv,
)

__all__ = [
           "Dataset",
           "Datasets",
           "base",
           "load_boston",
           "load_csv_with_header",
           "load_csv_without_header",
           "load_iris",
           "shrink_csv",
]
