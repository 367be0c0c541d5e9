"""`tf.contrib.linear_optimizer.SdcaModel` (r1.15 python/ops/sdca_ops.py).

tensorflow-estimator 2.15 keeps r1.15's solver as ``_SDCAModel``: the same examples
dict keys (``sparse_features``, ``dense_features``, ``example_labels``,
``example_weights``, ``example_ids``), variables dict keys (``sparse_features_weights``,
``dense_features_weights``), options, loss types, ``minimize``, ``update_weights``,
``approximate_duality_gap``, ``unregularized_loss`` and ``regularized_loss``, on the
same kernels and with the same hash table of dual variables (saved under the same
checkpoint keys). `SdcaModel` is that class with r1.15's behaviour where 2.15 changed it:

* ``symmetric_l2_regularization`` may be 0 (2.15 requires it positive and warns up to
  1.0): r1.15 solved with ``max(l2, 1.0)``, the algorithm's minimum, and raised only on a
  negative value (``"... should be non-negative. Found (-1.000000)"``, for l1 too);
* ``regularized_loss`` adds the L2 term with the raw ``symmetric_l2_regularization``, as
  r1.15 did (``approximate_duality_gap`` and the solver use ``max(l2, 1.0)``);
* the unshrunk slots are r1.15's variables ``<weights>_unshrinked/SDCAOptimizer`` (2.15:
  ``<weights>_unshrunk``), so a TF 1.x model directory's slots restore;
* ``predictions`` and the losses need no ``example_ids`` (2.15 reads the batch size
  from them; r1.15 did not ask for them).

2.15's ``update_weights`` shrinks with ``sign(w) * max(|w| - l1/l2, 0)`` in the graph
where r1.15 ran the ``SdcaShrinkL1`` kernel, the same function; and 2.15's predictions pad
the sparse part to the batch, which r1.15 did not (a batch whose last examples had no
sparse feature failed there). r1.15 logged a deprecation; this class does not.
"""

import collections

from compat_learn import _tf

__all__ = ["SdcaModel"]

tf = _tf.tf
_v1 = tf.compat.v1
_core = _tf.sdca_ops

_SUPPORTED_LOSSES = ("logistic_loss", "squared_loss", "hinge_loss", "smooth_hinge_loss",
                     "poisson_loss")


class SdcaModel(_core._SDCAModel):
    """Stochastic dual coordinate ascent solver for linear models (r1.15).

    Replaces ``tf.contrib.linear_optimizer.SdcaModel``. Native TF2:
    ``tf.estimator.experimental.LinearSDCA`` in ``tf.estimator.LinearClassifier``.

    Args:
      examples: dict with ``sparse_features`` (list of `SparseFeatureColumn`),
        ``dense_features`` (list of ``[batch, dim]`` float tensors), ``example_labels``,
        ``example_weights`` (``[batch]`` floats) and ``example_ids`` (``[batch]``
        strings).
      variables: dict with ``sparse_features_weights`` and ``dense_features_weights``,
        lists of variables (or lists of partitions).
      options: dict with ``symmetric_l1_regularization``, ``symmetric_l2_regularization``,
        ``loss_type`` (``logistic_loss``, ``squared_loss``, ``hinge_loss``,
        ``smooth_hinge_loss``, ``poisson_loss``), optionally ``num_loss_partitions``,
        ``num_table_shards`` and ``adaptive``.

    Raises:
      ValueError: a missing dict or key, an unsupported loss type, a negative
        regularization (r1.15's messages).
    """

    def __init__(self, examples, variables, options):  # pylint: disable=super-init-not-called
        # r1.15's checks, in its order; 2.15's __init__ would refuse l2 == 0.
        if not examples or not variables or not options:
            raise ValueError("examples, variables and options must all be specified.")
        if options["loss_type"] not in _SUPPORTED_LOSSES:
            raise ValueError("Unsupported loss_type: ", options["loss_type"])
        self._assert_specified(["example_labels", "example_weights", "example_ids",
                                "sparse_features", "dense_features"], examples)
        self._assert_list(["sparse_features", "dense_features"], examples)
        self._assert_specified(["sparse_features_weights", "dense_features_weights"], variables)
        self._assert_list(["sparse_features_weights", "dense_features_weights"], variables)
        self._assert_specified(["loss_type", "symmetric_l2_regularization",
                                "symmetric_l1_regularization"], options)
        for name in ("symmetric_l1_regularization", "symmetric_l2_regularization"):
            value = options[name]
            if value < 0.0:
                raise ValueError("%s should be non-negative. Found (%f)" % (name, value))
        self._examples = examples
        self._variables = variables
        self._options = options
        self._create_slots()
        self._hashtable = _core._ShardedMutableDenseHashTable(
            key_dtype=tf.int64, value_dtype=tf.float32, num_shards=self._num_table_shards(),
            default_value=[0.0, 0.0, 0.0, 0.0],
            # SdcaFprint never gives 0 or 1 as the low 64 bits: safe empty/deleted keys.
            empty_key=[0, 0], deleted_key=[1, 1])
        _v1.summary.scalar("approximate_duality_gap", self.approximate_duality_gap())
        _v1.summary.scalar("examples_seen", self._hashtable.size())

    def _symmetric_l2_regularization(self):
        # r1.15: the algorithm needs an l2 of at least 1.0.
        return max(self._options["symmetric_l2_regularization"], 1.0)

    def _create_slots(self):
        """r1.15's unshrunk copies of the weights, named ``<w>_unshrinked/SDCAOptimizer``."""
        # 2.15's minimize / update_weights read them under the keys "unshrunk_<name>".
        self._slots = collections.defaultdict(list)
        for name in ("sparse_features_weights", "dense_features_weights"):
            for var in self._variables[name]:
                if self._var_to_list(var) is var:
                    # A list or PartitionedVariable gets a plain list of slots, one per part.
                    parts = []
                    for part in var:
                        with _v1.colocate_with(part):
                            parts.append(_slot(part))
                    self._slots["unshrunk_" + name].append(parts)
                else:
                    with _v1.device(var.device):
                        self._slots["unshrunk_" + name].append(_slot(var))

    def _linear_predictions(self, examples):
        # 2.15 takes the batch size from example_ids, which r1.15's predictions and
        # losses did not require; the example weights have the same length.
        if examples.get("example_ids") is None:
            examples = dict(examples, example_ids=examples["example_weights"])
        return super()._linear_predictions(examples)

    def regularized_loss(self, examples):
        """The mean weighted loss plus the L1 and L2 terms over the summed weights.

        As r1.15, the L2 term uses the raw ``symmetric_l2_regularization``, not the
        ``max(l2, 1.0)`` the solver runs with.

        Args:
          examples: as the constructor's (``example_ids`` not needed).

        Returns:
          A float64 scalar tensor.
        """
        self._assert_specified(["example_labels", "example_weights", "sparse_features",
                                "dense_features"], examples)
        self._assert_list(["sparse_features", "dense_features"], examples)
        with _v1.name_scope("sdca/regularized_loss"):
            weights = tf.convert_to_tensor(examples["example_weights"])
            # _l2_loss() is solver_l2 * sum(w^2) / 2; rescale it to the raw l2.
            l2_loss = (self._l2_loss() * self._options["symmetric_l2_regularization"]
                       / self._symmetric_l2_regularization())
            return ((self._l1_loss() + l2_loss)
                    / tf.reduce_sum(tf.cast(weights, tf.float64))
                    + self.unregularized_loss(examples))


def _slot(var):
    return _v1.Variable(_v1.zeros_like(var.initial_value, dtype=tf.float32),
                        name=var.op.name + "_unshrinked/SDCAOptimizer")
