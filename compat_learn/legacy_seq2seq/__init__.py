"""`tf.contrib.legacy_seq2seq` (r1.15 contrib/legacy_seq2seq/__init__.py).

r1.15's deprecated static sequence-to-sequence library: every name its ``@@`` list
exported, from compat_learn.legacy_seq2seq.seq2seq (r1.15's python/ops/seq2seq.py).
Native TF2 replacement: ``tensorflow_addons.seq2seq`` or ``tf.keras.layers.RNN`` models.
"""

from compat_learn.legacy_seq2seq import seq2seq as _seq2seq
from compat_learn.legacy_seq2seq.seq2seq import *  # noqa: F403 (r1.15's 13 @@ names)

__all__ = list(_seq2seq.__all__)
