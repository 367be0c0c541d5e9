"""`tf.contrib.learn.datasets`: reference and synthetic data sets.

Replaces ``tensorflow.contrib.learn.python.learn.datasets`` (r1.15): `load_dataset`
(iris, boston, mnist, dbpedia), `make_dataset` (circles, spirals), `load_iris` and
`load_boston` (the CSVs r1.15 shipped, shipped here too) and the submodules ``base``,
``mnist``, ``synthetic`` and ``text_datasets``. Native TF2: ``tf.keras.datasets``,
``tensorflow_datasets`` or scikit-learn's loaders.

compat_learn also exposes ``base``'s CSV helpers and namedtuples here.
"""

from compat_learn import _deprecation
from compat_learn.datasets import base, mnist, synthetic, text_datasets
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
    "DATASETS",
    "SYNTHETIC",
    "Dataset",
    "Datasets",
    "base",
    "load_boston",
    "load_csv_with_header",
    "load_csv_without_header",
    "load_dataset",
    "load_iris",
    "make_dataset",
    "mnist",
    "shrink_csv",
    "synthetic",
    "text_datasets",
]

DATASETS = {
    # Return a base.Dataset.
    "iris": base.load_iris,
    "boston": base.load_boston,
    # Return a base.Datasets (train, validation, test).
    "mnist": mnist.load_mnist,
    "dbpedia": text_datasets.load_dbpedia,
}

SYNTHETIC = {
    # Return a base.Dataset.
    "circles": synthetic.circles,
    "spirals": synthetic.spirals,
}


def load_dataset(name, size="small", test_with_fake_data=False):
    """Loads a reference data set by name.

    Args:
      name: a key of `DATASETS` (``'iris'``, ``'boston'``, ``'mnist'``,
        ``'dbpedia'``).
      size: ``'small'`` or another size (dbpedia only).
      test_with_fake_data: read the tiny fake data (dbpedia only).

    Returns:
      A `base.Dataset` or `base.Datasets`.

    Raises:
      ValueError: for an unknown `name` (r1.15's message).
    """
    _deprecation.warn_deprecated("tf.contrib.learn.datasets.load_dataset",
                                 "tf.keras.datasets or tensorflow_datasets")
    if name not in DATASETS:
        raise ValueError("Name of dataset is not found: %s" % name)
    if name == "dbpedia":
        return DATASETS[name](size, test_with_fake_data)
    return DATASETS[name]()


def make_dataset(name, n_samples=100, noise=None, seed=42, *args, **kwargs):
    """Generates a synthetic binary data set by name.

    Args:
      name: a key of `SYNTHETIC` (``'circles'``, ``'spirals'``).
      n_samples: the number of points.
      noise: standard deviation of Gaussian noise, or None.
      seed: seeds numpy's global random generator.
      *args: passed on to the generator.
      **kwargs: passed on to the generator.

    Returns:
      A shuffled `base.Dataset`.

    Raises:
      ValueError: for an unknown `name` (r1.15's message).
    """
    _deprecation.warn_deprecated("tf.contrib.learn.datasets.make_dataset",
                                 "sklearn.datasets.make_circles / make_moons")
    if name not in SYNTHETIC:
        raise ValueError("Synthetic dataset not found or not implemeted: %s" % name)
    return SYNTHETIC[name](*args, n_samples=n_samples, noise=noise, seed=seed, **kwargs)
