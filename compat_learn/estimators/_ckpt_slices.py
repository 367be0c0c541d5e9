"""Which slices of each tensor a TensorFlow (V2) checkpoint holds.

A partitioned variable is saved as slices of one key (``dnn/hiddenlayer_0/weights``),
and TF 1.x's slot_creator named the slot of each part apart
(``.../hiddenlayer_0/weights/part_1/Adagrad``), saving under that key only the
part's slice. ``tf.train.list_variables`` gives every key its full shape and
TensorFlow has no API that lists the slices, so they are read here from the
checkpoint's ``.index`` file: a LevelDB-format table (TensorFlow's
``lib/io/table``, written uncompressed by ``tensor_bundle``) whose entries map each
tensor name to a ``BundleEntryProto``; its field 7 lists the saved slices
(``TensorSliceProto``: one ``Extent`` of ``start`` and ``length`` per dimension, no
length for a whole dimension).
"""

import struct

from compat_learn import _tf

__all__ = ["saved_slices"]

_FOOTER_LENGTH = 48  # two BlockHandles padded to 40 bytes, then the 8-byte magic
_MAGIC = 0xDB4775248B80FB57
_BLOCK_TRAILER = 5  # compression type byte and crc32c
_NO_COMPRESSION = 0


def _varint(buf, pos):
    result = shift = 0
    while True:
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def _fields(buf):
    """(field number, value) of a serialized protobuf message (varints and bytes)."""
    pos = 0
    while pos < len(buf):
        tag, pos = _varint(buf, pos)
        wire_type = tag & 7
        if wire_type == 0:
            value, pos = _varint(buf, pos)
        elif wire_type == 2:
            length, pos = _varint(buf, pos)
            value, pos = buf[pos:pos + length], pos + length
        elif wire_type in (1, 5):  # fixed64 / fixed32 (BundleEntryProto's crc32c)
            size = 8 if wire_type == 1 else 4
            value, pos = None, pos + size
        else:
            raise ValueError(f"unexpected protobuf wire type {wire_type}")
        yield tag >> 3, value


def _block(data, handle):
    offset, pos = _varint(handle, 0)
    size, _ = _varint(handle, pos)
    if data[offset + size] != _NO_COMPRESSION:
        raise ValueError("compressed checkpoint index block")
    contents = data[offset:offset + size]
    (num_restarts,) = struct.unpack_from("<I", contents, size - 4)
    end, pos, key = size - 4 * (num_restarts + 1), 0, b""
    while pos < end:
        shared, pos = _varint(contents, pos)
        non_shared, pos = _varint(contents, pos)
        value_length, pos = _varint(contents, pos)
        key = key[:shared] + contents[pos:pos + non_shared]
        pos += non_shared
        yield key, contents[pos:pos + value_length]
        pos += value_length


def _slice(proto):
    """A TensorSliceProto as one (start, length or None) per dimension."""
    extents = []
    for number, extent in _fields(proto):
        if number == 1:
            values = dict(_fields(extent))
            extents.append((values.get(1, 0), values.get(2)))
    return extents


def _parse(data):
    footer = data[-_FOOTER_LENGTH:]
    if struct.unpack("<Q", footer[-8:])[0] != _MAGIC:
        raise ValueError("not a checkpoint index table")
    pos = _varint(footer, _varint(footer, 0)[1])[1]  # skip the metaindex handle
    index_handle = footer[pos:]
    found = {}
    for _, handle in _block(data, index_handle):
        for key, value in _block(data, handle):
            if not key or key.startswith(b"\x00"):  # the header; a slice's own data entry
                continue
            slices = [_slice(proto) for number, proto in _fields(value) if number == 7]
            if slices:
                found[key.decode("utf-8")] = slices
    return found


def saved_slices(prefix):
    """{tensor name: [slice, ...]} of the checkpoint's sliced tensors.

    Each slice is a list of ``(start, length)`` per dimension, with length None for a
    whole dimension. Tensors saved whole are not listed.

    Raises:
      ValueError: the index file is not a readable (V2, uncompressed) bundle index.
      tf.errors.OpError: the index file cannot be read.
    """
    with _tf.gfile.GFile(prefix + ".index", "rb") as f:
        data = f.read()
    try:
        return _parse(data)
    except (IndexError, struct.error, UnicodeDecodeError) as exc:
        raise ValueError(f"unreadable checkpoint index {prefix}.index: {exc}") from exc
