"""`tf.contrib.training` (the parts compat_learn needs): `HParams`, `parse_values`.

Replaces ``tensorflow.contrib.training`` for hyperparameter handling (r1.15), as used
with ``learn_runner.run(..., hparams=...)``; it does not import TensorFlow. Native TF2
replacement: none in TensorFlow; use a plain ``dict`` or a dataclass.
"""

from compat_learn.training.hparam import HParams, parse_values

__all__ = ["HParams", "parse_values"]
