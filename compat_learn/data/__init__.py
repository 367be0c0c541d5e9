"""``tf.contrib.data``'s pre-``tf.data`` classes, as TF 1.2-1.4 scripts used them.

TF 1.2 introduced the input pipeline as ``tf.contrib.data.Dataset`` (and its readers);
TF 1.4 moved it to ``tf.data`` and left deprecated ``tf.contrib.data`` wrappers whose
``map`` still took ``num_threads=`` and ``output_buffer_size=``; TF 1.5+ removed them
(r1.15's ``tf.contrib.data`` has none of these names). compat_learn serves them under
``tf.contrib.data`` so that 2017 input pipelines run unmodified; every other
``tf.contrib.data`` name is the table's TF 2.15 equivalent.

Replaces ``tf.contrib.data.Dataset`` / ``TextLineDataset`` / ``TFRecordDataset`` /
``FixedLengthRecordDataset`` of TF 1.2-1.4. Native TF2 replacement: ``tf.data.Dataset``
and its readers, with ``map(num_parallel_calls=...)`` and ``.prefetch(...)``.
"""

from compat_learn.data.dataset_ops import Dataset
from compat_learn.data.readers import FixedLengthRecordDataset, TextLineDataset, TFRecordDataset

__all__ = ["Dataset", "FixedLengthRecordDataset", "TFRecordDataset", "TextLineDataset"]
