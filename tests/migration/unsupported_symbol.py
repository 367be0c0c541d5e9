"""Uses a contrib module TensorFlow 2.15 cannot run (its kernels are gone): fails at line 7."""
import tensorflow as tf

print("before")
hparams = tf.contrib.training.HParams(num_trees=5)
num_trees = hparams.num_trees
params = tf.contrib.tensor_forest.python.tensor_forest.ForestHParams(num_classes=3, num_features=4, num_trees=num_trees).fill()
print("never reached")
