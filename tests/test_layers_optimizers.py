"""tf.contrib.layers.optimize_loss, OPTIMIZER_CLS_NAMES and OPTIMIZER_SUMMARIES on TF 2.15.

Numbers come from a numpy recomputation of one step on a linear model (loss =
sum(w * x), so the gradient of `w` is `x`); names, summaries and messages are r1.15's
(contrib/layers/python/layers/optimizers.py, pinned below).
"""

import numpy as np
import pytest

from compat_learn import _tf, layers

tf = _tf.tf
v1 = tf.compat.v1

X = np.array([1.0, -2.0, 3.0], np.float32)
W0 = np.array([0.5, 0.25, -1.0], np.float32)
R115_NAMES = ["Adagrad", "Adam", "Ftrl", "Momentum", "RMSProp", "SGD"]
UNKNOWN_NAME = ("Optimizer name should be one of [Adagrad, Adam, Ftrl, Momentum, RMSProp, "
                "SGD], you provided Nesterov.")
BAD_SUMMARY = ("Summaries should be one of [learning_rate, loss, gradients, gradient_norm, "
               "global_gradient_norm], you provided weights.")


def _model():
    """A fresh graph's global step, `w` and loss sum(w * X) (gradient X)."""
    global_step = v1.train.get_or_create_global_step()
    w = v1.get_variable("w", initializer=tf.constant(W0))
    return global_step, w, tf.reduce_sum(w * X)


def _step(build, steps=1):
    """Builds `build(global_step, w, loss)` -> train op in a new graph and runs it."""
    with tf.Graph().as_default():
        global_step, w, loss = _model()
        train_op = build(global_step, w, loss)
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            for _ in range(steps):
                loss_value = sess.run(train_op)
            return sess.run(w), sess.run(global_step), loss_value


def test_the_names_and_summaries_are_r115s():
    assert sorted(layers.OPTIMIZER_CLS_NAMES) == R115_NAMES
    assert layers.OPTIMIZER_SUMMARIES == ["learning_rate", "loss", "gradients",
                                          "gradient_norm", "global_gradient_norm"]
    with tf.Graph().as_default():
        momentum = layers.OPTIMIZER_CLS_NAMES["Momentum"](learning_rate=0.1)
        assert isinstance(momentum, v1.train.MomentumOptimizer)
        assert momentum._momentum == 0.9  # r1.15: Momentum is momentum=0.9


def test_sgd_by_name_steps_like_numpy_and_returns_the_loss():
    w, step, loss = _step(lambda gs, w, loss: layers.optimize_loss(loss, gs, 0.1, "SGD"))
    np.testing.assert_allclose(w, W0 - 0.1 * X, rtol=1e-6)
    assert step == 1
    np.testing.assert_allclose(loss, np.sum(W0 * X), rtol=1e-6)  # the pre-step loss


@pytest.mark.parametrize("name", R115_NAMES)
def test_every_optimizer_name_trains(name):
    w, step, _ = _step(lambda gs, w, loss: layers.optimize_loss(loss, gs, 0.01, name))
    assert step == 1
    assert not np.allclose(w, W0), name
    if name != "Ftrl":  # FTRL sets w from its accumulators, not from w's old value
        assert np.all(np.sign(W0 - w) == np.sign(X)), (name, w)


def test_the_scope_and_learning_rate_variable_are_r115s():
    with tf.Graph().as_default():
        global_step, _, loss = _model()
        train_op = layers.optimize_loss(loss, global_step, 0.1, "Adam")
        names = sorted(v.op.name for v in v1.global_variables())
        assert "OptimizeLoss/learning_rate" in names
        assert "OptimizeLoss/w/Adam" in names
        assert train_op.op.name.startswith("OptimizeLoss/")
        lr = [v for v in v1.global_variables() if v.op.name == "OptimizeLoss/learning_rate"]
        assert lr[0] not in v1.trainable_variables()


def test_optimizer_as_class_instance_and_callable():
    sgd = v1.train.GradientDescentOptimizer
    expected = W0 - 0.1 * X
    for optimizer in (sgd, lambda lr: sgd(lr)):
        w, _, _ = _step(lambda gs, w, loss, o=optimizer: layers.optimize_loss(loss, gs, 0.1, o))
        np.testing.assert_allclose(w, expected, rtol=1e-6)
    # An instance keeps its own learning rate; a callable without learning_rate gets ().
    w, _, _ = _step(lambda gs, w, loss: layers.optimize_loss(loss, gs, None, sgd(0.5)))
    np.testing.assert_allclose(w, W0 - 0.5 * X, rtol=1e-6)
    w, _, _ = _step(lambda gs, w, loss: layers.optimize_loss(loss, gs, None, lambda: sgd(0.2)))
    np.testing.assert_allclose(w, W0 - 0.2 * X, rtol=1e-6)


def test_learning_rate_decay_fn_gets_the_rate_and_global_step():
    seen = []

    def decay(lr, global_step):
        seen.append(global_step)
        return lr * 0.5

    w, _, _ = _step(lambda gs, w, loss: layers.optimize_loss(
        loss, gs, 0.1, "SGD", learning_rate_decay_fn=decay))
    np.testing.assert_allclose(w, W0 - 0.05 * X, rtol=1e-6)
    assert len(seen) == 1 and seen[0].op.name == "global_step"


def test_clip_gradients_float_clips_by_global_norm_and_callable_is_applied():
    norm = np.linalg.norm(X)
    w, _, _ = _step(lambda gs, w, loss: layers.optimize_loss(
        loss, gs, 1.0, "SGD", clip_gradients=1.0))
    np.testing.assert_allclose(w, W0 - X / norm, rtol=1e-5)

    def halve(grads_and_vars):
        return [(g * 0.5, v) for g, v in grads_and_vars]

    w, _, _ = _step(lambda gs, w, loss: layers.optimize_loss(
        loss, gs, 1.0, "SGD", clip_gradients=halve))
    np.testing.assert_allclose(w, W0 - 0.5 * X, rtol=1e-6)
    with tf.Graph().as_default(), pytest.raises(ValueError, match="Unknown type <class 'int'> "
                                                                  "for clip_gradients"):
        global_step, _, loss = _model()
        layers.optimize_loss(loss, global_step, 1.0, "SGD", clip_gradients=1)


def test_gradient_multipliers_by_variable_and_by_name():
    for key in ("var", "w:0"):
        def build(gs, w, loss, key=key):
            return layers.optimize_loss(loss, gs, 0.1, "SGD",
                                        gradient_multipliers={w if key == "var" else key: 3.0})
        w, _, _ = _step(build)
        np.testing.assert_allclose(w, W0 - 0.3 * X, rtol=1e-6)


def test_gradient_multipliers_on_sparse_gradients():
    # An embedding lookup gives IndexedSlices gradients (the ops.IndexedSlices path).
    with tf.Graph().as_default():
        global_step = v1.train.get_or_create_global_step()
        table = v1.get_variable("table", initializer=tf.ones([4, 2]))
        loss = tf.reduce_sum(tf.nn.embedding_lookup(table, [1, 3, 3]))
        train_op = layers.optimize_loss(loss, global_step, 0.1, "SGD",
                                        gradient_multipliers={table: 2.0},
                                        summaries=["gradients", "gradient_norm"])
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            sess.run(train_op)
            value = sess.run(table)
    expected = np.ones((4, 2), np.float32)
    expected[1] -= 0.2
    expected[3] -= 0.4  # looked up twice
    np.testing.assert_allclose(value, expected, rtol=1e-6)


def test_gradient_noise_scale_adds_noise_of_that_scale():
    w, _, _ = _step(lambda gs, w, loss: layers.optimize_loss(
        loss, gs, 1.0, "SGD", gradient_noise_scale=0.0))
    np.testing.assert_allclose(w, W0 - X, rtol=1e-6)
    w, _, _ = _step(lambda gs, w, loss: layers.optimize_loss(
        loss, gs, 1.0, "SGD", gradient_noise_scale=0.1))
    noise = (W0 - X) - w
    # r1.15: truncated_normal * scale, so |noise| <= 2 * scale, and not all zero.
    assert np.all(np.abs(noise) <= 0.2 + 1e-6) and np.any(noise != 0)


def test_update_ops_run_before_the_loss_unless_replaced():
    def build(update_ops):
        def _build(gs, w, loss):
            counter = v1.get_variable("counter", initializer=0.0, trainable=False)
            v1.add_to_collection(v1.GraphKeys.UPDATE_OPS, v1.assign_add(counter, 1.0))
            train_op = layers.optimize_loss(loss, gs, 0.1, "SGD", update_ops=update_ops)
            return tf.group(train_op, name="done"), counter
        return _build

    for update_ops, expected in ((None, 2.0), ([], 0.0)):
        with tf.Graph().as_default():
            global_step, w, loss = _model()
            train_op, counter = build(update_ops)(global_step, w, loss)
            with v1.Session() as sess:
                sess.run(v1.global_variables_initializer())
                sess.run(train_op)
                sess.run(train_op)
                assert sess.run(counter) == expected


def test_variables_limits_what_is_trained_and_increment_global_step():
    with tf.Graph().as_default():
        global_step, w, loss = _model()
        other = v1.get_variable("other", initializer=2.0)
        train_op = layers.optimize_loss(loss * other, global_step, 0.1, "SGD",
                                        variables=[other], increment_global_step=False,
                                        colocate_gradients_with_ops=True)
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            sess.run(train_op)
            np.testing.assert_allclose(sess.run(w), W0)
            np.testing.assert_allclose(sess.run(other), 2.0 - 0.1 * np.sum(W0 * X), rtol=1e-6)
            assert sess.run(global_step) == 0


def _summary_tags(**kwargs):
    with tf.Graph().as_default():
        global_step, _, loss = _model()
        layers.optimize_loss(loss, global_step, 0.1, "SGD", **kwargs)
        return sorted(op.op.name for op in v1.get_collection(v1.GraphKeys.SUMMARIES))


def test_summaries_default_and_all():
    assert _summary_tags() == ["OptimizeLoss/global_norm/gradient_norm", "OptimizeLoss/loss"]
    tags = _summary_tags(summaries=layers.OPTIMIZER_SUMMARIES, clip_gradients=5.0,
                         learning_rate_decay_fn=lambda lr, gs: lr)
    assert tags == ["OptimizeLoss/global_norm/clipped_gradient_norm",
                    "OptimizeLoss/global_norm/gradient_norm",
                    "OptimizeLoss/gradient_norm/w_0", "OptimizeLoss/gradients/w_0",
                    # as in r1.15: the variable holds the name learning_rate
                    "OptimizeLoss/learning_rate_1", "OptimizeLoss/loss"]


@pytest.mark.parametrize("kwargs, error", [
    ({"optimizer": "Nesterov"}, UNKNOWN_NAME),
    ({"summaries": ["weights"]}, BAD_SUMMARY),
    ({"learning_rate": None},
     "Learning rate is None, but should be specified if optimizer is string (SGD)."),
    ({"learning_rate": 1}, "Learning rate should be 0d Tensor or float. Got 1 of type "
                           "<class 'int'>"),
    ({"optimizer": lambda lr: "sgd"},
     "Unrecognized optimizer: function should return subclass of Optimizer. Got sgd."),
    ({"optimizer": 3}, "Unrecognized optimizer: should be string, subclass of Optimizer, "
                       "instance of subclass of Optimizer or function with one argument. "
                       "Got 3."),
])
def test_r115_errors(kwargs, error):
    arguments = {"learning_rate": 0.1, "optimizer": "SGD", **kwargs}
    with tf.Graph().as_default():
        global_step, _, loss = _model()
        with pytest.raises(ValueError) as info:
            layers.optimize_loss(loss, global_step, **arguments)
    assert str(info.value) == error


def test_a_non_scalar_loss_is_refused():
    with tf.Graph().as_default():
        global_step, w, _ = _model()
        with pytest.raises(ValueError, match="Expected scalar"):
            layers.optimize_loss(w * X, global_step, 0.1, "SGD")


def test_a_scalar_tensor_learning_rate_is_used_as_it_is():
    # r1.15 takes a 0-d Tensor as the rate (no learning_rate variable is made).
    def build(gs, w, loss):
        rate = v1.train.exponential_decay(0.2, gs, 1, 0.5)
        return layers.optimize_loss(loss, gs, rate, "SGD")

    w, step, _ = _step(build, steps=2)
    np.testing.assert_allclose(w, W0 - 0.2 * X - 0.1 * X, rtol=1e-6)
    assert step == 2
    with tf.Graph().as_default():
        global_step, _, loss = _model()
        layers.optimize_loss(loss, global_step, tf.constant(0.1), "SGD")
        assert "OptimizeLoss/learning_rate" not in [v.op.name for v in v1.global_variables()]
        with pytest.raises(ValueError, match=r"^Learning rate should be 0d Tensor or float"):
            layers.optimize_loss(loss, global_step, tf.constant([0.1]), "SGD")
