"""`tf.contrib.linear_optimizer.SDCAOptimizer` (r1.15 python/sdca_optimizer.py).

The wrapper the contrib linear estimators (`LinearClassifier`, `LinearRegressor`) and
`SVM` take as their optimizer: it turns the transformed feature columns of r1.15's
``linear`` scope into `SdcaModel`'s examples and variables, as r1.15 did. A
real-valued column is a dense feature (``[batch, dimension]``); a bucketized column is
the one-hot sparse feature of its buckets; sparse, weighted sparse and crossed columns
are sparse features whose ids repeated within an example are summed into one entry, and
whose negative ids (out-of-vocabulary lookups) are dropped. Any other column raises
r1.15's ``ValueError``. The example ids come from the feature named
``example_id_column`` (a ``[batch]`` string tensor); a batch without it is r1.15's
``KeyError``.
"""

from compat_learn import _tf
from compat_learn.linear_optimizer.sdca_ops import SdcaModel
from compat_learn.linear_optimizer.sparse_feature_column import SparseFeatureColumn

__all__ = ["SDCAOptimizer"]

tf = _tf.tf
_v1 = tf.compat.v1


def _dense_to_sparse_feature_column(dense_tensor):
    """The non-zero entries of a ``[batch, n]`` tensor as a `SparseFeatureColumn`."""
    indices = tf.where(tf.not_equal(dense_tensor, tf.cast(0.0, dense_tensor.dtype)))
    values = tf.gather_nd(dense_tensor, indices)
    return SparseFeatureColumn(indices[:, 0], indices[:, 1],
                               tf.reshape(tf.cast(values, tf.float32), [-1]))


def _sparse_ids_feature_column(id_tensor, weight_values):
    """A sparse id tensor as a `SparseFeatureColumn`, duplicates per example summed."""
    example_ids = tf.reshape(id_tensor.indices[:, 0], [-1])
    flat_ids = tf.reshape(id_tensor.values, [-1])
    # Out-of-vocabulary lookups give id -1: r1.15 dropped them.
    valid = tf.greater_equal(flat_ids, 0)
    flat_ids = tf.boolean_mask(flat_ids, valid)
    example_ids = tf.boolean_mask(example_ids, valid)
    weight_values = tf.boolean_mask(weight_values, valid)
    # One entry per (example, id): project the pair to one integer and dedup.
    projection_length = tf.reduce_max(flat_ids) + 1
    unique_pairs, idx = tf.unique(projection_length * example_ids + flat_ids)
    num_pairs = tf.shape(unique_pairs)[0]
    pair_examples = tf.math.unsorted_segment_min(example_ids, idx, num_pairs)
    pair_ids = unique_pairs - projection_length * pair_examples
    pair_weights = tf.reshape(tf.math.unsorted_segment_sum(weight_values, idx, num_pairs), [-1])
    return SparseFeatureColumn(pair_examples, pair_ids, pair_weights)


def _weights_of(variables):
    # A partitioned weight is passed as its list of parts, an unpartitioned one alone.
    return variables if len(variables) > 1 else variables[0]


class SDCAOptimizer:
    """Wrapper of `SdcaModel` for the contrib linear estimators (r1.15).

    Replaces ``tf.contrib.linear_optimizer.SDCAOptimizer``. Native TF2:
    ``tf.estimator.experimental.LinearSDCA``.

    Args:
      example_id_column: name of the feature holding each example's unique string id.
      num_loss_partitions: partitions of the global loss: (#concurrent train ops per
        worker) x (#workers); convergence is guaranteed when at least that.
      num_table_shards: shards of the dual-variables hash table (None: 1).
      symmetric_l1_regularization: L1 strength (>= 0).
      symmetric_l2_regularization: L2 strength (>= 0; the solver uses at least 1.0).
      adaptive: adaptive sampling of the examples.
      partitioner: partitioner of the primal weights (``div`` strategy).
    """

    def __init__(self, example_id_column, num_loss_partitions=1, num_table_shards=None,
                 symmetric_l1_regularization=0.0, symmetric_l2_regularization=1.0,
                 adaptive=True, partitioner=None):
        self._example_id_column = example_id_column
        self._num_loss_partitions = num_loss_partitions
        self._num_table_shards = num_table_shards
        self._symmetric_l1_regularization = symmetric_l1_regularization
        self._symmetric_l2_regularization = symmetric_l2_regularization
        self._adaptive = adaptive
        self._partitioner = partitioner

    def get_name(self):
        """Returns ``"SDCAOptimizer"``."""
        return "SDCAOptimizer"

    @property
    def example_id_column(self):
        return self._example_id_column

    @property
    def num_loss_partitions(self):
        return self._num_loss_partitions

    @property
    def num_table_shards(self):
        return self._num_table_shards

    @property
    def symmetric_l1_regularization(self):
        return self._symmetric_l1_regularization

    @property
    def symmetric_l2_regularization(self):
        return self._symmetric_l2_regularization

    @property
    def adaptive(self):
        return self._adaptive

    @property
    def partitioner(self):
        return self._partitioner

    def get_train_step(self, columns_to_variables, weight_column_name, loss_type, features,
                       targets, global_step):
        """Returns ``(sdca_model, train_op)`` for one SDCA step over this batch.

        Args:
          columns_to_variables: dict feature column -> list of its weight variables
            (``weighted_sum_from_feature_columns``'s, plus the bias column).
          weight_column_name: feature of per-example weights, or None (all 1.0).
          loss_type: ``"logistic_loss"``, ``"squared_loss"`` or ``"hinge_loss"`` ...
          features: dict holding each column's transformed tensor (keyed by the
            column), the example ids and the weights.
          targets: the labels.
          global_step: incremented by the train op.

        Raises:
          ValueError: a column type SDCA does not take (r1.15's message).
          KeyError: no example id (or weight) feature.
        """
        examples, variables = self._examples_and_variables(
            columns_to_variables, weight_column_name, features, targets)
        sdca_model = SdcaModel(
            examples=examples, variables=variables,
            options=dict(symmetric_l1_regularization=self._symmetric_l1_regularization,
                         symmetric_l2_regularization=self._symmetric_l2_regularization,
                         adaptive=self._adaptive, num_loss_partitions=self._num_loss_partitions,
                         num_table_shards=self._num_table_shards, loss_type=loss_type))
        return sdca_model, sdca_model.minimize(global_step=global_step)

    def _examples_and_variables(self, columns_to_variables, weight_column_name, features,
                                targets):
        from compat_learn.layers import feature_column as fc
        dense_features, dense_weights, sparse_features, sparse_weights = [], [], [], []
        for column in sorted(columns_to_variables, key=lambda c: c.key):
            transformed = features[column]
            variables = columns_to_variables[column]
            if isinstance(column, fc._RealValuedColumn):
                # A dense feature of rank exactly 2: [batch, dimension].
                check_rank = tf.debugging.Assert(
                    tf.less_equal(tf.rank(transformed), 2),
                    ["transformed_tensor should have rank at most 2."])
                with tf.control_dependencies([check_rank]):
                    transformed = tf.reshape(transformed, [tf.shape(transformed)[0], -1])
                dense_features.append(transformed)
                dense_weights.append(variables[0])
            elif isinstance(column, fc._BucketizedColumn):
                sparse_features.append(_dense_to_sparse_feature_column(
                    column._to_dnn_input_layer(transformed)))
                sparse_weights.append(_weights_of(variables))
            elif isinstance(column, (fc._WeightedSparseColumn, fc._CrossedColumn,
                                     fc._SparseColumn)):
                if isinstance(column, fc._WeightedSparseColumn):
                    id_tensor = column.id_tensor(transformed)
                    weight_values = tf.reshape(column.weight_tensor(transformed).values, [-1])
                else:
                    id_tensor = transformed
                    weight_values = tf.ones([tf.shape(id_tensor.indices)[0]], tf.float32)
                sparse_features.append(_sparse_ids_feature_column(id_tensor, weight_values))
                sparse_weights.append(_weights_of(variables))
            else:
                raise ValueError("SDCAOptimizer does not support column type %s."
                                 % type(column).__name__)
        if weight_column_name:
            example_weights = tf.reshape(features[weight_column_name], shape=[-1])
        else:
            # r1.15 took the batch size from the labels' static shape; a fed batch
            # (unknown size) takes it at run time.
            batch_size = targets.get_shape()[0]
            if batch_size is None:
                batch_size = tf.shape(targets)[0]
            example_weights = tf.ones([batch_size])
        examples = dict(
            sparse_features=sparse_features, dense_features=dense_features,
            example_labels=tf.cast(tf.reshape(targets, shape=[-1]), tf.float32),
            example_weights=example_weights,
            # r1.15 passed the ids as they came: the numpy feeder's [batch, 1] ids
            # (fit(x=dict)) failed in SdcaFprint, which takes [batch].
            example_ids=tf.reshape(features[self._example_id_column], [-1]))
        variables = dict(sparse_features_weights=sparse_weights,
                         dense_features_weights=dense_weights)
        return examples, variables
