"""`tf.contrib.linear_optimizer.SparseFeatureColumn` (r1.15 python/ops/sparse_feature_column.py).

tensorflow-estimator 2.15's ``_SparseFeatureColumn`` is r1.15's class with the same
constructor and properties; this module gives it r1.15's public name.
"""

from compat_learn import _tf

__all__ = ["SparseFeatureColumn"]


class SparseFeatureColumn(_tf.sdca_ops._SparseFeatureColumn):
    """A sparse feature column as `SdcaModel` reads it.

    Three 1-D tensors: example indices (`int64`), feature indices (`int64`) and
    optional feature values (`float32`, 1.0 when None); a feature may repeat within an
    example. Replaces ``tf.contrib.linear_optimizer.SparseFeatureColumn``.

    Args:
      example_indices: the example of each entry (tensor, list or numpy array).
      feature_indices: the feature id of each entry.
      feature_values: the value of each entry, or None.
    """
