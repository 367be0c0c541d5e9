"""``tf.contrib.framework`` (r1.15): arg_scope and the variable helpers on TF 2.15.

Replaces the names of ``tensorflow.contrib.framework`` that trainers use around a
model_fn: ``arg_scope`` / ``add_arg_scope`` (one scope stack, shared with
``tf.contrib.slim`` and ``tf.contrib.layers``), ``get_variables*``,
``get_model_variables``, ``model_variable``, ``local_variable``, ``variable``,
``assign_from_checkpoint(_fn)``, ``assign_from_values(_fn)``, ``filter_variables``
..., with r1.15's arguments, collections and errors. They are tf-slim's copies of
r1.15's ``contrib/framework/python/ops/{arg_scope,variables}.py``, made to run on TF
2.15 by `compat_learn.slim.patch_tf_slim` (``local_variable`` and
``global_variable`` used ``variable_scope.variable``, which TF 2.15 removed). The
global-step and checkpoint readers (``get_global_step``, ``list_variables``,
``load_variable`` ...) are TensorFlow's own ``tf.compat.v1.train`` functions, served
by the table directly. Native TF2 replacement: ``tf.compat.v1.get_collection`` /
``tf.compat.v1.train.init_from_checkpoint``, or Keras layers and ``tf.train.Checkpoint``.
"""

# The global-step functions of variables.py are served by the table from
# tf.compat.v1.train (TensorFlow's own, the exact equivalents).
from compat_learn.framework.arg_scope import (
    add_arg_scope,
    arg_scope,
    arg_scoped_arguments,
    current_arg_scope,
    has_arg_scope,
)
from compat_learn.framework.variables import (
    VariableDeviceChooser,
    add_model_variable,
    assert_or_get_global_step,
    assign_from_checkpoint,
    assign_from_checkpoint_fn,
    assign_from_values,
    assign_from_values_fn,
    filter_variables,
    get_local_variables,
    get_model_variables,
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

__all__ = [
    "VariableDeviceChooser",
    "add_arg_scope",
    "add_model_variable",
    "arg_scope",
    "arg_scoped_arguments",
    "assert_or_get_global_step",
    "assign_from_checkpoint",
    "assign_from_checkpoint_fn",
    "assign_from_values",
    "assign_from_values_fn",
    "current_arg_scope",
    "filter_variables",
    "get_local_variables",
    "get_model_variables",
    "get_trainable_variables",
    "get_unique_variable",
    "get_variable_full_name",
    "get_variables",
    "get_variables_by_name",
    "get_variables_by_suffix",
    "get_variables_to_restore",
    "global_variable",
    "has_arg_scope",
    "local_variable",
    "model_variable",
    "variable",
]
