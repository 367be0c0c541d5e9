"""``tf.contrib.data``'s readers of TF 1.3/1.4, returning contrib `Dataset`s.

Each is a contrib `compat_learn.data.Dataset` over TF 2.15's reader of the same name,
with TF 1.4's arguments (TF 1.3's are a prefix of them). Native TF2 replacement:
``tf.data.TextLineDataset`` / ``TFRecordDataset`` / ``FixedLengthRecordDataset``.
"""

from compat_learn._tf import tf
from compat_learn.data.dataset_ops import Dataset

__all__ = ["FixedLengthRecordDataset", "TFRecordDataset", "TextLineDataset"]


class _FileReader(Dataset):
    """TF 1.4's (filenames, compression_type=None, buffer_size=None) readers."""

    _core = None  # the TF 2.15 reader class

    def __init__(self, filenames, compression_type=None, buffer_size=None):
        super().__init__(self._core(filenames, compression_type=compression_type,
                                    buffer_size=buffer_size))


class TextLineDataset(_FileReader):
    """The lines of one or more text files (TF 1.4's contrib reader).

    Args:
      filenames: a string tensor of one or more file names.
      compression_type: ``""`` (none), ``"ZLIB"`` or ``"GZIP"``.
      buffer_size: read buffer size in bytes.
    """

    _core = tf.data.TextLineDataset


class TFRecordDataset(_FileReader):
    """The records of one or more TFRecord files (TF 1.4's contrib reader).

    Args: as `TextLineDataset`.
    """

    _core = tf.data.TFRecordDataset


class FixedLengthRecordDataset(Dataset):
    """Fixed-length records of one or more binary files (TF 1.4's contrib reader).

    Args:
      filenames: a string tensor of one or more file names.
      record_bytes: the length of each record in bytes.
      header_bytes: bytes to skip at the start of each file.
      footer_bytes: bytes to ignore at the end of each file.
      buffer_size: read buffer size in bytes.
    """

    def __init__(self, filenames, record_bytes, header_bytes=None, footer_bytes=None,
                 buffer_size=None):
        super().__init__(tf.data.FixedLengthRecordDataset(
            filenames, record_bytes, header_bytes=header_bytes,
            footer_bytes=footer_bytes, buffer_size=buffer_size))
