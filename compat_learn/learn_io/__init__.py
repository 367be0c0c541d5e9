"""`tf.contrib.learn.io` (``learn_io``): input functions with r1.15's defaults.

Replaces ``tensorflow.contrib.learn.python.learn.learn_io``. Native TF2: ``tf.data``,
or ``tf.compat.v1.estimator.inputs.numpy_input_fn``/``pandas_input_fn``.

Supported: `numpy_input_fn`, `pandas_input_fn`, `generator_input_fn`, the
``extract_pandas_*`` helpers, `HAS_PANDAS`, and r1.15's queue-based readers of
``graph_io`` (``read_batch_examples``, ``read_batch_features``,
``read_batch_record_features``, the ``read_keyed_*`` variants and
``queue_parsed_features``). dask is not supported (`HAS_DASK` is False;
``extract_dask_*`` reject dask collections).
"""

from compat_learn.learn_io.dask_io import (
    HAS_DASK,
    extract_dask_data,
    extract_dask_labels,
)
from compat_learn.learn_io.generator_io import generator_input_fn
from compat_learn.learn_io.graph_io import (
    queue_parsed_features,
    read_batch_examples,
    read_batch_features,
    read_batch_record_features,
    read_keyed_batch_examples,
    read_keyed_batch_examples_shared_queue,
    read_keyed_batch_features,
    read_keyed_batch_features_shared_queue,
)
from compat_learn.learn_io.numpy_io import numpy_input_fn
from compat_learn.learn_io.pandas_io import (
    HAS_PANDAS,
    extract_pandas_data,
    extract_pandas_labels,
    extract_pandas_matrix,
    pandas_input_fn,
)

__all__ = [
    "HAS_DASK", "HAS_PANDAS", "extract_dask_data", "extract_dask_labels",
    "extract_pandas_data", "extract_pandas_labels", "extract_pandas_matrix",
    "generator_input_fn", "numpy_input_fn", "pandas_input_fn", "queue_parsed_features",
    "read_batch_examples", "read_batch_features", "read_batch_record_features",
    "read_keyed_batch_examples", "read_keyed_batch_examples_shared_queue",
    "read_keyed_batch_features", "read_keyed_batch_features_shared_queue",
]
