"""Set operations (r1.15 contrib/metrics/python/ops/set_ops.py): TensorFlow's own.

r1.15 bound these names to ``tensorflow.python.ops.sets``; TensorFlow 2.15 has the
same functions as ``tf.compat.v1.sets.set_*``. Native TF2 replacement: ``tf.sets``.
"""

from compat_learn._tf import tf

__all__ = ["set_difference", "set_intersection", "set_size", "set_union"]

set_size = tf.compat.v1.sets.set_size
set_intersection = tf.compat.v1.sets.set_intersection
set_difference = tf.compat.v1.sets.set_difference
set_union = tf.compat.v1.sets.set_union
