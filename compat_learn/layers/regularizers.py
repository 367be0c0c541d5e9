"""``tf.contrib.layers.python.layers.regularizers`` (r1.15) on TF 2.15.

Replaces ``tensorflow.contrib.layers.python.layers.regularizers``: tf-slim's copies of
r1.15's functions (the same objects as tf-slim's), with r1.15's arguments, names and
numbers, run on TF 2.15 through `compat_learn.slim.patch_tf_slim`. Native TF2
replacement: tf.keras.regularizers, and tf.add_n(model.losses).
"""

from compat_learn.slim import patch_tf_slim

patch_tf_slim()

from tf_slim.layers.regularizers import (  # noqa: E402
    apply_regularization,
    l1_l2_regularizer,
    l1_regularizer,
    l2_regularizer,
    sum_regularizer,
)

# r1.15 regularizers.py __all__.
__all__ = [
    'apply_regularization',
    'l1_l2_regularizer',
    'l1_regularizer',
    'l2_regularizer',
    'sum_regularizer',
]
