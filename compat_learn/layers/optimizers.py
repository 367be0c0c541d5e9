"""``tf.contrib.layers.python.layers.optimizers``: optimize_loss on TF 2.15.

Replaces ``tensorflow.contrib.layers.optimize_loss`` (r1.15) with all its arguments
(optimizer as an OPTIMIZER_CLS_NAMES name, an Optimizer class, instance or callable;
learning_rate_decay_fn, clip_gradients as a float or a callable, gradient_noise_scale,
gradient_multipliers, summaries, update_ops, variables, colocate_gradients_with_ops,
increment_global_step), its ``OptimizeLoss`` variable scope, ``learning_rate``
variable, summaries and errors. It is tf-slim's copy of r1.15's code, made to run on
TF 2.15 by `compat_learn.slim.patch_tf_slim` (it used ``ops.Tensor`` and
``ops.IndexedSlices``, which TF 2.15 moved).

Differs from r1.15 in one message only: r1.15 raised ``ValueError("Invalid
learning_rate %s.", learning_rate)`` (a tuple as the message), tf-slim formats it.

Native TF2 replacement: ``optimizer.minimize(loss,
global_step=tf.compat.v1.train.get_global_step())`` or ``tf.keras.optimizers``.
"""

from compat_learn.slim import patch_tf_slim

patch_tf_slim()

from tf_slim.layers.optimizers import OPTIMIZER_CLS_NAMES, OPTIMIZER_SUMMARIES, adaptive_clipping_fn, optimize_loss  # noqa: E402

# r1.15 optimizers.py has no __all__; these are its public names.
__all__ = ["OPTIMIZER_CLS_NAMES", "OPTIMIZER_SUMMARIES", "adaptive_clipping_fn",
           "optimize_loss"]
