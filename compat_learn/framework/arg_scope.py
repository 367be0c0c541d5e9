"""``tf.contrib.framework.python.ops.arg_scope`` (r1.15): arg_scope and add_arg_scope.

Replaces r1.15's contrib/framework/python/ops/arg_scope.py with tf-slim's copy of it:
one scope stack shared by ``tf.contrib.framework``, ``tf.contrib.layers`` and
``tf.contrib.slim`` (the same functions as ``tf_slim.arg_scope`` ...). Native TF2
replacement: constructor arguments of Keras layers (or ``functools.partial``).
"""

from compat_learn.slim import patch_tf_slim

patch_tf_slim()

from tf_slim.ops.arg_scope import (  # noqa: E402
    add_arg_scope,
    arg_scope,
    arg_scope_func_key,
    arg_scoped_arguments,
    current_arg_scope,
    has_arg_scope,
)

# r1.15 arg_scope.py __all__.
__all__ = [
    "add_arg_scope",
    "arg_scope",
    "arg_scope_func_key",
    "arg_scoped_arguments",
    "current_arg_scope",
    "has_arg_scope",
]
