"""`tf.contrib.learn.io.numpy_input_fn` with r1.15's defaults.

Replaces ``tensorflow.contrib.learn.python.learn.learn_io.numpy_io``. Native TF2:
``tf.compat.v1.estimator.inputs.numpy_input_fn`` (which this calls) or
``tf.data.Dataset.from_tensor_slices``.
"""

from compat_learn import _deprecation

__all__ = ["numpy_input_fn"]


def numpy_input_fn(x, y=None, batch_size=128, num_epochs=1, shuffle=True,
                   queue_capacity=1000, num_threads=1):
    """Returns an input_fn feeding a numpy array, or a dict of them, in batches.

    Same as ``tf.compat.v1.estimator.inputs.numpy_input_fn`` except that `shuffle`
    defaults to True, as in r1.15 (TF 2.15 requires it explicitly).

    Args:
      x: numpy array or dict of numpy arrays (the features).
      y: numpy array or dict of numpy arrays (the labels), or None.
      batch_size: size of the batches.
      num_epochs: epochs to iterate over the data; None repeats forever.
      shuffle: whether to shuffle the queue.
      queue_capacity: size of the queue.
      num_threads: threads that read and enqueue.

    Returns:
      An input_fn returning ``(features, labels)`` (or features only when `y` is
      None).
    """
    _deprecation.warn_deprecated("tf.contrib.learn.io.numpy_input_fn",
                                 "tf.compat.v1.estimator.inputs.numpy_input_fn or tf.data")
    from compat_learn import _tf
    return _tf.tf.compat.v1.estimator.inputs.numpy_input_fn(
        x=x, y=y, batch_size=batch_size, shuffle=shuffle, num_epochs=num_epochs,
        queue_capacity=queue_capacity, num_threads=num_threads)
