"""``tf.contrib.layers.python.layers.utils`` (r1.15) on TF 2.15.

Replaces ``tensorflow.contrib.layers.python.layers.utils``: tf-slim's copies of
r1.15's functions (the same objects as tf-slim's), with r1.15's arguments, names and
numbers, run on TF 2.15 through `compat_learn.slim.patch_tf_slim`. Native TF2
replacement: tf.__internal__.smart_cond / plain Python.
"""

from compat_learn.slim import patch_tf_slim

patch_tf_slim()

from tf_slim.layers.utils import (  # noqa: E402
    channel_dimension,
    collect_named_outputs,
    constant_value,
    get_variable_collections,
    last_dimension,
    n_positive_integers,
    smart_cond,
    static_cond,
    two_element_tuple,
)

# r1.15 utils.py __all__.
__all__ = [
    'channel_dimension',
    'collect_named_outputs',
    'constant_value',
    'get_variable_collections',
    'last_dimension',
    'n_positive_integers',
    'smart_cond',
    'static_cond',
    'two_element_tuple',
]
