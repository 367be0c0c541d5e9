"""``tf.contrib.layers.python.layers.rev_block_lib`` (r1.15) on TF 2.15.

Replaces ``tensorflow.contrib.layers.python.layers.rev_block_lib``: tf-slim's copies of
r1.15's functions (the same objects as tf-slim's), with r1.15's arguments, names and
numbers, run on TF 2.15 through `compat_learn.slim.patch_tf_slim`. Native TF2
replacement: tf.recompute_grad.
"""

from compat_learn.slim import patch_tf_slim

patch_tf_slim()

from tf_slim.layers.rev_block_lib import RevBlock, recompute_grad, rev_block  # noqa: E402

# r1.15 rev_block_lib.py __all__.
__all__ = [
    'RevBlock',
    'recompute_grad',
    'rev_block',
]
