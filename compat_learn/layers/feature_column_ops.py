"""``tf.contrib.layers.python.layers.feature_column_ops`` (r1.15) on TensorFlow 2.15.

The consumers of contrib feature columns, with r1.15's variable names, column order
(sorted by ``column.key``), shapes and initializers, so TF 1.x checkpoints restore:

* input_from_feature_columns: scope ``input_from_feature_columns``; one sub-scope per
  column (``<col>_embedding/weights`` ...), outputs concatenated in key order.
* weighted_sum_from_feature_columns: scope ``weighted_sum_from_feature_columns``;
  ``<col>/weights`` (sparse: ``[ids, num_outputs]``) or ``<col>/weight`` (dense:
  ``[dimension, num_outputs]``), all zero-initialised, and ``bias_weight``.
* joint_weighted_sum_from_feature_columns: one ``linear_weights/weights`` variable.

A partitioner set on an enclosing variable scope (as r1.15's canned estimators did)
gives ``.../part_0`` variables as it did in TF 1.x. Native TF2 replacement:
``tf.compat.v1.feature_column.input_layer`` / ``linear_model``.
"""

import functools
import logging

from compat_learn import _tf
from compat_learn.framework.variables import model_variable
from compat_learn.layers import feature_column as fc
from compat_learn.slim import patch_tf_slim

patch_tf_slim()

from tf_slim.layers.layers import _inner_flatten  # noqa: E402

__all__ = [
    "check_feature_columns",
    "infer_real_valued_columns",
    "input_from_feature_columns",
    "joint_weighted_sum_from_feature_columns",
    "parse_feature_columns_from_examples",
    "parse_feature_columns_from_sequence_examples",
    "sequence_input_from_feature_columns",
    "transform_features",
    "weighted_sum_from_feature_columns",
]

tf = _tf.tf
v1 = tf.compat.v1
_logger = logging.getLogger(__name__)


def _maybe_reshape_input_tensor(tensor, column_name, output_rank):
    # r1.15 feature_column_ops._maybe_reshape_input_tensor (Tensor or SparseTensor).
    input_rank = tensor.get_shape().ndims
    if input_rank is None and isinstance(tensor, tf.SparseTensor):
        input_rank = tensor.dense_shape.get_shape().as_list()[0]
    if input_rank is None:
        raise ValueError("Error while processing column {}. Rank of input Tensor can not be None.".format(
            column_name))
    if output_rank > input_rank + 1:
        raise ValueError("Error while processing column {}. Rank of input Tensor ({}) should be the same as "
                         "output_rank ({}). For example, sequence data should typically be 3 dimensional "
                         "(rank 3) while non-sequence data is typically 2 dimensional (rank 2).".format(
                             column_name, input_rank, output_rank))
    if output_rank == input_rank + 1:
        if isinstance(tensor, tf.SparseTensor):
            return tf.sparse.reshape(tensor, tf.concat([tensor.dense_shape, [1]], 0))
        reshaped = tf.expand_dims(tensor, -1)
        if tensor.get_shape().dims is not None:
            reshaped.set_shape(tensor.get_shape().as_list() + [1])
        return reshaped
    if output_rank < input_rank:
        return _inner_flatten(tensor, output_rank)
    return tensor


def _sorted_columns(feature_columns):
    # r1.15 orders every consumer's columns by key (the input layer's column order).
    return sorted(set(feature_columns), key=lambda column: column.key)


def _with_global(weight_collections):
    if weight_collections:
        return list(set(list(weight_collections) + [v1.GraphKeys.GLOBAL_VARIABLES]))
    return weight_collections


def _input_from_feature_columns(columns_to_tensors, feature_columns, weight_collections, trainable, scope,
                                output_rank, default_name, cols_to_outs=None):
    columns_to_tensors = columns_to_tensors.copy()
    check_feature_columns(feature_columns)
    if cols_to_outs is not None and not isinstance(cols_to_outs, dict):
        raise ValueError("cols_to_outs must be a dict unless None")
    with v1.variable_scope(scope, default_name=default_name, values=columns_to_tensors.values()):
        outputs = []
        transformer = _Transformer(columns_to_tensors)
        weight_collections = _with_global(weight_collections)
        for column in _sorted_columns(feature_columns):
            with v1.variable_scope(None, default_name=column.name, values=columns_to_tensors.values()):
                transformed = transformer.transform(column)
                if output_rank == 3:
                    transformed = tf.nest.map_structure(
                        functools.partial(_maybe_reshape_input_tensor, column_name=column.name,
                                          output_rank=output_rank), transformed)
                try:
                    arguments = column._deep_embedding_lookup_arguments(transformed)
                    outputs.append(fc._embeddings_from_arguments(
                        column, arguments, weight_collections, trainable, output_rank=output_rank))
                except NotImplementedError as not_embedded:
                    try:
                        outputs.append(column._to_dnn_input_layer(
                            transformed, weight_collections, trainable, output_rank=output_rank))
                    except ValueError as error:
                        raise ValueError("Error creating input layer for column: {}.\n{}, {}".format(
                            column.name, error, not_embedded)) from error
                if cols_to_outs is not None:
                    cols_to_outs[column] = outputs[-1]
        return tf.concat(outputs, output_rank - 1)


def input_from_feature_columns(columns_to_tensors, feature_columns, weight_collections=None, trainable=True,
                               scope=None, cols_to_outs=None):
    """The first layer of a DNN built from feature columns (r1.15).

    Args:
      columns_to_tensors: dict of feature name (or already transformed column) ->
        `Tensor` / `SparseTensor`.
      feature_columns: the columns (real-valued, bucketized, one-hot, embedding,
        scattered embedding); sparse and crossed columns raise.
      weight_collections: extra collections for the embedding variables.
      trainable: whether the variables are trainable.
      scope: variable scope (default ``input_from_feature_columns``).
      cols_to_outs: optional dict filled with column -> its output tensor.

    Returns:
      A `[batch, total_dimension]` float32 `Tensor`, columns in key order.

    Raises:
      ValueError: a column cannot feed a DNN, or duplicate column keys.
    """
    return _input_from_feature_columns(columns_to_tensors, feature_columns, weight_collections, trainable, scope,
                                       output_rank=2, default_name="input_from_feature_columns",
                                       cols_to_outs=cols_to_outs)


_SUPPORTED_SEQUENCE_COLUMNS = (fc._OneHotColumn, fc._EmbeddingColumn, fc._RealValuedColumn)
_FORBIDDEN_SEQUENCE_COLUMNS = (fc._ScatteredEmbeddingColumn, fc._BucketizedColumn, fc._CrossedColumn)


def _parent_columns(column):
    if isinstance(column, (fc._WeightedSparseColumn, fc._OneHotColumn, fc._EmbeddingColumn)):
        return (column.sparse_id_column,)
    if isinstance(column, fc._BucketizedColumn):
        return (column.source_column,)
    if isinstance(column, fc._CrossedColumn):
        return tuple(column.columns)
    return ()


def sequence_input_from_feature_columns(columns_to_tensors, feature_columns, weight_collections=None,
                                        trainable=True, scope=None):
    """Like `input_from_feature_columns` for `[batch, time, ...]` inputs (rank-3 output).

    Args:
      columns_to_tensors: as in `input_from_feature_columns`.
      feature_columns: one-hot, embedding and real-valued columns only (none built
        on scattered, bucketized or crossed columns).
      weight_collections: as in `input_from_feature_columns`.
      trainable: as in `input_from_feature_columns`.
      scope: variable scope (default ``sequence_input_from_feature_columns``).

    Returns:
      A `[batch, time, total_dimension]` `Tensor`.

    Raises:
      ValueError: an unsupported column type.
    """
    for column in feature_columns:
        if not isinstance(column, _SUPPORTED_SEQUENCE_COLUMNS):
            raise ValueError("FeatureColumn type {} is not currently supported for sequence data.".format(
                type(column).__name__))
    gathered = list(feature_columns)
    index = 0
    while index < len(gathered):
        gathered.extend(parent for parent in _parent_columns(gathered[index]) if parent not in gathered)
        index += 1
    for column in gathered:
        if isinstance(column, _FORBIDDEN_SEQUENCE_COLUMNS):
            raise ValueError("Column {} is of type {}, which is not currently supported for sequences.".format(
                column.name, type(column).__name__))
    return _input_from_feature_columns(columns_to_tensors, feature_columns, weight_collections, trainable, scope,
                                       output_rank=3, default_name="sequence_input_from_feature_columns")


def _create_embedding_lookup(column, columns_to_tensors, arguments, num_outputs, trainable, weight_collections):
    with v1.variable_scope(None, default_name=column.name, values=columns_to_tensors.values()):
        variable = model_variable(name="weights", shape=[arguments.vocab_size, num_outputs], dtype=tf.float32,
                                  initializer=arguments.initializer, trainable=trainable,
                                  collections=weight_collections)
        variable = fc._variable_list(variable)
        predictions = fc.embedding_ops.safe_embedding_lookup_sparse(
            variable, arguments.input_tensor, sparse_weights=arguments.weight_tensor,
            combiner=arguments.combiner, name=column.name + "_weights")
        return variable, predictions


def weighted_sum_from_feature_columns(columns_to_tensors, feature_columns, num_outputs, weight_collections=None,
                                      trainable=True, scope=None):
    """A linear model's logits from feature columns (r1.15).

    Args:
      columns_to_tensors: dict of feature name (or transformed column) -> tensor.
      feature_columns: the columns (sparse, weighted sparse, crossed, bucketized,
        real-valued); embedding columns raise.
      num_outputs: number of outputs (logits).
      weight_collections: extra collections for the variables.
      trainable: whether the variables are trainable.
      scope: variable scope (default ``weighted_sum_from_feature_columns``).

    Returns:
      ``(predictions, column_to_variable, bias)``: the `[batch, num_outputs]`
      logits, a dict column -> list of its variables, and the bias variable.

    Raises:
      ValueError: a column cannot be used in a linear model.
    """
    columns_to_tensors = columns_to_tensors.copy()
    check_feature_columns(feature_columns)
    with v1.variable_scope(scope, default_name="weighted_sum_from_feature_columns",
                           values=columns_to_tensors.values()):
        outputs = []
        column_to_variable = {}
        transformer = _Transformer(columns_to_tensors)
        for column in _sorted_columns(feature_columns):
            transformed = transformer.transform(column)
            try:
                arguments = column._wide_embedding_lookup_arguments(transformed)
                variable, predictions = _create_embedding_lookup(
                    column, columns_to_tensors, arguments, num_outputs, trainable, weight_collections)
            except NotImplementedError:
                with v1.variable_scope(None, default_name=column.name, values=columns_to_tensors.values()):
                    tensor = column._to_dense_tensor(transformed)
                    tensor = _maybe_reshape_input_tensor(tensor, column.name, output_rank=2)
                    variable = [model_variable(name="weight", shape=[tensor.get_shape()[1], num_outputs],
                                               initializer=v1.zeros_initializer(), trainable=trainable,
                                               collections=weight_collections)]
                    predictions = tf.matmul(tensor, variable[0], name="matmul")
            except ValueError as error:
                raise ValueError("Error creating weighted sum for column: {}.\n{}".format(column.name, error)) \
                    from error
            outputs.append(tf.reshape(predictions, shape=(-1, num_outputs)))
            column_to_variable[column] = variable
            _log_variable(variable)
            fc._maybe_restore_from_checkpoint(column._checkpoint_path(), variable)
        predictions_no_bias = tf.add_n(outputs)
        bias = model_variable("bias_weight", shape=[num_outputs], initializer=v1.zeros_initializer(),
                              trainable=trainable, collections=_with_global(weight_collections))
        _log_variable(bias)
        return tf.nn.bias_add(predictions_no_bias, bias), column_to_variable, bias


def joint_weighted_sum_from_feature_columns(columns_to_tensors, feature_columns, num_outputs,
                                            weight_collections=None, trainable=True, scope=None):
    """A linear model whose sparse columns share one weight variable (r1.15).

    Args:
      columns_to_tensors: dict of feature name (or transformed column) -> tensor.
      feature_columns: unweighted sparse, crossed or bucketized columns with the
        "sum" combiner.
      num_outputs: number of outputs.
      weight_collections: extra collections for the variables.
      trainable: whether the variables are trainable.
      scope: variable scope (default ``joint_weighted_sum_from_feature_columns``).

    Returns:
      ``(predictions, variable, bias)``; ``variable`` is the list holding
      ``linear_weights/weights`` of shape ``[sum of column sizes, num_outputs]``.

    Raises:
      NotImplementedError: a real-valued column.
      AssertionError: a weighted column or a combiner other than "sum" (as r1.15).
    """
    columns_to_tensors = columns_to_tensors.copy()
    check_feature_columns(feature_columns)
    with v1.variable_scope(scope, default_name="joint_weighted_sum_from_feature_columns",
                           values=columns_to_tensors.values()):
        transformer = _Transformer(columns_to_tensors)
        arguments = []
        for column in _sorted_columns(feature_columns):
            transformed = transformer.transform(column)
            try:
                arguments.append(column._wide_embedding_lookup_arguments(transformed))
            except NotImplementedError as error:
                raise NotImplementedError("Real-valued columns are not supported. Use "
                                          "weighted_sum_from_feature_columns instead, or bucketize these "
                                          "columns.") from error
        for argument in arguments:
            if argument.weight_tensor is not None:
                raise AssertionError("Joint sums for weighted sparse columns are not supported. Please use "
                                     "weighted_sum_from_feature_columns instead.")
            if argument.combiner != "sum":
                raise AssertionError("Combiners other than sum are not supported for joint sums. Please use "
                                     "weighted_sum_from_feature_columns instead.")
        if not arguments:
            raise AssertionError("At least one column must be in the model.")
        offset = 0
        shifted = []
        for argument in arguments:
            ids = argument.input_tensor
            shifted.append(tf.SparseTensor(ids.indices, ids.values + offset, ids.dense_shape))
            offset += argument.vocab_size
        sparse_ids = tf.sparse.concat(1, shifted)
        with v1.variable_scope(None, default_name="linear_weights", values=columns_to_tensors.values()):
            variable = model_variable(name="weights", shape=[offset, num_outputs], dtype=tf.float32,
                                      initializer=v1.zeros_initializer(), trainable=trainable,
                                      collections=weight_collections)
            variable = fc._variable_list(variable)
            predictions_no_bias = fc.embedding_ops.safe_embedding_lookup_sparse(
                variable, sparse_ids, sparse_weights=None, combiner="sum", name="_weights")
        bias = model_variable("bias_weight", shape=[num_outputs], initializer=v1.zeros_initializer(),
                              trainable=trainable, collections=_with_global(weight_collections))
        _log_variable(bias)
        return tf.nn.bias_add(predictions_no_bias, bias), variable, bias


def parse_feature_columns_from_examples(serialized, feature_columns, name=None, example_names=None):
    """Parses serialized ``tf.Example``s and transforms them for the columns (r1.15).

    Args:
      serialized: 1-D string `Tensor` of serialized Examples.
      feature_columns: the columns.
      name: op name.
      example_names: optional 1-D string `Tensor` of names.

    Returns:
      A dict with the parsed base features and each column's transformed tensor.
    """
    check_feature_columns(feature_columns)
    columns_to_tensors = v1.io.parse_example(serialized=serialized,
                                             features=fc.create_feature_spec_for_parsing(feature_columns),
                                             name=name, example_names=example_names)
    transformer = _Transformer(columns_to_tensors)
    for column in _sorted_columns(feature_columns):
        transformer.transform(column)
    return columns_to_tensors


def transform_features(features, feature_columns):
    """Each column's transformed tensor (r1.15): a dict column -> tensor.

    Args:
      features: dict of feature name -> tensor.
      feature_columns: the columns.

    Returns:
      A dict keyed by the given columns only.
    """
    columns_to_tensor = features.copy()
    check_feature_columns(feature_columns)
    transformer = _Transformer(columns_to_tensor)
    for column in _sorted_columns(feature_columns):
        transformer.transform(column)
    for key in list(columns_to_tensor):
        if key not in feature_columns:
            columns_to_tensor.pop(key)
    return columns_to_tensor


def parse_feature_columns_from_sequence_examples(serialized, context_feature_columns, sequence_feature_columns,
                                                 name=None, example_name=None):
    """Parses one serialized ``tf.SequenceExample`` for context and sequence columns (r1.15).

    Args:
      serialized: a scalar string `Tensor` (one SequenceExample; batch after parsing).
      context_feature_columns: columns of the context features, or None.
      sequence_feature_columns: columns of the feature lists, or None.
      name: op name.
      example_name: optional scalar string `Tensor`, the proto's name.

    Returns:
      ``(context_features, sequence_features)`` dicts of parsed tensors.

    Raises:
      ValueError: serialized holds more than one example.
    """
    try:
        serialized = tf.reshape(serialized, [])
    except ValueError as error:
        raise ValueError("serialized must contain as single sequence example. Batching must be done after "
                         "parsing for sequence examples. Error: {}".format(error)) from error
    context_feature_columns = context_feature_columns or []
    sequence_feature_columns = sequence_feature_columns or []
    check_feature_columns(context_feature_columns)
    context_spec = fc.create_feature_spec_for_parsing(context_feature_columns)
    check_feature_columns(sequence_feature_columns)
    sequence_spec = fc._create_sequence_feature_spec_for_parsing(sequence_feature_columns,
                                                                 allow_missing_by_default=False)
    return v1.io.parse_single_sequence_example(serialized, context_spec, sequence_spec, example_name, name)


def _log_variable(variable):
    for var in variable if isinstance(variable, list) else [variable]:
        if fc._is_variable(var):
            _logger.info("Created variable %s, with device=%s", var.name, var.device)


def _infer_real_valued_column_for_tensor(name, tensor):
    if isinstance(tensor, tf.SparseTensor):
        raise ValueError("SparseTensor is not supported for auto detection. Please define corresponding "
                         "FeatureColumn for tensor {} {}.".format(name, tensor))
    if not (tensor.dtype.is_integer or tensor.dtype.is_floating):
        raise ValueError("Non integer or non floating types are not supported for auto detection. Please "
                         "define corresponding FeatureColumn for tensor {} {}.".format(name, tensor))
    shape = tensor.get_shape().as_list()
    dimension = 1
    for size in shape[1:]:
        dimension *= size
    return fc.real_valued_column(name, dimension=dimension, dtype=tensor.dtype)


def infer_real_valued_columns(features):
    """One real_valued_column per feature tensor ("" for a single tensor), as r1.15.

    Args:
      features: a `Tensor` or a dict of them.

    Returns:
      A list of `_RealValuedColumn` (dimension: the product of the non-batch dims).

    Raises:
      ValueError: a `SparseTensor` or a non-numeric tensor.
    """
    if not isinstance(features, dict):
        return [_infer_real_valued_column_for_tensor("", features)]
    return [_infer_real_valued_column_for_tensor(key, value) for key, value in features.items()]


def check_feature_columns(feature_columns):
    """Checks a set of feature columns (r1.15).

    Args:
      feature_columns: an iterable of columns.

    Raises:
      ValueError: feature_columns is a dict, or two columns have the same key.
    """
    if isinstance(feature_columns, dict):
        raise ValueError("Expected feature_columns to be iterable, found dict.")
    seen = set()
    for column in feature_columns:
        key = column.key
        if key in seen:
            raise ValueError("Duplicate feature column key found for column: {}. This usually means that the "
                             "column is almost identical to another column, and one must be discarded.".format(
                                 column.name))
        seen.add(key)


class _Transformer:
    """Transforms each column once, reusing transformed parents (r1.15)."""

    def __init__(self, columns_to_tensors):
        self._columns_to_tensors = columns_to_tensors

    def transform(self, feature_column):
        """The transformed tensor of a column, created on first use."""
        _logger.debug("Transforming feature_column %s", feature_column)
        if feature_column in self._columns_to_tensors:
            return self._columns_to_tensors[feature_column]
        feature_column.insert_transformed_feature(self._columns_to_tensors)
        if feature_column not in self._columns_to_tensors:
            raise ValueError("Column {} is not supported.".format(feature_column.name))
        return self._columns_to_tensors[feature_column]
