"""`tf.contrib.rnn` (r1.15 contrib/rnn/__init__.py): the names TF 2.15 lacks.

r1.15's core cells and rnn functions are TF 2.15's own objects, served by
compat_learn._contrib_table's SYMBOLS rows; this package holds what compat_learn writes
itself: the three wrappers of r1.15's contrib/rnn/python/ops/core_rnn_cell.py.
Native TF2 replacement: ``tf.keras.layers`` (RNN, LSTMCell, GRUCell, Dense, Embedding).
"""

from compat_learn.rnn.core_rnn_cell import (
    EmbeddingWrapper,
    InputProjectionWrapper,
    OutputProjectionWrapper,
)

__all__ = ["EmbeddingWrapper", "InputProjectionWrapper", "OutputProjectionWrapper"]
