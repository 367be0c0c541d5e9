"""`tf.contrib.learn.Trainable`: the training half of the contrib Estimator protocol.

Replaces ``tensorflow.contrib.learn.python.learn.trainable.Trainable``. Native TF2:
``tf.estimator.Estimator.train``.
"""

import abc

__all__ = ["Trainable"]


class Trainable(abc.ABC):
    """Interface for objects that are trainable by, e.g., `Experiment`.

    `Experiment` requires real membership (a subclass, or ``Trainable.register``), as
    r1.15 did; duck typing is not accepted.
    """

    @abc.abstractmethod
    def fit(self, x=None, y=None, input_fn=None, steps=None, batch_size=None,
            monitors=None, max_steps=None):
        """Trains a model given training data `x` predictions and `y` labels.

        Args:
          x: Matrix of shape [n_samples, n_features...] or the dictionary of matrices.
          y: Vector or matrix [n_samples] or [n_samples, n_outputs], or a dictionary.
          input_fn: Input function returning a tuple of (features, labels).
          steps: Number of steps for which to train the model; incremental.
          batch_size: Minibatch size to use on the input; defaults to the first
            dimension of `x`. Must be None if `input_fn` is given.
          monitors: List of `BaseMonitor` or `SessionRunHook` objects.
          max_steps: Number of total steps for which to train the model; absolute.

        Returns:
          `self`, for chaining.
        """
        raise NotImplementedError
