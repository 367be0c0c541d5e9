"""``tf.contrib.layers.python.layers.initializers`` (r1.15) on TF 2.15.

Replaces ``tensorflow.contrib.layers.python.layers.initializers``: tf-slim's copies of
r1.15's functions (the same objects as tf-slim's), with r1.15's arguments, names and
numbers, run on TF 2.15 through `compat_learn.slim.patch_tf_slim`. Native TF2
replacement: tf.keras.initializers (GlorotUniform, VarianceScaling).
"""

from compat_learn.slim import patch_tf_slim

patch_tf_slim()

from tf_slim.layers.initializers import variance_scaling_initializer, xavier_initializer, xavier_initializer_conv2d  # noqa: E402

# r1.15 initializers.py __all__.
__all__ = [
    'variance_scaling_initializer',
    'xavier_initializer',
    'xavier_initializer_conv2d',
]
