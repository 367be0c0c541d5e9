"""`tf.contrib.learn.preprocessing.CategoricalProcessor`: columns of categories to ids.

Replaces ``tensorflow.contrib.learn.python.learn.preprocessing.categorical`` (r1.15).
Native TF2 replacement: ``tf.keras.layers.StringLookup`` / ``IntegerLookup`` per
column.
"""

import math

import numpy as np

from compat_learn import _deprecation
from compat_learn.preprocessing import categorical_vocabulary

__all__ = ["CategoricalProcessor"]


def _rows(x):
    # r1.15 learn_io.data_feeder.setup_processor_data_feeder: a pandas DataFrame is
    # read as its matrix of values; anything else is iterated as given.
    from compat_learn.learn_io import pandas_io

    return pandas_io._extract_matrix(x)


def _is_nan(value):
    # r1.15: `isinstance(value, float) and math.isnan(value)` (numpy float64 is a
    # float; float32 is not, as in r1.15).
    return isinstance(value, float) and math.isnan(value)


class CategoricalProcessor:
    """Maps rows of categorical values to rows of ids, one vocabulary per column.

    Replaces ``tf.contrib.learn.preprocessing.CategoricalProcessor``. Native TF2
    replacement: ``tf.keras.layers.StringLookup`` / ``IntegerLookup`` per column.

    NaN values (Python or numpy float NaN) are unknown: they map to id 0.

    Args:
      min_frequency: categories seen this many times or fewer in `fit` are dropped.
      share: one vocabulary shared by all columns instead of one per column.
      vocabularies: a list of `CategoricalVocabulary`, one per column.

    Attributes:
      vocabularies_: the list of `CategoricalVocabulary`, one per column.
    """

    def __init__(self, min_frequency=0, share=False, vocabularies=None):
        _deprecation.warn_deprecated("tf.contrib.learn.preprocessing.CategoricalProcessor",
                                     "tf.keras.layers.StringLookup / IntegerLookup")
        self.min_frequency = min_frequency
        self.share = share
        self.vocabularies_ = vocabularies

    def freeze(self, freeze=True):
        """Freezes (or unfreezes) every vocabulary."""
        for vocab in self.vocabularies_:
            vocab.freeze(freeze)

    def fit(self, x, unused_y=None):
        """Learns the categories of each column of `x`, then freezes the vocabularies.

        Args:
          x: a numpy matrix, a pandas DataFrame or an iterable of rows.
          unused_y: ignored (estimator-style signature).

        Returns:
          self.
        """
        for row in _rows(x):
            if self.vocabularies_ is None:
                if not self.share:
                    self.vocabularies_ = [
                        categorical_vocabulary.CategoricalVocabulary() for _ in row]
                else:
                    vocab = categorical_vocabulary.CategoricalVocabulary()
                    self.vocabularies_ = [vocab for _ in row]
            for idx, value in enumerate(row):
                if _is_nan(value):
                    continue
                self.vocabularies_[idx].add(value)
        if self.min_frequency > 0:
            for vocab in self.vocabularies_:
                vocab.trim(self.min_frequency)
        self.freeze()
        return self

    def fit_transform(self, x, unused_y=None):
        """`fit`, then `transform` of the same rows (read twice: pass a list or array).

        Returns:
          A generator of ``int64`` arrays, one per row.
        """
        self.fit(x)
        return self.transform(x)

    def transform(self, x):
        """Maps each row of `x` to its category ids (freezing the vocabularies first).

        Args:
          x: a numpy matrix, a pandas DataFrame or an iterable of rows.

        Yields:
          One ``int64`` array per row; unknown categories and NaN are 0.
        """
        self.freeze()
        for row in _rows(x):
            output_row = []
            for idx, value in enumerate(row):
                if _is_nan(value):
                    output_row.append(0)
                    continue
                output_row.append(self.vocabularies_[idx].get(value))
            yield np.array(output_row, dtype=np.int64)
