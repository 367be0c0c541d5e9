"""Metric-learning losses (r1.15 contrib/losses/python/metric_learning/metric_loss_ops.py).

Written for compat_learn from r1.15's definitions: each takes a batch of embeddings and
integer class labels and returns a scalar loss (not added to any collection, as in
r1.15). Native TF2 replacement: ``tensorflow_addons.losses``.
"""

from compat_learn._deprecation import warn_deprecated
from compat_learn._tf import tf

__all__ = [
    "contrastive_loss",
    "lifted_struct_loss",
    "masked_maximum",
    "masked_minimum",
    "npairs_loss",
    "npairs_loss_multilabel",
    "pairwise_distance",
    "triplet_semihard_loss",
]

_v1 = tf.compat.v1


def _warn(name, replacement):
    warn_deprecated("tf.contrib.losses.metric_learning." + name, replacement, stacklevel=3)


def pairwise_distance(feature, squared=False):
    """The ``[n, n]`` (squared) Euclidean distances between the rows of `feature`.

    Negative rounding errors are clipped to 0, and the diagonal is exactly 0.
    """
    squared_norms = tf.reduce_sum(tf.square(feature), axis=[1], keepdims=True)
    distances_squared = tf.maximum(
        squared_norms + tf.transpose(squared_norms) - 2.0 * tf.matmul(feature, feature,
                                                                     transpose_b=True), 0.0)
    zero = tf.less_equal(distances_squared, 0.0)
    if squared:
        distances = distances_squared
    else:
        # r1.15: a tiny offset keeps the gradient of sqrt finite where the distance is 0.
        distances = tf.sqrt(distances_squared + tf.cast(zero, tf.float32) * 1e-16)
    distances *= tf.cast(tf.logical_not(zero), tf.float32)
    off_diagonal = tf.ones_like(distances) - tf.linalg.diag(tf.ones([tf.shape(feature)[0]]))
    return distances * off_diagonal


def masked_maximum(data, mask, dim=1):
    """The maximum of `data` along `dim` over the entries where `mask` is 1."""
    minimums = tf.reduce_min(data, dim, keepdims=True)
    return tf.reduce_max((data - minimums) * mask, dim, keepdims=True) + minimums


def masked_minimum(data, mask, dim=1):
    """The minimum of `data` along `dim` over the entries where `mask` is 1."""
    maximums = tf.reduce_max(data, dim, keepdims=True)
    return tf.reduce_min((data - maximums) * mask, dim, keepdims=True) + maximums


def _column(labels):
    return tf.reshape(labels, [tf.shape(labels)[0], 1])


def contrastive_loss(labels, embeddings_anchor, embeddings_positive, margin=1.0):
    """Mean of ``d^2`` for similar pairs (label 1) and ``max(margin - d, 0)^2`` otherwise."""
    _warn("contrastive_loss", "tensorflow_addons.losses.ContrastiveLoss")
    distances = tf.sqrt(tf.reduce_sum(
        tf.math.squared_difference(embeddings_anchor, embeddings_positive), 1))
    similar = tf.cast(labels, distances.dtype)
    return tf.reduce_mean(similar * tf.square(distances)
                          + (1.0 - similar) * tf.square(tf.maximum(margin - distances, 0.0)),
                          name="contrastive_loss")


def triplet_semihard_loss(labels, embeddings, margin=1.0):
    """The triplet loss with semi-hard negative mining (FaceNet), on squared distances.

    For each anchor-positive pair, the negative is the closest one farther than the
    positive; when there is none, the farthest negative.

    Args:
      labels: ``[batch]`` integer class labels.
      embeddings: ``[batch, dim]`` embeddings (usually l2-normalized).
      margin: the margin term.

    Returns:
      The scalar loss.
    """
    _warn("triplet_semihard_loss", "tensorflow_addons.losses.TripletSemiHardLoss")
    labels = _column(labels)
    distances = pairwise_distance(embeddings, squared=True)
    adjacency = tf.equal(labels, tf.transpose(labels))
    adjacency_not = tf.logical_not(adjacency)
    batch_size = tf.size(labels)
    # Row (i * batch + a) holds anchor a's distances, masked to the negatives farther from
    # it than positive i.
    distances_tiled = tf.tile(distances, [batch_size, 1])
    farther = tf.logical_and(tf.tile(adjacency_not, [batch_size, 1]),
                             tf.greater(distances_tiled,
                                        tf.reshape(tf.transpose(distances), [-1, 1])))
    has_farther = tf.transpose(tf.reshape(
        tf.greater(tf.reduce_sum(tf.cast(farther, tf.float32), 1, keepdims=True), 0.0),
        [batch_size, batch_size]))
    negatives_outside = tf.transpose(tf.reshape(
        masked_minimum(distances_tiled, tf.cast(farther, tf.float32)),
        [batch_size, batch_size]))
    negatives_inside = tf.tile(masked_maximum(distances, tf.cast(adjacency_not, tf.float32)),
                               [1, batch_size])
    semi_hard = tf.where(has_farther, negatives_outside, negatives_inside)
    loss_matrix = margin + distances - semi_hard
    positives = tf.cast(adjacency, tf.float32) - tf.linalg.diag(tf.ones([batch_size]))
    return tf.truediv(tf.reduce_sum(tf.maximum(loss_matrix * positives, 0.0)),
                      tf.reduce_sum(positives), name="triplet_semihard_loss")


def _npairs(labels_remapped, embeddings_anchor, embeddings_positive, reg_lambda,
            print_losses):
    reg_anchor = tf.reduce_mean(tf.reduce_sum(tf.square(embeddings_anchor), 1))
    reg_positive = tf.reduce_mean(tf.reduce_sum(tf.square(embeddings_positive), 1))
    l2loss = tf.multiply(0.25 * reg_lambda, reg_anchor + reg_positive, name="l2loss")
    similarity = tf.matmul(embeddings_anchor, embeddings_positive, transpose_b=True)
    labels_remapped /= tf.reduce_sum(labels_remapped, 1, keepdims=True)
    xent = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(
        logits=similarity, labels=labels_remapped), name="xentropy")
    if print_losses:
        xent = _v1.Print(xent, ["cross entropy:", xent, "l2loss:", l2loss])
    return l2loss + xent


def npairs_loss(labels, embeddings_anchor, embeddings_positive, reg_lambda=0.002,
                print_losses=False):
    """The N-pairs loss: softmax over anchor-positive similarities, plus an l2 term.

    Args:
      labels: ``[batch]`` integer labels of the pairs (equal labels share the target).
      embeddings_anchor: ``[batch, dim]``, not normalized.
      embeddings_positive: ``[batch, dim]``, not normalized.
      reg_lambda: the weight of the l2 regularizer on the embeddings.
      print_losses: whether to print the two terms when run.

    Returns:
      The scalar loss.
    """
    _warn("npairs_loss", "tensorflow_addons.losses.NpairsLoss")
    labels = _column(labels)
    same = tf.cast(tf.equal(labels, tf.transpose(labels)), tf.float32)
    return _npairs(same, embeddings_anchor, embeddings_positive, reg_lambda, print_losses)


def npairs_loss_multilabel(sparse_labels, embeddings_anchor, embeddings_positive,
                           reg_lambda=0.002, print_losses=False):
    """`npairs_loss` for multi-label pairs: targets weighted by shared labels.

    Args:
      sparse_labels: a list of ``batch`` SparseTensors, each the multi-hot labels of one
        pair.
      embeddings_anchor: ``[batch, dim]``.
      embeddings_positive: ``[batch, dim]``.
      reg_lambda: the weight of the l2 regularizer.
      print_losses: whether to print the two terms when run.

    Raises:
      TypeError: when `sparse_labels` is not a list of SparseTensors.
    """
    _warn("npairs_loss_multilabel", "tensorflow_addons.losses.NpairsMultilabelLoss")
    if False in [isinstance(label, tf.SparseTensor) for label in sparse_labels]:
        raise TypeError("sparse_labels must be a list of SparseTensors, but got %s"
                        % str(sparse_labels))
    with tf.name_scope("NpairsLossMultiLabel"):
        num_pairs = len(sparse_labels)
        # Entry (i, j): how many labels pairs i and j share.
        rows = [tf.stack([tf.cast(tf.sparse.reduce_sum(tf.sparse.minimum(a, b)), tf.float32)
                          for b in sparse_labels]) for a in sparse_labels]
        adjacency = tf.reshape(tf.stack(rows), [num_pairs, num_pairs])
        return _npairs(adjacency, embeddings_anchor, embeddings_positive, reg_lambda,
                       print_losses)


def lifted_struct_loss(labels, embeddings, margin=1.0):
    """The lifted structured loss (Oh Song et al., 2016), on Euclidean distances.

    Returns:
      The scalar loss.
    """
    _warn("lifted_struct_loss", "tensorflow_addons.losses.LiftedStructLoss")
    labels = _column(labels)
    distances = pairwise_distance(embeddings)
    adjacency = tf.equal(labels, tf.transpose(labels))
    batch_size = tf.size(labels)
    diff = margin - distances
    negatives = tf.cast(tf.logical_not(adjacency), tf.float32)
    # A stable log-sum-exp over the negatives of both ends of each positive pair.
    row_minimums = tf.reduce_min(diff, 1, keepdims=True)
    row_negative_maximums = tf.reduce_max((diff - row_minimums) * negatives, 1,
                                          keepdims=True) + row_minimums
    max_elements = tf.maximum(row_negative_maximums, tf.transpose(row_negative_maximums))
    max_elements_column = tf.reshape(tf.transpose(max_elements), [-1, 1])
    exp_left = tf.reshape(tf.reduce_sum(
        tf.exp(tf.tile(diff, [batch_size, 1]) - max_elements_column)
        * tf.tile(negatives, [batch_size, 1]), 1, keepdims=True), [batch_size, batch_size])
    loss_matrix = max_elements + tf.math.log(exp_left + tf.transpose(exp_left)) + distances
    positives = tf.cast(adjacency, tf.float32) - tf.linalg.diag(tf.ones([batch_size]))
    num_positives = tf.reduce_sum(positives) / 2.0
    return tf.truediv(
        0.25 * tf.reduce_sum(tf.square(tf.maximum(loss_matrix * positives, 0.0))),
        num_positives, name="liftedstruct_loss")
