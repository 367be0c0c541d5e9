"""``tf.contrib.layers.python.layers.feature_column`` (r1.15) on TensorFlow 2.15.

Replaces r1.15's contrib feature columns: real_valued_column, the
sparse_column_with_* family, weighted_sparse_column, embedding_column,
shared_embedding_columns, scattered_embedding_column, one_hot_column,
bucketized_column, crossed_column, create_feature_spec_for_parsing and
make_place_holder_tensors_for_base_features. The columns are r1.15's immutable
namedtuples with r1.15's class names, fields, ``key`` strings (which order the input
layer) and errors; each knows how to transform its raw tensor and what a consumer
(compat_learn.layers.feature_column_ops) builds from it, with r1.15's variable names.
Crossed columns hash as r1.15's sparse_feature_cross did, so bucket ids in a TF 1.x
checkpoint still mean the same crosses. Native TF2 replacement: ``tf.feature_column``.
"""

import abc
import collections
import logging
import math

from compat_learn import _tf
from compat_learn.framework.variables import model_variable
from compat_learn.layers import embedding_ops
from compat_learn.slim import patch_tf_slim

patch_tf_slim()

from tf_slim.layers.layers import _inner_flatten  # noqa: E402

__all__ = [
    "bucketized_column",
    "create_feature_spec_for_parsing",
    "crossed_column",
    "embedding_column",
    "make_place_holder_tensors_for_base_features",
    "one_hot_column",
    "real_valued_column",
    "scattered_embedding_column",
    "shared_embedding_columns",
    "sparse_column_with_hash_bucket",
    "sparse_column_with_integerized_feature",
    "sparse_column_with_keys",
    "sparse_column_with_vocabulary_file",
    "weighted_sparse_column",
]

tf = _tf.tf
v1 = tf.compat.v1
# r1.15's columns are also TF core (v1) feature columns: tf.compat.v1.feature_column's
# make_parse_example_spec, input_layer and linear_model take them.
_fc_core = _tf.feature_column_v1
_IdWeightPair = _fc_core._CategoricalColumn.IdWeightPair
_logger = logging.getLogger(__name__)

_LinearEmbeddingLookupArguments = collections.namedtuple(
    "_LinearEmbeddingLookupArguments",
    ["input_tensor", "weight_tensor", "vocab_size", "initializer", "combiner"])
_DeepEmbeddingLookupArguments = collections.namedtuple(
    "_DeepEmbeddingLookupArguments",
    ["input_tensor", "weight_tensor", "vocab_size", "initializer", "combiner", "dimension",
     "shared_embedding_name", "hash_key", "max_norm", "trainable"])


class _FeatureColumn(abc.ABC):
    """Base of r1.15's contrib feature columns (one feature family, e.g. "country")."""

    @property
    @abc.abstractmethod
    def name(self):
        """The name of the column or transformed column."""

    @property
    @abc.abstractmethod
    def config(self):
        """The parsing config of the base feature(s), for ``tf.io.parse_example``."""

    @property
    def _parse_example_spec(self):
        # TF core's feature-column protocol (make_parse_example_spec): a contrib
        # column's parsing spec is its config.
        return self.config

    @property
    @abc.abstractmethod
    def key(self):
        """The string columns are sorted by (it orders r1.15's input layer)."""

    @abc.abstractmethod
    def insert_transformed_feature(self, columns_to_tensors):
        """Transforms this column's input and stores it under the column itself."""

    def _to_dnn_input_layer(self, input_tensor, weight_collections=None, trainable=True, output_rank=2):
        raise ValueError("Calling an abstract method.")

    def _deep_embedding_lookup_arguments(self, input_tensor):
        raise NotImplementedError("No deep embedding lookup arguments for column {}.".format(self))

    def _wide_embedding_lookup_arguments(self, input_tensor):
        raise NotImplementedError("No wide embedding lookup arguments for column {}.".format(self))

    def _to_dense_tensor(self, input_tensor):
        raise NotImplementedError("No dense tensor representation for column {}.".format(self))

    def _checkpoint_path(self):
        return None

    def _key_without_properties(self, properties):
        # r1.15: str(self) without fields whose str holds an address (initializer,
        # normalizer), so sorting is deterministic.
        fields = ["{}={}".format(k, self[i]) for i, k in enumerate(self._fields) if k not in properties]
        return "{}({})".format(type(self).__name__, ", ".join(fields))


def _dense_to_sparse_tensor(dense_tensor, ignore_value):
    # r1.15 contrib/layers/python/ops/sparse_ops.py dense_to_sparse_tensor.
    dense_tensor = tf.convert_to_tensor(dense_tensor)
    indices = tf.where(tf.not_equal(dense_tensor, tf.cast(ignore_value, dense_tensor.dtype)))
    return tf.SparseTensor(indices, tf.gather_nd(dense_tensor, indices),
                           tf.shape(dense_tensor, out_type=tf.int64))


def _reshape_real_valued_tensor(input_tensor, output_rank, column_name=None):
    # r1.15 feature_column._reshape_real_valued_tensor.
    input_rank = input_tensor.get_shape().ndims
    if input_rank is not None:
        if output_rank > input_rank + 1:
            error = ("Rank of input Tensor ({}) should be the same as output_rank ({}). For example, "
                     "sequence data should typically be 3 dimensional (rank 3) while non-sequence "
                     "data is typically 2 dimensional (rank 2).".format(input_rank, output_rank))
            if column_name is not None:
                error = "Error while processing column {}.".format(column_name) + error
            raise ValueError(error)
        if output_rank == input_rank + 1:
            _logger.warning(
                "Rank of input Tensor (%s) should be the same as output_rank (%s) for column. Will "
                "attempt to expand dims. It is highly recommended that you resize your input, as "
                "this behavior may change.", input_rank, output_rank)
            return tf.expand_dims(input_tensor, -1, name="expand_dims")
        if output_rank == input_rank:
            return input_tensor
    return _inner_flatten(input_tensor, output_rank)


class _SparseIdLookupConfig(collections.namedtuple(
        "_SparseIdLookupConfig", ["vocabulary_file", "keys", "num_oov_buckets", "vocab_size", "default_value"])):
    """Feature-to-id lookup configuration of a sparse column (vocabulary file or keys)."""

    def __new__(cls, vocabulary_file=None, keys=None, num_oov_buckets=0, vocab_size=None, default_value=-1):
        return super().__new__(cls, vocabulary_file, keys, num_oov_buckets, vocab_size, default_value)


class _SparseColumn(_FeatureColumn, _fc_core._CategoricalColumn, collections.namedtuple(
        "_SparseColumn", ["column_name", "is_integerized", "bucket_size", "lookup_config", "combiner", "dtype"])):
    """A categorical column whose input is a `SparseTensor` (or a dense tensor, sparsified)."""

    def __new__(cls, column_name, is_integerized=False, bucket_size=None, lookup_config=None,
                combiner="sum", dtype=tf.string):
        if is_integerized and bucket_size is None:
            raise ValueError("bucket_size must be set if is_integerized is True. "
                             "column_name: {}".format(column_name))
        if is_integerized and not dtype.is_integer:
            raise ValueError("dtype must be an integer if is_integerized is True. "
                             "dtype: {}, column_name: {}.".format(dtype, column_name))
        if dtype != tf.string and not dtype.is_integer:
            raise ValueError("dtype must be string or integer. "
                             "dtype: {}, column_name: {}".format(dtype, column_name))
        if bucket_size is None and lookup_config is None:
            raise ValueError("one of bucket_size or lookup_config must be set. "
                             "column_name: {}".format(column_name))
        if bucket_size is not None and lookup_config:
            raise ValueError("one and only one of bucket_size or lookup_config "
                             "must be set. column_name: {}".format(column_name))
        if bucket_size is not None and bucket_size < 1:
            raise ValueError("bucket_size must be at least 1. "
                             "bucket_size: {}, column_name: {}".format(bucket_size, column_name))
        if lookup_config and not isinstance(lookup_config, _SparseIdLookupConfig):
            raise TypeError("lookup_config must be an instance of _SparseIdLookupConfig. "
                            "Given one is in type {} for column_name {}".format(type(lookup_config), column_name))
        if lookup_config and lookup_config.vocabulary_file and lookup_config.vocab_size is None:
            raise ValueError("vocab_size must be defined. column_name: {}".format(column_name))
        return super().__new__(cls, column_name, is_integerized=is_integerized, bucket_size=bucket_size,
                               lookup_config=lookup_config, combiner=combiner, dtype=dtype)

    @property
    def name(self):
        return self.column_name

    @property
    def length(self):
        """The vocabulary or hash bucket size."""
        if self.bucket_size is not None:
            return self.bucket_size
        return self.lookup_config.vocab_size + self.lookup_config.num_oov_buckets

    @property
    def config(self):
        return {self.column_name: tf.io.VarLenFeature(self.dtype)}

    @property
    def key(self):
        return "{}".format(self)

    def id_tensor(self, input_tensor):
        """The id tensor of the transformed input."""
        return input_tensor

    def weight_tensor(self, input_tensor):
        """The weight tensor of the transformed input (None: unweighted)."""
        return None

    def _to_dnn_input_layer(self, input_tensor, weight_collections=None, trainable=True, output_rank=2):
        raise ValueError("SparseColumn is not supported in DNN. "
                         "Please use embedding_column or one_hot_column. column: {}".format(self))

    def _wide_embedding_lookup_arguments(self, input_tensor):
        return _LinearEmbeddingLookupArguments(
            input_tensor=self.id_tensor(input_tensor), weight_tensor=self.weight_tensor(input_tensor),
            vocab_size=self.length, initializer=v1.zeros_initializer(), combiner=self.combiner)

    def _get_input_sparse_tensor(self, input_tensor):
        if not isinstance(input_tensor, tf.SparseTensor):
            # r1.15: -1 (not 0) is the ignored numeric value, so id 0 is kept.
            ignore_value = "" if input_tensor.dtype == tf.string else -1
            input_tensor = _reshape_real_valued_tensor(input_tensor, 2, self.name)
            input_tensor = _dense_to_sparse_tensor(input_tensor, ignore_value)
        return input_tensor

    def is_compatible(self, other_column):
        """Whether two sparse columns can share an embedding."""
        if self.lookup_config and other_column.lookup_config:
            return self.lookup_config == other_column.lookup_config
        compatible = (self.length == other_column.length
                      and (self.dtype == other_column.dtype
                           or (self.dtype.is_integer and other_column.dtype.is_integer)))
        if compatible:
            _logger.warning("Column %s and %s may not have the same vocabulary.", self.name, other_column.name)
        return compatible

    @abc.abstractmethod
    def _do_transform(self, input_tensor):
        """Maps the input `SparseTensor` to ids."""

    def insert_transformed_feature(self, columns_to_tensors):
        input_tensor = self._get_input_sparse_tensor(columns_to_tensors[self.name])
        columns_to_tensors[self] = self._do_transform(input_tensor)

    def _transform_feature(self, inputs):
        return self._do_transform(self._get_input_sparse_tensor(inputs.get(self.name)))

    @property
    def _num_buckets(self):
        return self.length

    def _get_sparse_tensors(self, inputs, weight_collections=None, trainable=None):
        input_tensor = inputs.get(self)
        return _IdWeightPair(self.id_tensor(input_tensor), self.weight_tensor(input_tensor))


class _SparseColumnIntegerized(_SparseColumn):
    """See `sparse_column_with_integerized_feature`."""

    def _do_transform(self, input_tensor):
        values = tf.math.floormod(input_tensor.values, tf.cast(self.bucket_size, input_tensor.values.dtype),
                                  name="mod")
        return tf.SparseTensor(input_tensor.indices, values, input_tensor.dense_shape)


def sparse_column_with_integerized_feature(column_name, bucket_size, combiner="sum", dtype=tf.int64):
    """A sparse column whose integer values are the ids (modulo ``bucket_size``).

    Args:
      column_name: the feature name.
      bucket_size: number of ids (>= 1); values should be in ``[0, bucket_size)``.
      combiner: "sum" (default), "mean" or "sqrtn" for multivalent rows.
      dtype: an integer dtype.

    Returns:
      A `_SparseColumnIntegerized`.

    Raises:
      ValueError: bucket_size is not >= 1, or dtype is not an integer.
    """
    return _SparseColumnIntegerized(column_name, is_integerized=True, bucket_size=bucket_size,
                                    combiner=combiner, dtype=dtype)


class _SparseColumnHashed(_SparseColumn):
    """See `sparse_column_with_hash_bucket`."""

    def __new__(cls, column_name, is_integerized=False, bucket_size=None, lookup_config=None,
                combiner="sum", dtype=tf.string, hash_keys=None):
        if hash_keys is not None:
            if not isinstance(hash_keys, list) or not hash_keys:
                raise ValueError("hash_keys must be a non-empty list.")
            if (any(not isinstance(pair, list) for pair in hash_keys)
                    or any(len(pair) != 2 for pair in hash_keys)
                    or any(not isinstance(k, int) for pair in hash_keys for k in pair)):
                raise ValueError("Each element of hash_keys must be a pair of integers.")
        obj = super().__new__(cls, column_name, is_integerized=is_integerized, bucket_size=bucket_size,
                              lookup_config=lookup_config, combiner=combiner, dtype=dtype)
        obj.hash_keys = hash_keys
        return obj

    def _do_transform(self, input_tensor):
        values = input_tensor.values
        if self.dtype.is_integer:
            values = tf.strings.as_string(values)
        if self.hash_keys:
            results = [tf.SparseTensor(input_tensor.indices,
                                       tf.strings.to_hash_bucket_strong(values, self.bucket_size, key),
                                       input_tensor.dense_shape)
                       for key in self.hash_keys]
            return tf.sparse.concat(axis=1, sp_inputs=results, name="lookup")
        ids = tf.strings.to_hash_bucket_fast(values, self.bucket_size, name="lookup")
        return tf.SparseTensor(input_tensor.indices, ids, input_tensor.dense_shape)


def sparse_column_with_hash_bucket(column_name, hash_bucket_size, combiner="sum", dtype=tf.string,
                                   hash_keys=None):
    """A sparse column whose ids are ``Fingerprint64(value) % hash_bucket_size``.

    Args:
      column_name: the feature name.
      hash_bucket_size: number of buckets (>= 1).
      combiner: "sum" (default), "mean" or "sqrtn".
      dtype: string or an integer dtype (integers are hashed as their decimal string).
      hash_keys: optional list of ``[k0, k1]`` pairs; each gives a strong-hash id.

    Returns:
      A `_SparseColumnHashed`.

    Raises:
      ValueError: hash_bucket_size < 1, dtype neither string nor integer, or bad
        hash_keys.
    """
    return _SparseColumnHashed(column_name, bucket_size=hash_bucket_size, combiner=combiner, dtype=dtype,
                               hash_keys=hash_keys)


class _SparseColumnKeys(_SparseColumn):
    """See `sparse_column_with_keys`."""

    def _do_transform(self, input_tensor):
        table = _tf.lookup_ops.index_table_from_tensor(
            vocabulary_list=tuple(self.lookup_config.keys), default_value=self.lookup_config.default_value,
            dtype=self.dtype, name="lookup")
        return table.lookup(input_tensor)


def sparse_column_with_keys(column_name, keys, default_value=-1, combiner="sum", dtype=tf.string):
    """A sparse column whose id is the value's index in ``keys`` (else ``default_value``).

    Args:
      column_name: the feature name.
      keys: the vocabulary (castable to dtype).
      default_value: id of out-of-vocabulary values (-1: ignored).
      combiner: "sum" (default), "mean" or "sqrtn".
      dtype: string or an integer dtype.

    Returns:
      A `_SparseColumnKeys`.
    """
    keys = tuple(keys)
    return _SparseColumnKeys(
        column_name, lookup_config=_SparseIdLookupConfig(keys=keys, vocab_size=len(keys),
                                                         default_value=default_value),
        combiner=combiner, dtype=dtype)


class _SparseColumnVocabulary(_SparseColumn):
    """See `sparse_column_with_vocabulary_file`."""

    def _do_transform(self, st):
        if self.dtype.is_integer:
            st = tf.SparseTensor(st.indices, tf.strings.as_string(st.values), st.dense_shape)
        table = _tf.lookup_ops.index_table_from_file(
            vocabulary_file=self.lookup_config.vocabulary_file,
            num_oov_buckets=self.lookup_config.num_oov_buckets, vocab_size=self.lookup_config.vocab_size,
            default_value=self.lookup_config.default_value, name=self.name + "_lookup")
        return table.lookup(st)


def sparse_column_with_vocabulary_file(column_name, vocabulary_file, num_oov_buckets=0, vocab_size=None,
                                       default_value=-1, combiner="sum", dtype=tf.string):
    """A sparse column whose id is the value's line in a vocabulary file.

    Args:
      column_name: the feature name.
      vocabulary_file: the vocabulary file, one value per line.
      num_oov_buckets: out-of-vocabulary values hash into this many extra ids.
      vocab_size: number of vocabulary lines used (required).
      default_value: id of out-of-vocabulary values when num_oov_buckets is 0.
      combiner: "sum" (default), "mean" or "sqrtn".
      dtype: string or an integer dtype.

    Returns:
      A `_SparseColumnVocabulary`.

    Raises:
      ValueError: vocab_size is not defined, or dtype is neither string nor integer.
    """
    if vocab_size is None:
        raise ValueError("vocab_size should be defined. column_name: {}".format(column_name))
    return _SparseColumnVocabulary(
        column_name, lookup_config=_SparseIdLookupConfig(
            vocabulary_file=vocabulary_file, num_oov_buckets=num_oov_buckets, vocab_size=vocab_size,
            default_value=default_value),
        combiner=combiner, dtype=dtype)


class _WeightedSparseColumn(_FeatureColumn, _fc_core._CategoricalColumn, collections.namedtuple(
        "_WeightedSparseColumn", ["sparse_id_column", "weight_column_name", "dtype"])):
    """See `weighted_sparse_column`."""

    @property
    def name(self):
        return "{}_weighted_by_{}".format(self.sparse_id_column.name, self.weight_column_name)

    @property
    def length(self):
        """The id space size."""
        return self.sparse_id_column.length

    @property
    def config(self):
        config = _get_feature_config(self.sparse_id_column)
        config.update({self.weight_column_name: tf.io.VarLenFeature(self.dtype)})
        return config

    @property
    def lookup_config(self):
        """The lookup config of the id column."""
        return self.sparse_id_column.lookup_config

    @property
    def key(self):
        return "{}".format(self)

    def id_tensor(self, input_tensor):
        """The id tensor of the transformed (ids, weights) pair."""
        return input_tensor[0]

    def weight_tensor(self, input_tensor):
        """The weight tensor of the transformed (ids, weights) pair."""
        return input_tensor[1]

    def _to_dnn_input_layer(self, input_tensor, weight_collections=None, trainable=True, output_rank=2):
        raise ValueError("WeightedSparseColumn is not supported in DNN. "
                         "Please use embedding_column or one_hot_column. column: {}".format(self))

    def _wide_embedding_lookup_arguments(self, input_tensor):
        return _LinearEmbeddingLookupArguments(
            input_tensor=self.id_tensor(input_tensor), weight_tensor=self.weight_tensor(input_tensor),
            vocab_size=self.length, initializer=v1.zeros_initializer(), combiner=self.sparse_id_column.combiner)

    def _do_transform(self, id_tensor, weight_tensor):
        if not isinstance(weight_tensor, tf.SparseTensor):
            weight_tensor = _dense_to_sparse_tensor(weight_tensor, 0)
        if not self.dtype.is_floating:
            weight_tensor = tf.cast(weight_tensor, tf.float32)
        return (id_tensor, weight_tensor)

    def insert_transformed_feature(self, columns_to_tensors):
        if self.sparse_id_column not in columns_to_tensors:
            self.sparse_id_column.insert_transformed_feature(columns_to_tensors)
        columns_to_tensors[self] = self._do_transform(columns_to_tensors[self.sparse_id_column],
                                                      columns_to_tensors[self.weight_column_name])

    def _transform_feature(self, inputs):
        return self._do_transform(inputs.get(self.sparse_id_column), inputs.get(self.weight_column_name))

    @property
    def _num_buckets(self):
        return self.length

    def _get_sparse_tensors(self, inputs, weight_collections=None, trainable=None):
        input_tensor = inputs.get(self)
        return _IdWeightPair(self.id_tensor(input_tensor), self.weight_tensor(input_tensor))

    def is_compatible(self, other_column):
        """Whether this column can share an embedding with another sparse column."""
        if isinstance(other_column, _WeightedSparseColumn):
            return self.sparse_id_column.is_compatible(other_column.sparse_id_column)
        return self.sparse_id_column.is_compatible(other_column)


def weighted_sparse_column(sparse_id_column, weight_column_name, dtype=tf.float32):
    """Pairs a sparse id column with a sparse weight feature of the same indices.

    Args:
      sparse_id_column: a `_SparseColumn` from ``sparse_column_with_*``.
      weight_column_name: the feature holding each id's weight.
      dtype: the weights' dtype (float or integer).

    Returns:
      A `_WeightedSparseColumn`.

    Raises:
      ValueError: if dtype is not convertible to float.
    """
    if not (dtype.is_integer or dtype.is_floating):
        raise ValueError("dtype is not convertible to float. Given {}".format(dtype))
    return _WeightedSparseColumn(sparse_id_column, weight_column_name, dtype)


class _OneHotColumn(_FeatureColumn, _fc_core._DenseColumn,
                    collections.namedtuple("_OneHotColumn", ["sparse_id_column"])):
    """A multi-hot encoding of a sparse column, for DNNs."""

    @property
    def name(self):
        return "{}_one_hot".format(self.sparse_id_column.name)

    @property
    def length(self):
        """The vocabulary or hash bucket size."""
        return self.sparse_id_column.length

    @property
    def config(self):
        return _get_feature_config(self.sparse_id_column)

    @property
    def key(self):
        return "{}".format(self)

    def insert_transformed_feature(self, columns_to_tensors):
        if self.sparse_id_column not in columns_to_tensors:
            self.sparse_id_column.insert_transformed_feature(columns_to_tensors)
        columns_to_tensors[self] = columns_to_tensors[self.sparse_id_column]

    def _to_dnn_input_layer(self, transformed_input_tensor, unused_weight_collections=None,
                            unused_trainable=False, output_rank=2):
        ids = _inner_flatten(self.sparse_id_column.id_tensor(transformed_input_tensor), output_rank)
        weights = self.sparse_id_column.weight_tensor(transformed_input_tensor)
        if weights is not None:
            # r1.15: sparse_merge(ids, weights, length), ids < 0 sliced away, densified.
            keep = tf.greater_equal(ids.values, 0)
            indices = tf.concat([tf.boolean_mask(ids.indices, keep)[:, :-1],
                                 tf.expand_dims(tf.boolean_mask(ids.values, keep), 1)], 1)
            shape = tf.concat([ids.dense_shape[:-1], [self.length]], 0)
            merged = tf.sparse.reorder(tf.SparseTensor(indices, tf.boolean_mask(weights.values, keep), shape))
            dense = tf.sparse.to_dense(merged)
            return tf.reshape(dense, tf.concat([tf.shape(dense)[:-1], [self.length]], 0))
        dense_ids = tf.sparse.to_dense(ids, default_value=-1)
        one_hot = tf.one_hot(dense_ids, depth=self.length, on_value=1.0, off_value=0.0)
        return tf.reduce_sum(one_hot, axis=[output_rank - 1])

    @property
    def _variable_shape(self):
        return tf.TensorShape([self.length])

    def _get_dense_tensor(self, inputs, weight_collections=None, trainable=None):
        return inputs.get(self)

    def _transform_feature(self, inputs):
        return self._to_dnn_input_layer(inputs.get(self.sparse_id_column))


class _EmbeddingDense:
    """TF core's dense-column protocol for the embedding columns: `dimension` wide,
    looked up through their `_deep_embedding_lookup_arguments`."""

    @property
    def _variable_shape(self):
        return tf.TensorShape([self.dimension])

    def _get_dense_tensor(self, inputs, weight_collections=None, trainable=None):
        return _embeddings_from_arguments(self, self._deep_embedding_lookup_arguments(inputs.get(self)),
                                          weight_collections, trainable)


class _EmbeddingColumn(_EmbeddingDense, _FeatureColumn, _fc_core._DenseColumn, collections.namedtuple(
        "_EmbeddingColumn", ["sparse_id_column", "dimension", "combiner", "initializer", "ckpt_to_load_from",
                             "tensor_name_in_ckpt", "shared_embedding_name", "shared_vocab_size", "max_norm",
                             "trainable"])):
    """A dense embedding of a sparse column, for DNNs."""

    def __new__(cls, sparse_id_column, dimension, combiner="mean", initializer=None, ckpt_to_load_from=None,
                tensor_name_in_ckpt=None, shared_embedding_name=None, shared_vocab_size=None, max_norm=None,
                trainable=True):
        if initializer is not None and not callable(initializer):
            raise ValueError("initializer must be callable if specified. "
                             "Embedding of column_name: {}".format(sparse_id_column.name))
        if (ckpt_to_load_from is None) != (tensor_name_in_ckpt is None):
            raise ValueError("Must specify both `ckpt_to_load_from` and `tensor_name_in_ckpt` or none of them.")
        if initializer is None:
            _logger.warning('The default stddev value of initializer was changed from "1/sqrt(vocab_size)" to '
                            '"1/sqrt(dimension)" in core implementation (tf.feature_column.embedding_column).')
            initializer = v1.truncated_normal_initializer(mean=0.0, stddev=1 / math.sqrt(sparse_id_column.length))
        return super().__new__(cls, sparse_id_column, dimension, combiner, initializer, ckpt_to_load_from,
                               tensor_name_in_ckpt, shared_embedding_name, shared_vocab_size, max_norm, trainable)

    @property
    def name(self):
        if self.shared_embedding_name is None:
            return "{}_embedding".format(self.sparse_id_column.name)
        return "{}_shared_embedding".format(self.sparse_id_column.name)

    @property
    def length(self):
        """The id space size (shared_vocab_size when shared)."""
        return self.sparse_id_column.length if self.shared_vocab_size is None else self.shared_vocab_size

    @property
    def config(self):
        return _get_feature_config(self.sparse_id_column)

    @property
    def key(self):
        return self._key_without_properties(["initializer"])

    def insert_transformed_feature(self, columns_to_tensors):
        if self.sparse_id_column not in columns_to_tensors:
            self.sparse_id_column.insert_transformed_feature(columns_to_tensors)
        columns_to_tensors[self] = columns_to_tensors[self.sparse_id_column]

    def _deep_embedding_lookup_arguments(self, input_tensor):
        return _DeepEmbeddingLookupArguments(
            input_tensor=self.sparse_id_column.id_tensor(input_tensor),
            weight_tensor=self.sparse_id_column.weight_tensor(input_tensor), vocab_size=self.length,
            dimension=self.dimension, initializer=self.initializer, combiner=self.combiner,
            shared_embedding_name=self.shared_embedding_name, hash_key=None, max_norm=self.max_norm,
            trainable=self.trainable)

    def _checkpoint_path(self):
        if self.ckpt_to_load_from is not None:
            return self.ckpt_to_load_from, self.tensor_name_in_ckpt
        return None

    def _wide_embedding_lookup_arguments(self, input_tensor):
        raise ValueError("Column {} is not supported in linear models. Please use sparse_column.".format(self))

    def _transform_feature(self, inputs):
        return inputs.get(self.sparse_id_column)


def _is_variable(value):
    return isinstance(value, tf.Variable)


def _variable_list(variable):
    # A partitioner in an enclosing scope makes a PartitionedVariable (`.../part_0`).
    return [variable] if _is_variable(variable) else variable._get_variable_list()


def _embeddings_from_arguments(column, args, weight_collections, trainable, output_rank=2):
    # r1.15 feature_column._embeddings_from_arguments: the variable is `weights`
    # (`[vocab, dimension]`, or `[size]` for scattered) in the column's scope, or
    # `<shared_embedding_name>` once per graph for shared embeddings.
    input_tensor = _inner_flatten(args.input_tensor, output_rank)
    weight_tensor = None
    if args.weight_tensor is not None:
        weight_tensor = _inner_flatten(args.weight_tensor, output_rank)
    if args.hash_key:
        embeddings = model_variable(name="weights", shape=[args.vocab_size], dtype=tf.float32,
                                    initializer=args.initializer, trainable=(trainable and args.trainable),
                                    collections=weight_collections)
        return embedding_ops.scattered_embedding_lookup_sparse(
            embeddings, input_tensor, args.dimension, hash_key=args.hash_key, combiner=args.combiner,
            name="lookup")
    if args.shared_embedding_name is not None:
        collection_name = "SHARED_EMBEDDING_COLLECTION_" + args.shared_embedding_name.upper()
        graph = v1.get_default_graph()
        collection = graph.get_collection_ref(collection_name)
        shape = [args.vocab_size, args.dimension]
        if collection:
            if len(collection) > 1:
                raise ValueError("Collection %s can only contain one (partitioned) variable." % collection_name)
            embeddings = collection[0]
            if embeddings.get_shape() != shape:
                raise ValueError("The embedding variable with name {} already exists, but its shape does not "
                                 "match required embedding shape here. Please make sure to use different "
                                 "shared_embedding_name for different shared embeddings.".format(
                                     args.shared_embedding_name))
        else:
            embeddings = model_variable(name=args.shared_embedding_name, shape=shape, dtype=tf.float32,
                                        initializer=args.initializer, trainable=(trainable and args.trainable),
                                        collections=weight_collections)
            graph.add_to_collection(collection_name, embeddings)
    else:
        embeddings = model_variable(name="weights", shape=[args.vocab_size, args.dimension], dtype=tf.float32,
                                    initializer=args.initializer, trainable=(trainable and args.trainable),
                                    collections=weight_collections)
    embeddings = _variable_list(embeddings)
    _maybe_restore_from_checkpoint(column._checkpoint_path(), embeddings)
    return embedding_ops.safe_embedding_lookup_sparse(
        embeddings, input_tensor, sparse_weights=weight_tensor, combiner=args.combiner,
        name=column.name + "weights", max_norm=args.max_norm)


def _maybe_restore_from_checkpoint(checkpoint_path, variable):
    if checkpoint_path is not None:
        path, tensor_name = checkpoint_path
        to_restore = variable[0] if len(variable) == 1 else variable
        v1.train.init_from_checkpoint(path, {tensor_name: to_restore})


def one_hot_column(sparse_id_column):
    """A one-hot (multi-hot) representation of a sparse column for DNNs.

    Args:
      sparse_id_column: a `_SparseColumn`, `_WeightedSparseColumn` or crossed column
        (its combiner is ignored).

    Returns:
      An `_OneHotColumn`.
    """
    return _OneHotColumn(sparse_id_column)


def embedding_column(sparse_id_column, dimension, combiner="mean", initializer=None, ckpt_to_load_from=None,
                     tensor_name_in_ckpt=None, max_norm=None, trainable=True):
    """An embedding of a sparse column for DNNs (variable ``<column>_embedding/weights``).

    Args:
      sparse_id_column: a `_SparseColumn`, `_WeightedSparseColumn` or crossed column.
      dimension: the embedding dimension.
      combiner: "mean" (default), "sqrtn" or "sum".
      initializer: the variable initializer; default truncated normal with stddev
        ``1/sqrt(sparse_id_column.length)`` (r1.15's, not core's 1/sqrt(dimension)).
      ckpt_to_load_from: checkpoint to initialise the weights from (with
        ``tensor_name_in_ckpt``).
      tensor_name_in_ckpt: the tensor in that checkpoint.
      max_norm: l2-clip each embedding to this norm.
      trainable: whether the embedding is trained.

    Returns:
      An `_EmbeddingColumn`.
    """
    return _EmbeddingColumn(sparse_id_column, dimension, combiner, initializer, ckpt_to_load_from,
                            tensor_name_in_ckpt, max_norm=max_norm, trainable=trainable)


def shared_embedding_columns(sparse_id_columns, dimension, combiner="mean", shared_embedding_name=None,
                             initializer=None, ckpt_to_load_from=None, tensor_name_in_ckpt=None, max_norm=None,
                             trainable=True):
    """Embedding columns over several sparse columns that share one embedding variable.

    Args:
      sparse_id_columns: a non-string sequence of `_SparseColumn` / `_WeightedSparseColumn`.
      dimension: the embedding dimension.
      combiner: "mean" (default), "sqrtn" or "sum".
      shared_embedding_name: the variable's name; default the first three sorted
        column names joined by "_" (``_plus_<n>_others`` beyond) + ``_shared_embedding``.
      initializer: as in `embedding_column`.
      ckpt_to_load_from: as in `embedding_column`.
      tensor_name_in_ckpt: as in `embedding_column`.
      max_norm: as in `embedding_column`.
      trainable: as in `embedding_column`.

    Returns:
      A tuple of `_EmbeddingColumn` (a list when given one column, as r1.15).

    Raises:
      TypeError: sparse_id_columns is not a sequence, or holds other columns.
      ValueError: it is empty, or its columns are not compatible.
    """
    if not isinstance(sparse_id_columns, collections.abc.Sequence) or isinstance(sparse_id_columns, str):
        raise TypeError("sparse_id_columns must be a non-string sequence (ex: list or tuple) "
                        "instead of type {}.".format(type(sparse_id_columns)))
    if len(sparse_id_columns) < 1:
        raise ValueError("The input sparse_id_columns should have at least one element.")
    for column in sparse_id_columns:
        if not isinstance(column, (_SparseColumn, _WeightedSparseColumn)):
            raise TypeError("Elements of sparse_id_columns must be _SparseColumn or "
                            "_WeightedSparseColumn, but {} is not.".format(column))
    if len(sparse_id_columns) == 1:
        return [_EmbeddingColumn(sparse_id_columns[0], dimension, combiner, initializer, ckpt_to_load_from,
                                 tensor_name_in_ckpt, shared_embedding_name, max_norm=max_norm,
                                 trainable=trainable)]
    first = sparse_id_columns[0]
    compatible = True
    for column in sparse_id_columns[1:]:
        if isinstance(first, _WeightedSparseColumn):
            compatible = compatible and first.is_compatible(column)
        else:
            compatible = compatible and column.is_compatible(first)
    if not compatible:
        raise ValueError("The input sparse id columns are not compatible.")
    if not shared_embedding_name:
        plain = [c for c in sparse_id_columns if isinstance(c, _SparseColumn)]
        weighted = [c for c in sparse_id_columns if not isinstance(c, _SparseColumn)]
        ordered = sorted(plain) + sorted(weighted, key=lambda c: c.name)
        shared_embedding_name = "_".join(c.name for c in ordered[:3])
        if len(ordered) > 3:
            shared_embedding_name += "_plus_{}_others".format(len(ordered) - 3)
        shared_embedding_name += "_shared_embedding"
    return tuple(_EmbeddingColumn(column, dimension, combiner, initializer, ckpt_to_load_from,
                                  tensor_name_in_ckpt, shared_embedding_name, first.length,
                                  max_norm=max_norm, trainable=trainable)
                 for column in sparse_id_columns)


class _ScatteredEmbeddingColumn(_EmbeddingDense, _FeatureColumn, _fc_core._DenseColumn, collections.namedtuple(
        "_ScatteredEmbeddingColumn", ["column_name", "size", "dimension", "hash_key", "combiner",
                                      "initializer"])):
    """See `scattered_embedding_column`."""

    def __new__(cls, column_name, size, dimension, hash_key, combiner="sqrtn", initializer=None):
        if initializer is not None and not callable(initializer):
            raise ValueError("initializer must be callable if specified. column_name: {}".format(column_name))
        if initializer is None:
            initializer = v1.truncated_normal_initializer(mean=0.0, stddev=0.1)
        return super().__new__(cls, column_name, size, dimension, hash_key, combiner, initializer)

    @property
    def name(self):
        return "{}_scattered_embedding".format(self.column_name)

    @property
    def config(self):
        return {self.column_name: tf.io.VarLenFeature(tf.string)}

    @property
    def key(self):
        return self._key_without_properties(["initializer"])

    def insert_transformed_feature(self, columns_to_tensors):
        columns_to_tensors[self] = columns_to_tensors[self.column_name]

    def _deep_embedding_lookup_arguments(self, input_tensor):
        return _DeepEmbeddingLookupArguments(
            input_tensor=input_tensor, weight_tensor=None, vocab_size=self.size, initializer=self.initializer,
            combiner=self.combiner, dimension=self.dimension, shared_embedding_name=None,
            hash_key=self.hash_key, max_norm=None, trainable=True)

    def _transform_feature(self, inputs):
        return inputs.get(self.column_name)


def scattered_embedding_column(column_name, size, dimension, hash_key, combiner="mean", initializer=None):
    """An embedding with parameter hashing: ``size`` weights, no vocabulary.

    Args:
      column_name: the (string) feature name.
      size: number of parameters (variable ``<column>_scattered_embedding/weights``).
      dimension: the embedding dimension.
      hash_key: the FingerprintCat64 key (e.g. SPARSE_FEATURE_CROSS_DEFAULT_HASH_KEY).
      combiner: "mean" (default), "sqrtn" or "sum".
      initializer: default truncated normal, stddev 0.1.

    Returns:
      A `_ScatteredEmbeddingColumn`.

    Raises:
      ValueError: dimension or size < 1, or an unknown combiner.
    """
    if dimension < 1 or size < 1:
        raise ValueError("Dimension and size must be greater than 0. dimension: {}, size: {}, "
                         "column_name: {}".format(dimension, size, column_name))
    if combiner not in ("mean", "sqrtn", "sum"):
        raise ValueError("Combiner must be one of 'mean', 'sqrtn' or 'sum'. combiner: {}, "
                         "column_name: {}".format(combiner, column_name))
    return _ScatteredEmbeddingColumn(column_name, size, dimension, hash_key, combiner, initializer)


class _RealValuedColumn(_FeatureColumn, _fc_core._DenseColumn, collections.namedtuple(
        "_RealValuedColumn", ["column_name", "dimension", "default_value", "dtype", "normalizer"])):
    """A dense numeric column of shape ``[batch, dimension]``."""

    def __new__(cls, column_name, dimension, default_value, dtype, normalizer):
        if default_value is not None:
            default_value = tuple(default_value)
        return super().__new__(cls, column_name, dimension, default_value, dtype, normalizer)

    @property
    def name(self):
        return self.column_name

    @property
    def config(self):
        default_value = None if self.default_value is None else list(self.default_value)
        return {self.column_name: tf.io.FixedLenFeature([self.dimension], self.dtype, default_value)}

    @property
    def key(self):
        return self._key_without_properties(["normalizer"])

    @property
    def normalizer_fn(self):
        """The function that normalizes the column's input (or None)."""
        return self.normalizer

    def _normalized_input_tensor(self, input_tensor):
        return self.normalizer(input_tensor) if self.normalizer is not None else input_tensor

    def insert_transformed_feature(self, columns_to_tensors):
        input_tensor = self._normalized_input_tensor(columns_to_tensors[self.name])
        columns_to_tensors[self] = tf.cast(input_tensor, tf.float32)

    def _to_dnn_input_layer(self, input_tensor, weight_collections=None, trainable=True, output_rank=2):
        input_tensor = self._to_dense_tensor(input_tensor)
        if input_tensor.dtype != tf.float32:
            input_tensor = tf.cast(input_tensor, tf.float32)
        return _reshape_real_valued_tensor(input_tensor, output_rank, self.name)

    def _to_dense_tensor(self, input_tensor):
        return input_tensor

    @property
    def _variable_shape(self):
        return tf.TensorShape([self.dimension])

    def _get_dense_tensor(self, inputs, weight_collections=None, trainable=None):
        return inputs.get(self)

    def _transform_feature(self, inputs):
        return tf.cast(self._normalized_input_tensor(inputs.get(self.name)), tf.float32)


def real_valued_column(column_name, dimension=1, default_value=None, dtype=tf.float32, normalizer=None):
    """A dense numeric column (``column_name=""`` is the feature of a bare-array ``x``).

    Args:
      column_name: the feature name.
      dimension: the number of values per example (an int >= 1).
      default_value: a value (or a list of ``dimension`` values) used when parsing an
        Example that lacks the feature; None makes such an Example an error.
      dtype: an integer or floating dtype.
      normalizer: optional function applied to the input tensor.

    Returns:
      A `_RealValuedColumn`.

    Raises:
      TypeError: dimension is not an int, or default_value does not fit dtype.
      ValueError: dimension < 1, dtype not convertible to float, or a
        default_value list of the wrong length.
    """
    if dimension is None:
        raise TypeError("dimension must be an integer. Use the _real_valued_var_len_column for variable "
                        "length features.dimension: {}, column_name: {}".format(dimension, column_name))
    if not isinstance(dimension, int):
        raise TypeError("dimension must be an integer. dimension: {}, column_name: {}".format(
            dimension, column_name))
    if dimension < 1:
        raise ValueError("dimension must be greater than 0. dimension: {}, column_name: {}".format(
            dimension, column_name))
    if not (dtype.is_integer or dtype.is_floating):
        raise ValueError("dtype must be convertible to float. dtype: {}, column_name: {}".format(
            dtype, column_name))
    if default_value is None:
        return _RealValuedColumn(column_name, dimension, default_value, dtype, normalizer)
    if isinstance(default_value, int):
        if dtype.is_integer:
            return _RealValuedColumn(column_name, dimension, [default_value] * dimension, dtype, normalizer)
        if dtype.is_floating:
            return _RealValuedColumn(column_name, dimension, [float(default_value)] * dimension, dtype,
                                     normalizer)
    if isinstance(default_value, float) and dtype.is_floating:
        return _RealValuedColumn(column_name, dimension, [default_value] * dimension, dtype, normalizer)
    if isinstance(default_value, list):
        if len(default_value) != dimension:
            raise ValueError("The length of default_value must be equal to dimension. default_value: {}, "
                             "dimension: {}, column_name: {}".format(default_value, dimension, column_name))
        all_int = all(isinstance(v, int) for v in default_value)
        all_number = all(isinstance(v, (int, float)) for v in default_value)
        if all_int and dtype.is_integer:
            return _RealValuedColumn(column_name, dimension, default_value, dtype, normalizer)
        if all_number and dtype.is_floating:
            return _RealValuedColumn(column_name, dimension, [float(v) for v in default_value], dtype,
                                     normalizer)
    raise TypeError("default_value must be compatible with dtype. default_value: {}, dtype: {}, "
                    "column_name: {}".format(default_value, dtype, column_name))


class _BucketizedColumn(_FeatureColumn, _fc_core._CategoricalColumn, _fc_core._DenseColumn,
                        collections.namedtuple("_BucketizedColumn", ["source_column", "boundaries"])):
    """Buckets of a real-valued column: ``(-inf, b0), [b0, b1), ..., [bn, inf)``."""

    def __new__(cls, source_column, boundaries):
        if not isinstance(source_column, _RealValuedColumn):
            raise TypeError("source_column must be an instance of _RealValuedColumn. "
                            "source_column: {}".format(source_column))
        if source_column.dimension is None:
            raise ValueError("source_column must have a defined dimension. "
                             "source_column: {}".format(source_column))
        if not isinstance(boundaries, (list, tuple)) or not boundaries:
            raise ValueError("boundaries must be a non-empty list or tuple. boundaries: {}".format(boundaries))
        sanitized = []
        for i in range(len(boundaries) - 1):
            if boundaries[i] == boundaries[i + 1]:
                continue
            if boundaries[i] < boundaries[i + 1]:
                sanitized.append(boundaries[i])
            else:
                raise ValueError("boundaries must be a sorted list. boundaries: {}".format(boundaries))
        sanitized.append(boundaries[-1])
        return super().__new__(cls, source_column, tuple(sanitized))

    @property
    def name(self):
        return "{}_bucketized".format(self.source_column.name)

    @property
    def length(self):
        """The number of buckets."""
        return len(self.boundaries) + 1

    @property
    def config(self):
        return self.source_column.config

    @property
    def key(self):
        return "{}".format(self)

    def _to_dnn_input_layer(self, input_tensor, weight_collections=None, trainable=True, output_rank=2):
        if output_rank != 2:
            raise ValueError("BucketizedColumn currently only supports output_rank=2")
        return tf.reshape(tf.one_hot(tf.cast(input_tensor, tf.int64), self.length, 1.0, 0.0, name="one_hot"),
                          [-1, self.length * self.source_column.dimension], name="reshape")

    def to_sparse_tensor(self, input_tensor):
        """The bucket ids as a `SparseTensor`; dimension ``i`` is offset by ``i * length``."""
        dimension = self.source_column.dimension
        batch_size = tf.shape(input_tensor, name="shape")[0]
        if dimension > 1:
            i1 = tf.reshape(tf.tile(tf.expand_dims(tf.range(0, batch_size), 1, name="expand_dims"),
                                    [1, dimension], name="tile"), [-1], name="reshape")
            i2 = tf.tile(tf.range(0, dimension), [batch_size], name="tile")
            bucket_indices = tf.reshape(input_tensor, [-1], name="reshape") + self.length * i2
        else:
            i1 = tf.range(0, batch_size)
            i2 = tf.zeros([batch_size], dtype=tf.int32, name="zeros")
            bucket_indices = tf.reshape(input_tensor, [-1], name="reshape")
        indices = tf.cast(tf.transpose(tf.stack((i1, i2))), tf.int64)
        shape = tf.cast(tf.stack([batch_size, dimension]), tf.int64)
        return tf.SparseTensor(indices, bucket_indices, shape)

    def _wide_embedding_lookup_arguments(self, input_tensor):
        return _LinearEmbeddingLookupArguments(
            input_tensor=self.to_sparse_tensor(input_tensor), weight_tensor=None,
            vocab_size=self.length * self.source_column.dimension, initializer=v1.zeros_initializer(),
            combiner="sum")

    def _transform_feature(self, inputs):
        return tf.raw_ops.Bucketize(input=inputs.get(self.source_column),
                                    boundaries=[float(b) for b in self.boundaries], name="bucketize")

    def insert_transformed_feature(self, columns_to_tensors):
        columns_to_tensors[self] = self._transform_feature(_LazyBuilderByColumnsToTensor(columns_to_tensors))

    @property
    def _num_buckets(self):
        return self.length * self.source_column.dimension

    def _get_sparse_tensors(self, inputs, weight_collections=None, trainable=None):
        return _IdWeightPair(self.to_sparse_tensor(inputs.get(self)), None)

    @property
    def _variable_shape(self):
        return tf.TensorShape([self.length * self.source_column.dimension])

    def _get_dense_tensor(self, inputs, weight_collections=None, trainable=None):
        return self._to_dnn_input_layer(inputs.get(self), weight_collections, trainable)


class _CrossedColumn(_FeatureColumn, _fc_core._CategoricalColumn, collections.namedtuple(
        "_CrossedColumn", ["columns", "hash_bucket_size", "hash_key", "combiner", "ckpt_to_load_from",
                           "tensor_name_in_ckpt"])):
    """A hashed cross of sparse, bucketized and crossed columns."""

    @staticmethod
    def _assert_is_crossable(column):
        if isinstance(column, (_SparseColumn, _CrossedColumn, _BucketizedColumn)):
            return
        raise TypeError("columns must be a set of _SparseColumn, _CrossedColumn, or _BucketizedColumn "
                        "instances. (column {} is a {})".format(column, column.__class__.__name__))

    def __new__(cls, columns, hash_bucket_size, hash_key, combiner="sum", ckpt_to_load_from=None,
                tensor_name_in_ckpt=None):
        for column in columns:
            _CrossedColumn._assert_is_crossable(column)
        if len(columns) < 2:
            raise ValueError("columns must contain at least 2 elements. columns: {}".format(columns))
        if hash_bucket_size < 2:
            raise ValueError("hash_bucket_size must be at least 2. hash_bucket_size: {}".format(hash_bucket_size))
        if (ckpt_to_load_from is None) != (tensor_name_in_ckpt is None):
            raise ValueError("Must specify both `ckpt_to_load_from` and `tensor_name_in_ckpt` or none of them.")
        ordered = tuple(sorted(columns, key=lambda column: column.name))
        return super().__new__(cls, ordered, hash_bucket_size, hash_key, combiner, ckpt_to_load_from,
                               tensor_name_in_ckpt)

    @property
    def name(self):
        return "_X_".join(sorted(column.name for column in self.columns))

    @property
    def config(self):
        config = {}
        for column in self.columns:
            config.update(_get_feature_config(column))
        return config

    @property
    def length(self):
        """The number of hash buckets."""
        return self.hash_bucket_size

    @property
    def key(self):
        return "{}".format(self)

    def id_tensor(self, input_tensor):
        """The id tensor of the transformed input."""
        return input_tensor

    def weight_tensor(self, input_tensor):
        """None: crosses are unweighted."""
        return None

    def _to_dnn_input_layer(self, input_tensor, weight_collections=None, trainable=True, output_rank=2):
        raise ValueError("CrossedColumn is not supported in DNN. Please use embedding_column. column: {}".format(
            self))

    def _checkpoint_path(self):
        if self.ckpt_to_load_from is not None:
            return self.ckpt_to_load_from, self.tensor_name_in_ckpt
        return None

    def _wide_embedding_lookup_arguments(self, input_tensor):
        return _LinearEmbeddingLookupArguments(
            input_tensor=input_tensor, weight_tensor=None, vocab_size=self.length,
            initializer=v1.zeros_initializer(), combiner=self.combiner)

    def _leaf_columns(self):
        leaves = []
        for column in self.columns:
            leaves.extend(column._leaf_columns() if isinstance(column, _CrossedColumn) else [column])
        return leaves

    def _transform_feature(self, inputs):
        # r1.15: a sparse column enters the cross as its RAW feature (so keys and
        # vocabulary columns cross their strings), a bucketized one as bucket ids.
        tensors = []
        for column in self._leaf_columns():
            if isinstance(column, _SparseColumn):
                tensors.append(inputs.get(column.name))
            elif isinstance(column, _BucketizedColumn):
                tensors.append(column.to_sparse_tensor(inputs.get(column)))
            else:
                tensors.append(inputs.get(column))
        return embedding_ops.sparse_feature_cross(
            tensors, hashed_output=True, num_buckets=self.hash_bucket_size, hash_key=self.hash_key, name="cross")

    def insert_transformed_feature(self, columns_to_tensors):
        columns_to_tensors[self] = self._transform_feature(_LazyBuilderByColumnsToTensor(columns_to_tensors))

    @property
    def _num_buckets(self):
        return self.length

    def _get_sparse_tensors(self, inputs, weight_collections=None, trainable=None):
        return _IdWeightPair(inputs.get(self), None)


class _LazyBuilderByColumnsToTensor:
    def __init__(self, columns_to_tensors):
        self._columns_to_tensors = columns_to_tensors

    def get(self, key):
        if key in self._columns_to_tensors:
            return self._columns_to_tensors[key]
        if isinstance(key, str):
            raise ValueError("features dictionary doesn't contain key ({})".format(key))
        if not isinstance(key, _FeatureColumn):
            raise TypeError('"key" must be either a "str" or "_FeatureColumn". Provided: {}'.format(key))
        key.insert_transformed_feature(self._columns_to_tensors)
        return self._columns_to_tensors[key]


def crossed_column(columns, hash_bucket_size, combiner="sum", ckpt_to_load_from=None, tensor_name_in_ckpt=None,
                   hash_key=None):
    """A hashed feature cross (variable ``<a>_X_<b>/weights`` in linear models).

    Bucket ids are r1.15's: ``hash_key=None`` uses r1.15's default V1 hash chain,
    a key its FingerprintCat64 chain.

    Args:
      columns: two or more `_SparseColumn`, `_BucketizedColumn` or `_CrossedColumn`.
      hash_bucket_size: number of buckets (> 1).
      combiner: "sum" (default), "mean" or "sqrtn".
      ckpt_to_load_from: checkpoint to initialise the linear weights from.
      tensor_name_in_ckpt: the tensor in that checkpoint.
      hash_key: FingerprintCat64 key (optional).

    Returns:
      A `_CrossedColumn`.

    Raises:
      TypeError: an item is not crossable.
      ValueError: hash_bucket_size < 2 or fewer than two columns.
    """
    return _CrossedColumn(columns, hash_bucket_size, hash_key, combiner=combiner,
                          ckpt_to_load_from=ckpt_to_load_from, tensor_name_in_ckpt=tensor_name_in_ckpt)


def _get_feature_config(feature_column):
    if not isinstance(feature_column, _FeatureColumn):
        raise TypeError("feature_columns should only contain instances of _FeatureColumn. "
                        "Given column is {}".format(feature_column))
    if isinstance(feature_column, (_SparseColumn, _WeightedSparseColumn, _EmbeddingColumn, _RealValuedColumn,
                                   _BucketizedColumn, _CrossedColumn, _OneHotColumn, _ScatteredEmbeddingColumn)):
        return feature_column.config
    raise TypeError("Not supported _FeatureColumn type. Given column is {}".format(feature_column))


def create_feature_spec_for_parsing(feature_columns):
    """The ``tf.io.parse_example`` spec of the base features of some columns.

    Args:
      feature_columns: an iterable of columns, or a dict whose values are columns.

    Returns:
      A dict of feature name -> `FixedLenFeature` / `VarLenFeature`.

    Raises:
      TypeError: an item is not a feature column.
    """
    if isinstance(feature_columns, dict):
        feature_columns = feature_columns.values()
    spec = {}
    for column in feature_columns:
        spec.update(_get_feature_config(column))
    return spec


def make_place_holder_tensors_for_base_features(feature_columns):
    """Placeholders for the base features (``Placeholder_<name>``), for inference graphs.

    Args:
      feature_columns: an iterable of columns.

    Returns:
      A dict of feature name -> sparse placeholder (VarLen features) or a
      ``[None, dimension]`` placeholder.
    """
    placeholders = {}
    for name, feature in create_feature_spec_for_parsing(feature_columns).items():
        if isinstance(feature, tf.io.VarLenFeature):
            placeholders[name] = v1.sparse_placeholder(feature.dtype, name="Placeholder_{}".format(name))
        else:
            placeholders[name] = v1.placeholder(feature.dtype, shape=(None, feature.shape[0]),
                                                name="Placeholder_{}".format(name))
    return placeholders


def bucketized_column(source_column, boundaries):
    """Buckets of a real-valued column (a categorical and a dense column at once).

    Args:
      source_column: a `_RealValuedColumn`.
      boundaries: sorted floats; ``[a, b]`` gives ``(-inf, a), [a, b), [b, inf)``
        (repeated boundaries are dropped).

    Returns:
      A `_BucketizedColumn`.

    Raises:
      TypeError: source_column is not a real-valued column.
      ValueError: boundaries empty or not sorted.
    """
    return _BucketizedColumn(source_column, boundaries)


def _create_sequence_feature_spec_for_parsing(sequence_feature_columns, allow_missing_by_default=False):
    # r1.15: the parsing spec of tf.SequenceExample feature lists; a fixed-length
    # feature becomes a FixedLenSequenceFeature (its default value dropped, with a
    # warning, and allow_missing set instead).
    sequence_spec = {}
    for key, feature in create_feature_spec_for_parsing(sequence_feature_columns).items():
        if isinstance(feature, tf.io.VarLenFeature):
            sequence_spec[key] = feature
        elif isinstance(feature, (tf.io.FixedLenFeature, tf.io.FixedLenSequenceFeature)):
            default_is_set = feature.default_value is not None
            if default_is_set:
                _logger.warning('Found default value %s for feature "%s". Ignoring this value and setting '
                                "`allow_missing=True` instead.", feature.default_value, key)
            sequence_spec[key] = tf.io.FixedLenSequenceFeature(
                shape=feature.shape, dtype=feature.dtype,
                allow_missing=(allow_missing_by_default or default_is_set))
        else:
            raise TypeError("Unsupported feature type: {}".format(type(feature).__name__))
    return sequence_spec
