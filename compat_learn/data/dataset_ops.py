"""``tf.contrib.data.Dataset`` as TF 1.3/1.4 had it, on TensorFlow 2.15.

TF 1.4's contrib ``Dataset`` wrapped a core dataset and returned a contrib ``Dataset``
from every transformation, so that contrib-only spellings kept working along a chain:
``map(map_func, num_threads=None, output_buffer_size=None, num_parallel_calls=None)``
and the methods that ``tf.data`` moved behind ``Dataset.apply``
(``dense_to_sparse_batch``; ``enumerate``, ``group_by_window``, ``ignore_errors`` and
``unbatch`` are methods again in TF 2.15). This class does the same over
``tf.compat.v1.data.Dataset``: it *is* a ``tf.compat.v1.data.Dataset`` (iterators,
``output_types``/``output_shapes``, ``tf.estimator`` input functions accept it), and
every method that returns a dataset returns this class.

Only objects handed out as ``tf.contrib.data.*`` behave this way: ``tf.data.Dataset``
and ``tf.compat.v1.data.Dataset`` are not patched, not even under ``--tf1`` (core
``tf.data.Dataset.map`` never took ``num_threads`` in any TF 1.x release, so no
working TF 1.x script calls it that way).
"""

import functools
import inspect

from compat_learn._deprecation import warn_deprecated
from compat_learn._tf import tf

__all__ = ["Dataset"]

_V1 = tf.compat.v1.data.Dataset


def _wrap(value):
    """A dataset result as a contrib `Dataset`; anything else unchanged."""
    if isinstance(value, tf.data.Dataset) and not isinstance(value, Dataset):
        return Dataset(value)
    return value


class Dataset(_V1):
    """A ``tf.compat.v1.data.Dataset`` with TF 1.3/1.4's ``tf.contrib.data`` spellings.

    Args:
      dataset: the ``tf.data.Dataset`` (v1 or v2) this one wraps, as in TF 1.4 where
        ``tf.contrib.data.Dataset(dataset)`` wrapped a core dataset.
    """

    def __init__(self, dataset):
        if not isinstance(dataset, tf.data.Dataset):
            raise TypeError(f"tf.contrib.data.Dataset wraps a tf.data.Dataset; got "
                            f"{type(dataset).__name__}. Build one with "
                            "Dataset.from_tensor_slices(...) or a reader such as "
                            "TextLineDataset(filenames).")
        self._dataset = dataset
        super().__init__()  # last: DatasetV1.__init__ reads the variant tensor

    # The protocol tf.compat.v1.data.Dataset subclasses implement (as TF 2.15's own
    # DatasetV1Adapter does): everything comes from the wrapped dataset.
    def _as_variant_tensor(self):
        return self._dataset._variant_tensor

    def _inputs(self):
        return self._dataset._inputs()

    def _functions(self):
        return self._dataset._functions()

    def options(self):
        return self._dataset.options()

    @property
    def element_spec(self):
        return self._dataset.element_spec

    def __iter__(self):
        return iter(self._dataset)

    def map(self, map_func, num_threads=None, output_buffer_size=None,
            num_parallel_calls=None):
        """Maps `map_func` across the elements, with TF 1.3's keywords.

        TF 1.4 contrib semantics: ``num_threads=T`` is ``num_parallel_calls=T`` (both
        together is a ValueError), and ``output_buffer_size=B`` prefetches B elements
        after the map. Element order is kept either way.

        Args:
          map_func: maps one element (its components as arguments) to another.
          num_threads: deprecated spelling of `num_parallel_calls`.
          output_buffer_size: deprecated; becomes ``.prefetch(output_buffer_size)``.
          num_parallel_calls: how many elements to map in parallel.

        Returns:
          A contrib `Dataset`.

        Raises:
          ValueError: both `num_threads` and `num_parallel_calls` are set.
        """
        if num_threads is not None and num_parallel_calls is not None:
            raise ValueError("`num_threads` and `num_parallel_calls` may not both be set.")
        if num_threads is not None:
            warn_deprecated("tf.contrib.data.Dataset.map(num_threads=...)",
                            "tf.data.Dataset.map(num_parallel_calls=...)")
            num_parallel_calls = num_threads
        result = _wrap(_V1.map(self, map_func, num_parallel_calls=num_parallel_calls))
        if output_buffer_size is not None:
            warn_deprecated("tf.contrib.data.Dataset.map(output_buffer_size=...)",
                            "tf.data.Dataset.map(...).prefetch(buffer_size)")
            result = result.prefetch(output_buffer_size)
        return result

    def dense_to_sparse_batch(self, batch_size, row_shape):
        """TF 1.3's method; TF 2.15's ``Dataset.sparse_batch(batch_size, row_shape)``."""
        return self.sparse_batch(batch_size, row_shape)


def _rewrapping(name, member):
    """`member` of tf.compat.v1.data.Dataset, returning contrib `Dataset`s."""
    static = isinstance(member, staticmethod)
    func = member.__func__ if static else member

    @functools.wraps(func)
    def method(*args, **kwargs):
        return _wrap(func(*args, **kwargs))

    return staticmethod(method) if static else method


def _rewrap_every_method(cls):
    # Every public method of TF 2.15's v1 Dataset (transformations, constructors such
    # as from_tensor_slices / range / zip, apply) keeps returning this class, as TF
    # 1.4's contrib Dataset did; methods returning something else are unchanged.
    for name in dir(_V1):
        if name.startswith("_") or name in cls.__dict__:
            continue
        member = inspect.getattr_static(_V1, name)
        if isinstance(member, staticmethod) or inspect.isfunction(member):
            setattr(cls, name, _rewrapping(name, member))


_rewrap_every_method(Dataset)
