"""``tf.contrib.framework.python.ops.variables`` (r1.15) on TF 2.15.

Replaces r1.15's contrib/framework/python/ops/variables.py: model_variable,
local_variable, get_variables*, assign_from_checkpoint(_fn), ... with r1.15's
arguments, collections and errors. They are tf-slim's copies of that module (the same
objects as ``tf_slim.model_variable`` ...), run on TF 2.15 through
`compat_learn.slim.patch_tf_slim`. ``zero_initializer`` (a contrib kernel) is not
served. Native TF2 replacement: ``tf.compat.v1.get_collection`` /
``tf.compat.v1.train.init_from_checkpoint``, or Keras layers and ``tf.train.Checkpoint``.
"""

from compat_learn.slim import patch_tf_slim

patch_tf_slim()

from tf_slim.ops.variables import (  # noqa: E402
    VariableDeviceChooser,
    add_model_variable,
    assert_global_step,
    assert_or_get_global_step,
    assign_from_checkpoint,
    assign_from_checkpoint_fn,
    assign_from_values,
    assign_from_values_fn,
    create_global_step,
    filter_variables,
    get_global_step,
    get_local_variables,
    get_model_variables,
    get_or_create_global_step,
    get_trainable_variables,
    get_unique_variable,
    get_variable_full_name,
    get_variables,
    get_variables_by_name,
    get_variables_by_suffix,
    get_variables_to_restore,
    global_variable,
    local_variable,
    model_variable,
    variable,
)

# r1.15 variables.py __all__, without zero_initializer.
__all__ = [
    "VariableDeviceChooser",
    "add_model_variable",
    "assert_global_step",
    "assert_or_get_global_step",
    "assign_from_checkpoint",
    "assign_from_checkpoint_fn",
    "assign_from_values",
    "assign_from_values_fn",
    "create_global_step",
    "filter_variables",
    "get_global_step",
    "get_local_variables",
    "get_model_variables",
    "get_or_create_global_step",
    "get_trainable_variables",
    "get_unique_variable",
    "get_variable_full_name",
    "get_variables",
    "get_variables_by_name",
    "get_variables_by_suffix",
    "get_variables_to_restore",
    "global_variable",
    "local_variable",
    "model_variable",
    "variable",
]
