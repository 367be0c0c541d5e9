"""Serving input_fns (replaces ``tf.contrib.learn.utils.input_fn_utils``).

Native TF2 replacements: ``tf.estimator.export.ServingInputReceiver`` (for
`InputFnOps`), ``tf.estimator.export.build_parsing_serving_input_receiver_fn`` and
``tf.estimator.export.build_raw_serving_input_receiver_fn``.
"""

import collections

from compat_learn._deprecation import warn_deprecated

__all__ = ["InputFnOps", "build_default_serving_input_fn", "build_parsing_serving_input_fn"]


class InputFnOps(collections.namedtuple("InputFnOps", ["features", "labels", "default_inputs"])):
    """What a contrib serving input_fn returns (replaces ``tf.contrib.learn.InputFnOps``).

    Native TF2 replacement: ``tf.estimator.export.ServingInputReceiver(features,
    receiver_tensors=default_inputs)``; compat_learn converts it so for core
    estimators.

    Attributes:
      features: dict of str to Tensor/SparseTensor given to the model.
      labels: None for serving.
      default_inputs: dict of str to the placeholders a serving request feeds.
    """


def build_parsing_serving_input_fn(feature_spec, default_batch_size=None):
    """Builds a serving input_fn fed serialized ``tf.Example``s.

    The input_fn feeds a string placeholder named ``input_example_tensor`` of shape
    ``[default_batch_size]``, parses it with `feature_spec` and returns
    ``InputFnOps(parsed_features, None, {'examples': placeholder})``.

    Args:
      feature_spec: dict of str to ``FixedLenFeature``/``VarLenFeature``/....
      default_batch_size: the batch size of the placeholder; None (recommended) for
        any.

    Returns:
      An input_fn for serving.
    """
    warn_deprecated("tf.contrib.learn.utils.build_parsing_serving_input_fn",
                    "tf.estimator.export.build_parsing_serving_input_receiver_fn")

    def input_fn():
        from compat_learn import _tf

        v1 = _tf.tf.compat.v1
        serialized = v1.placeholder(dtype=_tf.tf.string, shape=[default_batch_size],
                                    name="input_example_tensor")
        features = v1.io.parse_example(serialized, feature_spec)
        return InputFnOps(features, None, {"examples": serialized})
    return input_fn


def _placeholder_name(tensor, key):
    # r1.15 named each placeholder after the op of the tensor it copies. Eager
    # tensors have no op; a tf.TensorSpec may carry a name; else use the key.
    op = getattr(tensor, "op", None)
    name = getattr(op, "name", None) if op is not None else getattr(tensor, "name", None)
    return name or key


def build_default_serving_input_fn(features, default_batch_size=None):
    """Builds a serving input_fn fed the feature tensors directly.

    Each feature gets a placeholder of its dtype and shape, with the first dimension
    replaced by `default_batch_size`; the input_fn returns ``InputFnOps(placeholders,
    None, placeholders)``.

    Args:
      features: dict of str to a Tensor (or anything with ``dtype`` and ``shape``,
        e.g. ``tf.TensorSpec``; a TF2 addition).
      default_batch_size: the first dimension; None (recommended) for any.

    Returns:
      An input_fn for serving.
    """
    warn_deprecated("tf.contrib.learn.utils.build_default_serving_input_fn",
                    "tf.estimator.export.build_raw_serving_input_receiver_fn")

    def input_fn():
        from compat_learn import _tf

        placeholders = {}
        for key, tensor in features.items():
            shape_list = _tf.tf.TensorShape(tensor.shape).as_list()
            shape_list[0] = default_batch_size
            placeholders[key] = _tf.tf.compat.v1.placeholder(
                dtype=tensor.dtype, shape=_tf.tf.TensorShape(shape_list),
                name=_placeholder_name(tensor, key))
        return InputFnOps(placeholders, None, placeholders)
    return input_fn
