"""`tf.contrib.learn.ops` (r1.15 contrib/learn/python/learn/ops/__init__.py, deprecated).

The embedding, loss and sequence-to-sequence helpers that r1.15's TensorFlow Learn
models were built from. Native TF2 replacement: ``tf.nn`` / ``tf.keras.layers``
(``tf.nn.embedding_lookup``, ``tf.keras.layers.Embedding``, ``tf.keras.losses``).
"""

from compat_learn.ops.embeddings_ops import categorical_variable, embedding_lookup
from compat_learn.ops.losses_ops import mean_squared_error_regressor, softmax_classifier
from compat_learn.ops.seq2seq_ops import (
    rnn_decoder,
    rnn_seq2seq,
    seq2seq_inputs,
    sequence_classifier,
)

__all__ = [
    "categorical_variable",
    "embedding_lookup",
    "mean_squared_error_regressor",
    "rnn_decoder",
    "rnn_seq2seq",
    "seq2seq_inputs",
    "sequence_classifier",
    "softmax_classifier",
]
