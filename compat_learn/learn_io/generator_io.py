"""`tf.contrib.learn.io.generator_input_fn`: batches of dicts yielded by a generator.

Replaces ``tensorflow.contrib.learn.python.learn.learn_io.generator_io``. Native
TF2: ``tf.data.Dataset.from_generator``.
"""

import collections.abc
import types

from compat_learn import _deprecation

__all__ = ["generator_input_fn"]


def generator_input_fn(x, target_key=None, batch_size=128, num_epochs=1, shuffle=True,
                       queue_capacity=1000, num_threads=1, pad_value=None):
    """Returns an input_fn batching the dicts of numpy arrays that `x()` yields.

    Each yielded dict is one example; ``x()`` should yield one epoch. Uses the
    same queue machinery as r1.15 (TensorFlow's ``feeding_functions``).

    Args:
      x: a generator function (called once per epoch).
      target_key: a key, or a container of keys, of the yielded dicts to use as
        labels; None for no labels.
      batch_size: size of the batches.
      num_epochs: epochs to iterate over the data; None repeats forever.
      shuffle: whether to shuffle the queue.
      queue_capacity: size of the queue.
      num_threads: threads that read and enqueue.
      pad_value: value for dynamic padding of the samples, if given.

    Returns:
      An input_fn returning a features dict, and labels (a tensor for one key, a
      dict for several) when `target_key` is set.

    Raises:
      TypeError: `x` is not a function, ``x()`` is not a generator, it does not
        yield dicts, or `target_key` is not a str or a container of str.
      KeyError: a `target_key` is not a key of the yielded dicts.
    """
    _deprecation.warn_deprecated("tf.contrib.learn.io.generator_input_fn",
                                 "tf.data.Dataset.from_generator")
    if not isinstance(x, types.FunctionType):
        raise TypeError(f"x must be generator function; got {type(x).__name__}")
    generator = x()
    if not isinstance(generator, types.GeneratorType):
        raise TypeError(f"x() must be generator; got {type(generator).__name__}")
    data = next(generator)
    if not isinstance(data, dict):
        raise TypeError(f"x() must yield dict; got {type(data).__name__}")
    input_keys = sorted(next(x()).keys())
    if target_key is not None:
        if isinstance(target_key, str):
            target_key = [target_key]
        elif not isinstance(target_key, collections.abc.Container):
            raise TypeError("target_key must be str or Container of str; got "
                            f"{type(target_key).__name__}")
        for item in target_key:
            if not isinstance(item, str):
                raise TypeError("target_key must be str or Container of str; got "
                                f"{type(item).__name__}")
            # r1.15 checked this only for containers; a single missing key failed
            # later, inside the input_fn. Checking it here is earlier, same error.
            if item not in input_keys:
                raise KeyError(f"target_key not in yielded dict. Expected {input_keys} keys; "
                               f"got {item}")

    def _generator_input_fn():
        from compat_learn import _tf
        queue = _tf.feeding_functions._enqueue_data(  # r1.15 generator_io did the same
            x, queue_capacity, shuffle=shuffle, num_threads=num_threads,
            enqueue_size=batch_size, num_epochs=num_epochs, pad_value=pad_value)
        features = (queue.dequeue_many(batch_size) if num_epochs is None
                    else queue.dequeue_up_to(batch_size))
        if not isinstance(features, list):
            features = [features]
        features = dict(zip(input_keys, features))
        if target_key is None:
            return features
        if len(target_key) > 1:
            return features, {key: features.pop(key) for key in target_key}
        return features, features.pop(target_key[0])

    return _generator_input_fn
