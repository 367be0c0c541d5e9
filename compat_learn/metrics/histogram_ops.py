"""`auc_using_histogram` (r1.15 contrib/metrics/python/ops/histogram_ops.py).

Native TF2 replacement: ``tf.keras.metrics.AUC``.
"""

from compat_learn._deprecation import warn_deprecated
from compat_learn._tf import tf

__all__ = ["auc_using_histogram"]

_v1 = tf.compat.v1


def _check_labels_and_scores(boolean_labels, scores, check_shape):
    with _v1.name_scope("_check_labels_and_scores", values=[boolean_labels, scores]):
        boolean_labels = tf.convert_to_tensor(boolean_labels, name="boolean_labels")
        scores = tf.convert_to_tensor(scores, name="scores")
        if boolean_labels.dtype != tf.bool:
            raise ValueError("Argument boolean_labels should have dtype bool.  Found: %s"
                             % boolean_labels.dtype)
        if not check_shape:
            return boolean_labels, scores
        checks = [
            _v1.Assert(tf.equal(1, tf.rank(boolean_labels)),
                       ["Argument boolean_labels should have rank 1.  Found: ",
                        boolean_labels.name, tf.shape(boolean_labels)]),
            _v1.Assert(tf.equal(1, tf.rank(scores)),
                       ["Argument scores should have rank 1.  Found: ", scores.name,
                        tf.shape(scores)]),
        ]
        # r1.15 returned its inputs themselves from inside this block, so the checks
        # are built but never run; kept so, as a rank-2 input worked in r1.15.
        with tf.control_dependencies(checks):
            return boolean_labels, scores


def auc_using_histogram(boolean_labels, scores, score_range, nbins=100, collections=None,
                        check_shape=True, name=None):
    """The ROC AUC from histograms of the scores of each class, accumulated over batches.

    Args:
      boolean_labels: rank-1 bool labels.
      scores: rank-1 scores, compared within `score_range`.
      score_range: ``[min, max]`` of the histograms (values outside go to the end bins).
      nbins: the number of bins.
      collections: the collections of the two accumulator variables
        (``[GraphKeys.LOCAL_VARIABLES]`` when None).
      check_shape: whether to check at run time that both inputs have rank 1.
      name: the variable scope (``auc_using_histogram``).

    Returns:
      ``(auc, update_op)``.

    Raises:
      ValueError: when `boolean_labels` is not bool.
    """
    warn_deprecated("tf.contrib.metrics.auc_using_histogram", "tf.keras.metrics.AUC")
    if collections is None:
        collections = [_v1.GraphKeys.LOCAL_VARIABLES]
    with _v1.variable_scope(name, "auc_using_histogram",
                            [boolean_labels, scores, score_range]):
        scores = tf.convert_to_tensor(scores)
        boolean_labels = tf.convert_to_tensor(boolean_labels)
        # r1.15 tensor_util.remove_squeezable_dimensions: drop a trailing 1 of scores.
        if (scores.shape.ndims is not None and boolean_labels.shape.ndims is not None
                and scores.shape.ndims - boolean_labels.shape.ndims == 1
                and scores.shape[-1] in (1, None)):
            scores = tf.squeeze(scores, [-1])
        score_range = tf.convert_to_tensor(score_range, name="score_range")
        boolean_labels, scores = _check_labels_and_scores(boolean_labels, scores, check_shape)
        with _v1.variable_scope(None, "make_auc_histograms", [boolean_labels, scores, nbins]):
            hist_true = tf.histogram_fixed_width(
                tf.boolean_mask(scores, boolean_labels), score_range, nbins=nbins,
                dtype=tf.int64, name="hist_true")
            hist_false = tf.histogram_fixed_width(
                tf.boolean_mask(scores, tf.logical_not(boolean_labels)), score_range,
                nbins=nbins, dtype=tf.int64, name="hist_false")
        with _v1.variable_scope(None, "hist_accumulate", [hist_true, hist_false]):
            accumulators = [
                _v1.get_variable(var_name, shape=[nbins], dtype=tf.int64,
                                 initializer=_v1.zeros_initializer(),
                                 collections=collections, trainable=False)
                for var_name in ("hist_true_acc", "hist_false_acc")]
            update_op = tf.group(accumulators[0].assign_add(hist_true),
                                 accumulators[1].assign_add(hist_false), name="update_op")
        # Trapezoids over the normalized histograms, from the highest bin down.
        true_acc, false_acc = accumulators
        delta_y = tf.cast(tf.reverse(tf.truediv(true_acc, tf.reduce_sum(true_acc)), [0]),
                          tf.float32, name="delta_y_t")
        delta_x = tf.cast(tf.reverse(tf.truediv(false_acc, tf.reduce_sum(false_acc)), [0]),
                          tf.float32, name="delta_x_t")
        y = tf.cumsum(delta_y)
        first = delta_x[0] * y[0] / 2.0
        others = delta_x[1:] * (y[1:] + y[:nbins - 1]) / 2.0
        return tf.add(first, tf.reduce_sum(others), name="auc"), update_op
