"""`tf.contrib.learn.Evaluable`: the evaluation half of the contrib Estimator protocol.

Replaces ``tensorflow.contrib.learn.python.learn.evaluable.Evaluable``. Native TF2:
``tf.estimator.Estimator.evaluate``.
"""

import abc

__all__ = ["Evaluable"]


class Evaluable(abc.ABC):
    """Interface for objects that are evaluatable by, e.g., `Experiment`."""

    @property
    @abc.abstractmethod
    def model_dir(self):
        """Returns the directory where the model is saved."""
        raise NotImplementedError

    @abc.abstractmethod
    def evaluate(self, x=None, y=None, input_fn=None, feed_fn=None, batch_size=None,
                 steps=None, metrics=None, name=None, checkpoint_path=None, hooks=None):
        """Evaluates the model on the given data.

        Args:
          x: Matrix of shape [n_samples, n_features...] or a dictionary of them.
          y: Vector or matrix of labels, or a dictionary of them.
          input_fn: Input function; if set, `x`, `y` and `batch_size` must be None.
          feed_fn: Function creating a feed dict every time it is called.
          batch_size: Minibatch size to use on the input.
          steps: Number of steps for which to evaluate; None runs until the input is
            exhausted.
          metrics: Dict of metrics to run (string or tuple keys, `MetricSpec` values).
          name: Name of the evaluation; summaries go to ``eval_<name>``.
          checkpoint_path: Path of a specific checkpoint to evaluate; None means the
            latest.
          hooks: List of `SessionRunHook` subclass instances used during evaluation.

        Returns:
          A dict of metric name to value, including ``global_step``.
        """
        raise NotImplementedError
