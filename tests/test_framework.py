"""tf.contrib.framework: arg_scope and the variable helpers on TF 2.15, in graph mode.

The names, collections and messages are r1.15's
(contrib/framework/python/ops/{arg_scope,variables}.py); checkpoint values are
compared with what was saved.
"""

import os

import numpy as np
import pytest

from compat_learn import _alias, _tf, framework, layers

tf = _tf.tf
v1 = tf.compat.v1
GK = v1.GraphKeys



def _names(variables):
    return [v.op.name for v in variables]


@pytest.fixture
def contrib():
    """tf.contrib as a TF 1.x script sees it (the hook installed for this test)."""
    _alias.install()
    import tensorflow.contrib as contrib_module
    yield contrib_module
    _alias._uninstall_for_tests()


def test_arg_scope_is_one_stack_for_framework_layers_and_slim(contrib):
    import tf_slim

    @framework.add_arg_scope
    def scaled(x, factor=1.0):
        return x * factor

    assert contrib.framework.arg_scope is framework.arg_scope is tf_slim.arg_scope
    with tf.Graph().as_default():
        images = tf.zeros([1, 5, 5, 1])
        with contrib.framework.arg_scope([scaled], factor=3.0), \
                contrib.framework.arg_scope([layers.conv2d, layers.max_pool2d], padding="VALID"):
            assert framework.has_arg_scope(scaled)
            assert framework.arg_scoped_arguments(scaled) == ("factor",)  # defaulted args
            key = framework.current_arg_scope()
            assert len(key) == 3
            assert scaled(2.0) == 6.0
            # contrib.layers.conv2d and slim.conv2d are one function, one scope.
            assert tf_slim.conv2d(images, 1, [3, 3]).shape.as_list() == [1, 3, 3, 1]
            assert contrib.layers.max_pool2d(images, [2, 2]).shape.as_list() == [1, 2, 2, 1]
        assert scaled(2.0) == 2.0

    def plain(x):
        return x

    with pytest.raises(ValueError) as info:
        with framework.arg_scope([plain], x=1):
            pass
    # r1.15 passes the format arguments to ValueError unformatted.
    assert info.value.args[0] == "%s is not decorated with @add_arg_scope"


def test_model_local_and_global_variables_land_in_r115s_collections():
    with tf.Graph().as_default():
        with v1.variable_scope("net"):
            weights = framework.model_variable("weights", shape=[2, 3],
                                               initializer=v1.ones_initializer())
            counter = framework.local_variable(0, name="counter")
            plain = framework.variable("plain", shape=[1])
            framework.global_variable(1.5, name="extra")
        assert _names(framework.get_model_variables()) == ["net/weights"]
        assert _names(framework.get_local_variables()) == ["net/counter"]
        assert counter not in v1.global_variables()
        assert _names(framework.get_variables("net")) == ["net/weights", "net/plain",
                                                          "net/extra"]
        assert _names(framework.get_variables(suffix="plain")) == ["net/plain"]
        assert _names(framework.get_variables_by_name("weights")) == ["net/weights"]
        assert _names(framework.get_variables_by_suffix("tra")) == ["net/extra"]
        assert framework.get_unique_variable("net/plain") is plain
        assert _names(framework.get_trainable_variables("net")) == ["net/weights", "net/plain"]
        assert _names(framework.get_variables_to_restore(exclude=["net/plain"])) == \
            ["net/weights", "net/extra"]
        assert _names(framework.filter_variables(
            v1.global_variables(), include_patterns=["net/"], exclude_patterns=["w"])) == \
            ["net/plain", "net/extra"]
        assert framework.get_variable_full_name(weights) == "net/weights"
        with pytest.raises(ValueError, match=r"^Couldn't find variable net/nothing$"):
            framework.get_unique_variable("net/nothing")
        with v1.Session() as sess:
            sess.run([v1.global_variables_initializer(), v1.local_variables_initializer()])
            np.testing.assert_array_equal(sess.run(weights), np.ones((2, 3)))
            assert sess.run(v1.assign_add(counter, 2)) == 2


@pytest.fixture
def checkpoint(tmp_path):
    """A checkpoint holding net/w = [[1, 2], [3, 4]] and net/b = [5]."""
    with tf.Graph().as_default():
        with v1.variable_scope("net"):
            v1.get_variable("w", initializer=tf.constant([[1.0, 2.0], [3.0, 4.0]]))
            v1.get_variable("b", initializer=tf.constant([5.0]))
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            return v1.train.Saver().save(sess, os.path.join(str(tmp_path), "model.ckpt"))


def test_assign_from_checkpoint_and_its_fn(checkpoint):
    with tf.Graph().as_default():
        with v1.variable_scope("net"):
            w = v1.get_variable("w", shape=[2, 2], initializer=v1.zeros_initializer())
        renamed = v1.get_variable("bias", shape=[1], initializer=v1.zeros_initializer())
        assign_op, feed_dict = framework.assign_from_checkpoint(checkpoint, [w])
        init_fn = framework.assign_from_checkpoint_fn(checkpoint, {"net/b": renamed})
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            sess.run(assign_op, feed_dict)
            init_fn(sess)
            np.testing.assert_array_equal(sess.run(w), [[1.0, 2.0], [3.0, 4.0]])
            np.testing.assert_array_equal(sess.run(renamed), [5.0])


def test_assign_from_checkpoint_errors_and_ignore_missing_vars(checkpoint):
    with tf.Graph().as_default():
        missing = v1.get_variable("missing", shape=[1])
        with pytest.raises(ValueError, match=r"^Checkpoint is missing variable \[missing\]$"):
            framework.assign_from_checkpoint(checkpoint, [missing])
        assert framework.assign_from_checkpoint_fn(checkpoint, [missing],
                                                   ignore_missing_vars=True) is None
        with pytest.raises(ValueError, match=r"^var_list cannot be empty$"):
            framework.assign_from_checkpoint_fn(checkpoint, [])


def test_list_and_load_variable_through_the_contrib_names(contrib, checkpoint):
    assert contrib.framework.list_variables(checkpoint) == [("net/b", [1]), ("net/w", [2, 2])]
    np.testing.assert_array_equal(contrib.framework.load_variable(checkpoint, "net/w"),
                                  [[1.0, 2.0], [3.0, 4.0]])


@pytest.mark.integration
def test_the_helpers_inside_a_model_fn(tmp_path, checkpoint):
    """A TF 1.x model_fn: arg_scope, model/local variables, and a warm start from a
    checkpoint through assign_from_checkpoint_fn in the Scaffold's init_fn."""
    seen = {}

    def model_fn(features, labels, mode):
        with framework.arg_scope([framework.model_variable], initializer=v1.zeros_initializer()):
            with v1.variable_scope("net"):
                w = framework.model_variable("w", shape=[2, 2])
                framework.model_variable("b", shape=[1])
        steps_seen = framework.local_variable(0.0, name="steps_seen")
        predictions = tf.matmul(features["x"], w)
        loss = tf.reduce_mean(tf.square(predictions - labels))
        init_fn = framework.assign_from_checkpoint_fn(checkpoint,
                                                      framework.get_model_variables("net"))
        seen["model_variables"] = _names(framework.get_model_variables())
        seen["local"] = _names(framework.get_local_variables())
        global_step = v1.train.get_or_create_global_step()
        train_op = tf.group(v1.assign_add(global_step, 1), v1.assign_add(steps_seen, 1.0))
        return tf.estimator.EstimatorSpec(
            mode, loss=loss, train_op=train_op,
            scaffold=v1.train.Scaffold(init_fn=lambda scaffold, sess: init_fn(sess)))

    def input_fn():
        return {"x": tf.ones([1, 2])}, tf.zeros([1, 2])

    model_dir = str(tmp_path / "model")
    estimator = tf.estimator.Estimator(model_fn, model_dir=model_dir)
    estimator.train(input_fn, steps=2)
    assert seen["model_variables"] == ["net/w", "net/b"]
    assert seen["local"] == ["steps_seen"]
    # The train op never touched w: it still holds the checkpoint's values.
    np.testing.assert_array_equal(estimator.get_variable_value("net/w"),
                                  [[1.0, 2.0], [3.0, 4.0]])
    assert estimator.get_variable_value("global_step") == 2


def test_every_compat_learn_framework_name_is_served_under_contrib(contrib):
    for name in framework.__all__:
        assert getattr(contrib.framework, name) is getattr(framework, name), name


def test_r115_deep_paths_of_contrib_framework(contrib):
    import sys

    from tensorflow.contrib.framework.python.ops import add_arg_scope, arg_scope
    from tensorflow.contrib.framework.python.ops import variables as variables_lib

    # r1.15's ops package star-imports arg_scope.py: the name is the function.
    assert arg_scope is framework.arg_scope and add_arg_scope is framework.add_arg_scope
    assert variables_lib is sys.modules["compat_learn.framework.variables"]
    assert variables_lib.local_variable is framework.local_variable
    with pytest.raises(ImportError, match=r"tf\.debugging"):
        import tensorflow.contrib.framework.python.framework.tensor_util  # noqa: F401


def test_the_re_exported_tensorflow_checks_are_tensorflows(contrib):
    # r1.15's contrib.framework re-exported these TF functions: the same numbers.
    with tf.Graph().as_default():
        assert contrib.framework.assert_same_float_dtype([tf.constant(1.0)]) == tf.float32
        checks = [contrib.framework.is_non_decreasing([1, 1, 2]),
                  contrib.framework.is_strictly_increasing([1, 1, 2]),
                  contrib.framework.argsort([3, 1, 2])]
        with v1.Session() as sess:
            non_decreasing, strictly, order = sess.run(checks)
        assert non_decreasing and not strictly
        np.testing.assert_array_equal(order, [1, 2, 0])
        assert contrib.framework.is_numeric_tensor(tf.constant(1))
        with pytest.raises(ValueError, match="Expected scalar"):
            contrib.framework.assert_scalar(tf.constant([1.0]))
