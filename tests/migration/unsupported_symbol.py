"""Uses a contrib name compat_learn does not serve: must fail at line 7."""
import tensorflow as tf

print("before")
hparams = tf.contrib.training.HParams(units=4)
cell_size = hparams.units
cell = tf.contrib.rnn.LSTMCell(cell_size)
print("never reached")
