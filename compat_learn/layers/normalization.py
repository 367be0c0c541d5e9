"""``tf.contrib.layers.python.layers.normalization`` (r1.15) on TF 2.15.

Replaces ``tensorflow.contrib.layers.python.layers.normalization``: tf-slim's copies of
r1.15's functions (the same objects as tf-slim's), with r1.15's arguments, names and
numbers, run on TF 2.15 through `compat_learn.slim.patch_tf_slim`. Native TF2
replacement: tf.keras.layers.GroupNormalization.
"""

from compat_learn.slim import patch_tf_slim

patch_tf_slim()

from tf_slim.layers.normalization import group_norm, instance_norm  # noqa: E402

# r1.15 normalization.py __all__.
__all__ = [
    'group_norm', 'instance_norm',
]
