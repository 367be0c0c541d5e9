"""`tf.contrib.losses.metric_learning` (r1.15 contrib/losses/python/metric_learning).

The embedding losses r1.15 exported, except `cluster_loss` (not provided: see
docs/migration.md). Native TF2 replacement: ``tensorflow_addons.losses``
(TripletSemiHardLoss, ContrastiveLoss, NpairsLoss, LiftedStructLoss).
"""

from compat_learn.losses.metric_learning.metric_loss_ops import (
    contrastive_loss,
    lifted_struct_loss,
    npairs_loss,
    npairs_loss_multilabel,
    triplet_semihard_loss,
)

__all__ = [
    "contrastive_loss",
    "lifted_struct_loss",
    "npairs_loss",
    "npairs_loss_multilabel",
    "triplet_semihard_loss",
]
