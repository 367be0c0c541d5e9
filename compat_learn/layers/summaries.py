"""``tf.contrib.layers.python.layers.summaries`` (r1.15) on TF 2.15.

Replaces ``tensorflow.contrib.layers.python.layers.summaries``: tf-slim's copies of
r1.15's functions (the same objects as tf-slim's), with r1.15's arguments, names and
numbers, run on TF 2.15 through `compat_learn.slim.patch_tf_slim`. Native TF2
replacement: tf.summary.
"""

from compat_learn.slim import patch_tf_slim

patch_tf_slim()

from tf_slim.layers.summaries import (  # noqa: E402
    summarize_activation,
    summarize_activations,
    summarize_biases,
    summarize_collection,
    summarize_tensor,
    summarize_tensors,
    summarize_variables,
    summarize_weights,
)

# r1.15 summaries.py __all__.
__all__ = [
    'summarize_activation',
    'summarize_activations',
    'summarize_biases',
    'summarize_collection',
    'summarize_tensor',
    'summarize_tensors',
    'summarize_variables',
    'summarize_weights',
]
