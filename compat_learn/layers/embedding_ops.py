"""``tf.contrib.layers.python.layers.embedding_ops`` (r1.15) on TensorFlow 2.15.

Replaces r1.15's contrib embedding lookups: safe_embedding_lookup_sparse (invalid
ids and non-positive weights pruned, empty rows zero or ``default_id``),
scattered_embedding_lookup(_sparse) (parameter hashing: component ``i`` of value
``v`` is ``params[hash(i, v) % size]`` with r1.15's sparse_feature_cross hash) and
embedding_lookup_unique. Native TF2 replacement:
``tf.nn.safe_embedding_lookup_sparse`` / ``tf.keras.layers.Embedding``.
"""

import logging

from compat_learn import _tf

__all__ = [
    "SPARSE_FEATURE_CROSS_DEFAULT_HASH_KEY",
    "embedding_lookup_unique",
    "safe_embedding_lookup_sparse",
    "scattered_embedding_lookup",
    "scattered_embedding_lookup_sparse",
    "sparse_feature_cross",
]

tf = _tf.tf
_logger = logging.getLogger(__name__)

# r1.15 contrib/layers/python/ops/sparse_feature_cross_op.py: the default key of
# FingerprintCat64 (SparseFeatureCrossV2) and the seed of the V1 HashCombine.
SPARSE_FEATURE_CROSS_DEFAULT_HASH_KEY = 0xDECAFCAFFE
_V1_GOLDEN = 0x9E3779B97F4A7800
_INT64_MAX = (1 << 63) - 1


def _feature_hash_v1(tensor):
    # r1.15 sparse_feature_cross_kernel.cc Feature<int64>: a string is its
    # Fingerprint64, an integer is itself.
    if tensor.dtype == tf.string:
        flat = tf.reshape(tensor, [-1])
        fingerprints = tf.bitcast(tf.fingerprint(flat, method="farmhash64"), tf.int64)
        return tf.reshape(fingerprints, tf.shape(tensor))
    return tf.cast(tensor, tf.int64)


def _hash_combine_v1(a, b):
    # r1.15 HashCrosser::HashCombine on int64: a ^ (b + golden + (a << 10) + (a >> 4)),
    # with wrapping adds (done in uint64) and an arithmetic right shift.
    a_u = tf.bitcast(a, tf.uint64)
    shifted_left = tf.bitwise.left_shift(a_u, tf.constant(10, tf.uint64))
    shifted_right = tf.bitcast(tf.bitwise.right_shift(a, tf.constant(4, tf.int64)), tf.uint64)
    total = tf.bitcast(b, tf.uint64) + tf.constant(_V1_GOLDEN, tf.uint64) + shifted_left + shifted_right
    return tf.bitcast(tf.bitwise.bitwise_xor(a_u, total), tf.int64)


def sparse_feature_cross(inputs, hashed_output=False, num_buckets=0, name=None, hash_key=None):
    """Crosses `SparseTensor` / `Tensor` inputs as r1.15's contrib sparse_feature_cross.

    The cartesian product of each row's features (sparse inputs first, then dense,
    last input varying fastest). Hashed: with ``hash_key`` the FingerprintCat64
    chain of ``SparseFeatureCrossV2`` (``tf.sparse.cross_hashed``, the same op in
    TF 2.15); without, r1.15's V1 ``HashCombine`` chain seeded with 0xDECAFCAFFE, so
    bucket ids equal the ones TF 1.x computed.

    Args:
      inputs: list of `SparseTensor` or 2-D `Tensor` (string or integer).
      hashed_output: return int64 hashes instead of ``"a_X_b"`` strings.
      num_buckets: hashes modulo this when > 0 (else modulo int64 max).
      name: name scope.
      hash_key: FingerprintCat64 key; None for r1.15's V1 hashing.

    Returns:
      A 2-D `SparseTensor`.
    """
    if not isinstance(inputs, list):
        raise TypeError("Inputs must be a list")
    if not all(isinstance(i, (tf.SparseTensor, tf.Tensor)) for i in inputs):
        raise TypeError("All inputs must be SparseTensors")
    # The kernel orders its columns sparse first, then dense.
    ordered = ([i for i in inputs if isinstance(i, tf.SparseTensor)]
               + [i for i in inputs if not isinstance(i, tf.SparseTensor)])
    with tf.name_scope(name or "SparseFeatureCross"):
        if not hashed_output:
            return tf.sparse.cross([_as_int64_or_string(i) for i in ordered])
        if hash_key:
            return tf.sparse.cross_hashed([_as_int64_or_string(i) for i in ordered],
                                          num_buckets=num_buckets, hash_key=hash_key)
        # V1: hash each feature, cross the decimal strings of the hashes (the string
        # cross keeps the kernel's product order and indices), then fold them.
        as_strings = []
        for value in ordered:
            if isinstance(value, tf.SparseTensor):
                as_strings.append(tf.SparseTensor(
                    value.indices, tf.strings.as_string(_feature_hash_v1(value.values)),
                    value.dense_shape))
            else:
                as_strings.append(tf.strings.as_string(_feature_hash_v1(value)))
        crossed = tf.sparse.cross(as_strings)
        parts = tf.strings.to_number(
            tf.strings.split(crossed.values, "_X_").to_tensor(shape=[None, len(ordered)]),
            out_type=tf.int64)
        hashed = tf.fill(tf.shape(crossed.values), tf.constant(
            SPARSE_FEATURE_CROSS_DEFAULT_HASH_KEY, tf.int64))
        for position in range(len(ordered)):
            hashed = _hash_combine_v1(hashed, parts[:, position])
        modulus = num_buckets if num_buckets > 0 else _INT64_MAX
        values = tf.bitcast(tf.math.floormod(tf.bitcast(hashed, tf.uint64),
                                             tf.constant(modulus, tf.uint64)), tf.int64)
        return tf.SparseTensor(crossed.indices, values, crossed.dense_shape)


def _as_int64_or_string(value):
    if isinstance(value, tf.SparseTensor):
        if value.dtype in (tf.string, tf.int64):
            return value
        return tf.SparseTensor(value.indices, tf.cast(value.values, tf.int64), value.dense_shape)
    return value if value.dtype in (tf.string, tf.int64) else tf.cast(value, tf.int64)


def safe_embedding_lookup_sparse(embedding_weights, sparse_ids, sparse_weights=None, combiner=None,
                                 default_id=None, name=None, partition_strategy="div", max_norm=None):
    """Looks up embeddings of sparse ids, skipping invalid ids and empty rows (r1.15).

    Ids < 0 are pruned (and ids with weight <= 0 unless ``combiner="sum"``); a row
    with no ids gets ``default_id``'s embedding or zeros. Ids and weights may have
    any rank; the last dimension is combined.

    Args:
      embedding_weights: a list of `P` float tensors / variables, or a
        `PartitionedVariable`, partitioned along dimension 0.
      sparse_ids: `SparseTensor` of int64 ids.
      sparse_weights: `SparseTensor` of weights like ``sparse_ids``, or None.
      combiner: "mean" (default, with r1.15's warning when None), "sqrtn" or "sum".
      default_id: the id whose embedding empty rows get.
      name: name scope.
      partition_strategy: "div" or "mod".
      max_norm: clip each embedding to this l2 norm before combining.

    Returns:
      Dense tensor of shape ``[d_0, ..., d_{n-1}, e_1, ..., e_m]``.

    Raises:
      ValueError: if ``embedding_weights`` is empty.
    """
    if combiner is None:
        _logger.warning('The default value of combiner will change from "mean" to "sqrtn" after 2016/11/01.')
        combiner = "mean"
    if embedding_weights is None:
        raise ValueError("Missing embedding_weights %s." % embedding_weights)
    embedding_weights = _params_list(embedding_weights)
    if len(embedding_weights) < 1:
        raise ValueError("Missing embedding_weights %s." % embedding_weights)
    # TF 2.15's tf.compat.v1 version is r1.15 contrib's, moved into core: same pruning,
    # same empty-row handling, same reshape of higher-rank ids.
    return tf.compat.v1.nn.safe_embedding_lookup_sparse(
        embedding_weights, sparse_ids, sparse_weights=sparse_weights, combiner=combiner,
        default_id=default_id, name=name, partition_strategy=partition_strategy, max_norm=max_norm)


def _params_list(params):
    # A PartitionedVariable (TF keeps the class private) is its list of parts.
    if hasattr(params, "_get_variable_list"):
        return list(params._get_variable_list())
    return params if isinstance(params, list) else [params]


def scattered_embedding_lookup(params, values, dimension, name=None, hash_key=None):
    """Looks up embeddings with parameter hashing (r1.15).

    Component ``i`` of the embedding of ``v`` is ``params[cross(i, v) % size]``
    (r1.15's sparse_feature_cross of the candidate index and the value).

    Args:
      params: 1-D `Tensor` / variable, list of them (div-partitioned) or a
        `PartitionedVariable`.
      values: `Tensor` of values to embed (any shape).
      dimension: embedding dimension.
      name: name scope.
      hash_key: FingerprintCat64 key (None: r1.15's V1 hash).

    Returns:
      `Tensor` of shape ``values.shape + [dimension]``.

    Raises:
      ValueError: if dimension is None or not positive, or a partition has the
        wrong size.
    """
    if dimension is None:
        raise ValueError("You must specify dimension.")
    params = _params_list(params)
    with tf.name_scope(name or "scattered_embedding_lookup"):
        values_shape = tf.shape(values)
        values = tf.reshape(values, [-1, 1])
        if dimension <= 0:
            raise ValueError("Dimension must be >0. Given is %d" % dimension)
        candidates = tf.tile(tf.expand_dims(tf.range(0, dimension), 0), tf.shape(values))
        sizes = []
        for part in params:
            shape = part.get_shape()
            shape.assert_has_rank(1)
            shape.assert_is_fully_defined()
            sizes.append(int(shape[0]))
        total = sum(sizes)
        for index, size in enumerate(sizes):
            expected = (total - index - 1) // len(sizes) + 1
            if size != expected:
                raise ValueError("Tensor %d in params has size %d, expected %d." % (index, size, expected))
        ids = sparse_feature_cross([candidates, values], hashed_output=True, num_buckets=total,
                                   hash_key=hash_key)
        ids = tf.sparse.to_dense(ids)
        result = tf.compat.v1.nn.embedding_lookup(params, ids, partition_strategy="div")
        return tf.reshape(result, tf.concat([values_shape, [dimension]], 0))


def scattered_embedding_lookup_sparse(params, sparse_values, dimension, combiner=None, default_value=None,
                                      name=None, hash_key=None):
    """Looks up hashed embeddings of a 2-D sparse feature and combines each row (r1.15).

    Args:
      params: as in `scattered_embedding_lookup`.
      sparse_values: 2-D `SparseTensor` of values; empty rows get ``default_value``
        (r1.15's "6ZxWzWOHxZ" / 1288896567 when None).
      dimension: embedding dimension.
      combiner: "mean" (default), "sqrtn" or "sum".
      default_value: value for empty rows.
      name: name scope.
      hash_key: FingerprintCat64 key (None: r1.15's V1 hash).

    Returns:
      Dense `[N, dimension]` tensor.

    Raises:
      TypeError: if sparse_values is not a `SparseTensor`.
      ValueError: if combiner is not one of "mean", "sqrtn", "sum".
    """
    if combiner is None:
        _logger.warning('The default value of combiner will change from "mean" to "sqrtn" after 2016/11/01.')
        combiner = "mean"
    params = _params_list(params)
    if not isinstance(sparse_values, tf.SparseTensor):
        raise TypeError("sparse_values must be SparseTensor")
    with tf.name_scope(name or "scattered_embedding_lookup_sparse"):
        if default_value is None:
            default_value = "6ZxWzWOHxZ" if sparse_values.dtype == tf.string else 1288896567
        sparse_values, _ = tf.sparse.fill_empty_rows(sparse_values, default_value)
        segment_ids = tf.cast(sparse_values.indices[:, 0], tf.int32)
        values, idx = tf.unique(sparse_values.values)
        embeddings = scattered_embedding_lookup(params, values, dimension, hash_key=hash_key)
        reducers = {"sum": tf.sparse.segment_sum, "mean": tf.sparse.segment_mean,
                    "sqrtn": tf.sparse.segment_sqrt_n}
        if combiner not in reducers:
            raise ValueError("Combiner must be one of 'mean', 'sqrtn' or 'sum'.")
        return reducers[combiner](embeddings, idx, segment_ids)


def embedding_lookup_unique(params, ids, partition_strategy="mod", name=None):
    """`embedding_lookup` that looks each distinct id up once (r1.15); ids of any shape.

    Args:
      params: embedding tensor(s) as for ``tf.compat.v1.nn.embedding_lookup``.
      ids: int `Tensor` of ids.
      partition_strategy: "mod" or "div".
      name: name scope.

    Returns:
      `Tensor` of shape ``ids.shape + params.shape[1:]``.
    """
    with tf.name_scope(name or "EmbeddingLookupUnique"):
        ids = tf.convert_to_tensor(ids)
        shape = tf.shape(ids)
        unique_ids, idx = tf.unique(tf.reshape(ids, tf.reduce_prod(shape, keepdims=True)))
        unique_embeddings = tf.compat.v1.nn.embedding_lookup(params, unique_ids, partition_strategy)
        embeds = tf.reshape(tf.gather(unique_embeddings, idx),
                            tf.concat([shape, tf.shape(unique_embeddings)[1:]], 0))
        embeds.set_shape(ids.get_shape().concatenate(unique_embeddings.get_shape()[1:]))
        return embeds
