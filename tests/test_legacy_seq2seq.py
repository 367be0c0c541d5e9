"""tf.contrib.legacy_seq2seq through the import hook (compat_learn.legacy_seq2seq).

Graph-mode models as TF 1.x built them (translate tutorial, char-rnn, chatbots): the
shapes r1.15's seq2seq_test stated, r1.15's variable names, and the numbers against
numpy recomputations from the variables' values.
"""

import importlib

import numpy as np
import pytest

from compat_learn import _alias

# TF 2.15's legacy cells warn on every construction; r1.15's did not.
pytestmark = pytest.mark.filterwarnings("ignore:`tf.nn.rnn_cell.:UserWarning")

NAMES = ("attention_decoder", "basic_rnn_seq2seq", "embedding_attention_decoder",
         "embedding_attention_seq2seq", "embedding_rnn_decoder", "embedding_rnn_seq2seq",
         "embedding_tied_rnn_seq2seq", "model_with_buckets", "one2many_rnn_seq2seq",
         "rnn_decoder", "sequence_loss", "sequence_loss_by_example", "tied_rnn_seq2seq")


@pytest.fixture(scope="module")
def tf():
    from compat_learn import _tf

    _alias.install()
    yield _tf.tf
    _alias._uninstall_for_tests()


def _run(tf, fetches, feed=None, assign=None):
    """Initializes the graph's variables (then `assign`: name -> value) and runs."""
    v1 = tf.compat.v1
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        for var in v1.global_variables():
            if assign and var.op.name in assign:
                var.load(assign[var.op.name], sess)
        return sess.run(fetches, feed)


def _variables(tf):
    return {v.op.name: v.shape.as_list() for v in tf.compat.v1.global_variables()}


def _softmax_xent(logits, labels):
    z = logits - logits.max(1, keepdims=True)
    return np.log(np.exp(z).sum(1)) - z[np.arange(len(labels)), labels]


def test_every_r115_name_is_served_at_both_paths(tf):
    seq2seq = importlib.import_module("tensorflow.contrib.legacy_seq2seq")
    deep = importlib.import_module("tensorflow.contrib.legacy_seq2seq.python.ops.seq2seq")
    assert tf.contrib.legacy_seq2seq is seq2seq
    own = importlib.import_module("compat_learn.legacy_seq2seq")
    assert sorted(own.__all__) == sorted(deep.__all__) == list(NAMES)
    for name in NAMES:
        assert getattr(seq2seq, name) is getattr(deep, name), name
    # r1.15's seq2seq.py imported core_rnn_cell from its deep path; TF 1.x code did too.
    core = importlib.import_module("tensorflow.contrib.rnn.python.ops.core_rnn_cell")
    assert core.OutputProjectionWrapper is tf.contrib.rnn.OutputProjectionWrapper
    assert deep.Linear is core._Linear


def test_seq2seq_models_shapes_and_variable_names(tf):
    s2s = tf.contrib.legacy_seq2seq
    rnn = tf.contrib.rnn
    with tf.Graph().as_default():
        # r1.15 seq2seq_test: two encoder steps, three decoder steps, batch 2.
        enc = [tf.constant(0.5, shape=[2, 2])] * 2
        dec = [tf.constant(0.4, shape=[2, 2])] * 3
        ids_enc = [tf.constant([1, 0], tf.int32)] * 2
        ids_dec = [tf.constant([0, 3], tf.int32)] * 3
        results = {
            "basic": s2s.basic_rnn_seq2seq(enc, dec, rnn.OutputProjectionWrapper(
                rnn.GRUCell(2), 4)),
            "tied": s2s.tied_rnn_seq2seq(enc, dec, rnn.OutputProjectionWrapper(
                rnn.GRUCell(2), 4)),
            "embedding": s2s.embedding_rnn_seq2seq(
                ids_enc, ids_dec, rnn.BasicLSTMCell(2), 2, 5, 2),
            "embedding_tied": s2s.embedding_tied_rnn_seq2seq(
                ids_enc, ids_dec, rnn.BasicLSTMCell(2), 5, 2, num_decoder_symbols=3),
            "attention": s2s.embedding_attention_seq2seq(
                ids_enc, ids_dec, rnn.BasicLSTMCell(2), 2, 5, 2, num_heads=2),
            "one2many": s2s.one2many_rnn_seq2seq(
                ids_enc, {"a": ids_dec, "b": ids_dec[:2]}, rnn.GRUCell(2),
                {"a": rnn.GRUCell(2), "b": rnn.GRUCell(2)}, 2, {"a": 5, "b": 4}, 2),
        }
        names = _variables(tf)
        values = _run(tf, results)
    shapes = {key: ([o.shape for o in out], tf.nest.map_structure(np.shape, st))
              for key, (out, st) in values.items() if key != "one2many"}
    assert shapes == {
        "basic": ([(2, 4)] * 3, (2, 2)),
        "tied": ([(2, 4)] * 3, (2, 2)),
        "embedding": ([(2, 5)] * 3, rnn.LSTMStateTuple((2, 2), (2, 2))),
        "embedding_tied": ([(2, 3)] * 3, rnn.LSTMStateTuple((2, 2), (2, 2))),
        "attention": ([(2, 5)] * 3, rnn.LSTMStateTuple((2, 2), (2, 2))),
    }
    outputs, states = values["one2many"]
    assert [o.shape for o in outputs["a"]] == [(2, 5)] * 3 and states["a"].shape == (2, 2)
    assert [o.shape for o in outputs["b"]] == [(2, 4)] * 2 and states["b"].shape == (2, 2)

    gru = {"gru_cell/gates/kernel": [4, 4], "gru_cell/gates/bias": [4],
           "gru_cell/candidate/kernel": [4, 2], "gru_cell/candidate/bias": [2]}
    lstm = {"basic_lstm_cell/kernel": [4, 8], "basic_lstm_cell/bias": [8]}

    def under(prefix, cell, projected_to=None, embedded=None):
        """`cell`'s variables under `prefix`, in an output projection or embedding wrapper."""
        if projected_to:
            prefix += "output_projection_wrapper/"
            cell = {**cell, "kernel": [2, projected_to], "bias": [projected_to]}
        if embedded:
            prefix += "embedding_wrapper/"
            cell = {**cell, "embedding": [embedded, 2]}
        return {prefix + k: shape for k, shape in cell.items()}

    ea = "embedding_attention_seq2seq/embedding_attention_decoder/"
    want = {
        **under("basic_rnn_seq2seq/rnn/", gru, 4),
        **under("basic_rnn_seq2seq/rnn_decoder/", gru, 4),
        # one cell for encoder and decoder
        **under("combined_tied_rnn_seq2seq/tied_rnn_seq2seq/", gru, 4),
        **under("embedding_rnn_seq2seq/rnn/", lstm, embedded=2),
        "embedding_rnn_seq2seq/embedding_rnn_decoder/embedding": [5, 2],
        **under("embedding_rnn_seq2seq/embedding_rnn_decoder/rnn_decoder/", lstm, 5),
        "embedding_tied_rnn_seq2seq/embedding": [5, 2],
        **under("embedding_tied_rnn_seq2seq/combined_tied_rnn_seq2seq/tied_rnn_seq2seq/",
                lstm, 3),
        # the translate tutorial's checkpoint names
        **under("embedding_attention_seq2seq/rnn/", lstm, embedded=2),
        ea + "embedding": [5, 2],
        **under(ea + "attention_decoder/", lstm, 5),
        **under(ea + "attention_decoder/", {
            "AttnW_0": [1, 1, 2, 2], "AttnV_0": [2], "AttnW_1": [1, 1, 2, 2], "AttnV_1": [2],
            "kernel": [6, 2], "bias": [2],
            "Attention_0/kernel": [4, 2], "Attention_0/bias": [2],
            "Attention_1/kernel": [4, 2], "Attention_1/bias": [2],
            "AttnOutputProjection/kernel": [9, 5], "AttnOutputProjection/bias": [5]}),
        **under("one2many_rnn_seq2seq/rnn/", gru, embedded=2),
    }
    for name, size in (("a", 5), ("b", 4)):
        prefix = "one2many_rnn_seq2seq/one2many_decoder_%s/embedding_rnn_decoder/" % name
        want[prefix + "embedding"] = [size, 2]
        want.update(under(prefix + "rnn_decoder/", gru, size))
    assert names == want


def test_sequence_losses_match_numpy_cross_entropy(tf):
    s2s = tf.contrib.legacy_seq2seq
    rng = np.random.RandomState(0)
    logits = rng.randn(3, 2, 5).astype(np.float32)  # [time, batch, classes]
    targets = rng.randint(5, size=(3, 2)).astype(np.int32)
    weights = np.array([[1, 1], [1, 0.5], [0, 1]], np.float32)
    calls = []

    def doubled(labels, logits):  # r1.15 called it with these keywords
        calls.append(labels)
        return 2 * tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels,
                                                                  logits=logits)

    with tf.Graph().as_default():
        args = [list(tf.unstack(tf.constant(a))) for a in (logits, targets, weights)]
        got = _run(tf, {
            "by_example": s2s.sequence_loss_by_example(*args),
            "by_example_sum": s2s.sequence_loss_by_example(
                *args, average_across_timesteps=False),
            "by_example_doubled": s2s.sequence_loss_by_example(
                *args, softmax_loss_function=doubled),
            "mean": s2s.sequence_loss(*args),
            "per_time": s2s.sequence_loss(*args, average_across_batch=False),
            "sum": s2s.sequence_loss(*args, average_across_timesteps=False,
                                     average_across_batch=False),
        })
        assert len(calls) == 3
        with pytest.raises(ValueError, match=r"^Lengths of logits, weights, and targets must "
                                             r"be the same 3, 2, 3\.$"):
            s2s.sequence_loss_by_example(args[0], args[1], args[2][:2])
    crossent = np.stack([_softmax_xent(logits[t], targets[t]) for t in range(3)])
    weighted = (crossent * weights).sum(0)
    per_example = weighted / (weights.sum(0) + 1e-12)
    want = {"by_example": per_example, "by_example_sum": weighted,
            "by_example_doubled": 2 * per_example, "mean": per_example.sum() / 2,
            "per_time": per_example.sum(), "sum": weighted.sum()}
    for key, value in want.items():
        np.testing.assert_allclose(got[key], value, rtol=1e-5, err_msg=key)


def test_rnn_decoder_loop_function_feeds_back_its_outputs(tf):
    # char-rnn's sampling decoder: rnn_decoder(..., loop_function=loop, scope="rnnlm")
    v1 = tf.compat.v1
    rng = np.random.RandomState(1)
    x0, h0 = rng.randn(2, 3).astype(np.float32), rng.randn(2, 3).astype(np.float32)
    with tf.Graph().as_default():
        seen = []

        def loop(prev, i):
            seen.append((i, v1.get_variable_scope().name, v1.get_variable_scope().reuse))
            return tf.reverse(prev, [1]) * 0.5

        inputs = [tf.constant(x0)] + [tf.zeros([2, 3])] * 3  # unused after the first
        outputs, state = tf.contrib.legacy_seq2seq.rnn_decoder(
            inputs, tf.constant(h0), tf.contrib.rnn.BasicRNNCell(3), loop_function=loop,
            scope="rnnlm")
        assert sorted(_variables(tf)) == ["rnnlm/basic_rnn_cell/bias",
                                          "rnnlm/basic_rnn_cell/kernel"]
        kernel, bias = v1.global_variables()
        kernel, bias, outputs, state = _run(
            tf, [kernel, bias, outputs, state],
            assign={"rnnlm/basic_rnn_cell/bias": np.full(3, 0.1)})
    assert seen == [(i, "rnnlm/loop_function", True) for i in (1, 2, 3)]
    x, h = x0, h0
    for t in range(4):
        h = np.tanh(np.concatenate([x, h], 1) @ kernel + bias)
        np.testing.assert_allclose(outputs[t], h, rtol=1e-5, atol=1e-6)
        x = h[:, ::-1] * 0.5
    np.testing.assert_allclose(state, h, rtol=1e-5, atol=1e-6)


def test_embedding_rnn_decoder_feeds_back_the_projected_argmax(tf):
    # The translate tutorial's decoding: output_projection (W, B), feed_previous=True.
    v1 = tf.compat.v1
    rng = np.random.RandomState(4)
    proj_w, proj_b = rng.randn(3, 6).astype(np.float32), rng.randn(6).astype(np.float32)
    h0 = rng.randn(2, 3).astype(np.float32)
    with tf.Graph().as_default():
        outputs, _ = tf.contrib.legacy_seq2seq.embedding_rnn_decoder(
            [tf.constant([4, 1])] * 4, tf.constant(h0), tf.contrib.rnn.BasicRNNCell(3), 6, 2,
            output_projection=(tf.constant(proj_w), tf.constant(proj_b)), feed_previous=True)
        variables = {v.op.name: v for v in v1.global_variables()}
        assert sorted(variables) == ["embedding_rnn_decoder/embedding",
                                     "embedding_rnn_decoder/rnn_decoder/basic_rnn_cell/bias",
                                     "embedding_rnn_decoder/rnn_decoder/basic_rnn_cell/kernel"]
        w, outputs = _run(tf, [variables, outputs], assign={
            "embedding_rnn_decoder/rnn_decoder/basic_rnn_cell/bias": rng.randn(3)})
    embedding = w["embedding_rnn_decoder/embedding"]
    kernel = w["embedding_rnn_decoder/rnn_decoder/basic_rnn_cell/kernel"]
    bias = w["embedding_rnn_decoder/rnn_decoder/basic_rnn_cell/bias"]
    x, h = embedding[[4, 1]], h0
    for t in range(4):
        h = np.tanh(np.concatenate([x, h], 1) @ kernel + bias)
        np.testing.assert_allclose(outputs[t], h, rtol=1e-5, atol=1e-6)
        x = embedding[np.argmax(h @ proj_w + proj_b, 1)]


def test_attention_decoder_matches_numpy(tf):
    v1 = tf.compat.v1
    rng = np.random.RandomState(2)
    inputs = rng.randn(2, 2, 3).astype(np.float32)  # [time, batch, input]
    h0 = rng.randn(2, 4).astype(np.float32)
    states = rng.randn(2, 5, 3).astype(np.float32)  # [batch, attn_length, attn_size]
    with tf.Graph().as_default():
        outputs, state = tf.contrib.legacy_seq2seq.attention_decoder(
            list(tf.unstack(tf.constant(inputs))), tf.constant(h0), tf.constant(states),
            tf.contrib.rnn.BasicRNNCell(4), output_size=6, initial_state_attention=True)
        variables = {v.op.name: v for v in v1.global_variables()}
        assert {k: v.shape.as_list() for k, v in variables.items()} == {
            "attention_decoder/AttnW_0": [1, 1, 3, 3], "attention_decoder/AttnV_0": [3],
            "attention_decoder/Attention_0/kernel": [4, 3],
            "attention_decoder/Attention_0/bias": [3],
            "attention_decoder/kernel": [6, 3], "attention_decoder/bias": [3],
            "attention_decoder/basic_rnn_cell/kernel": [7, 4],
            "attention_decoder/basic_rnn_cell/bias": [4],
            "attention_decoder/AttnOutputProjection/kernel": [7, 6],
            "attention_decoder/AttnOutputProjection/bias": [6]}
        biases = {k: rng.randn(*v.shape.as_list()) for k, v in variables.items()
                  if k.endswith("bias")}
        w, outputs, state = _run(tf, [variables, outputs, state], assign=biases)
    w = {k.split("/", 1)[1]: v for k, v in w.items()}

    def attention(query):
        y = query @ w["Attention_0/kernel"] + w["Attention_0/bias"]
        features = states @ w["AttnW_0"][0, 0]  # the 1x1 convolution
        s = (w["AttnV_0"] * np.tanh(features + y[:, None, :])).sum(2)
        a = np.exp(s - s.max(1, keepdims=True))
        a /= a.sum(1, keepdims=True)
        return (a[:, :, None] * states).sum(1)

    h = h0
    attns = attention(h0)  # initial_state_attention=True
    for t in range(2):
        x = np.concatenate([inputs[t], attns], 1) @ w["kernel"] + w["bias"]
        h = np.tanh(np.concatenate([x, h], 1) @ w["basic_rnn_cell/kernel"]
                    + w["basic_rnn_cell/bias"])
        attns = attention(h)
        want = (np.concatenate([h, attns], 1) @ w["AttnOutputProjection/kernel"]
                + w["AttnOutputProjection/bias"])
        np.testing.assert_allclose(outputs[t], want, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(state, h, rtol=1e-5, atol=1e-6)


def test_model_with_buckets_shares_variables_and_pins_r115_errors(tf):
    v1 = tf.compat.v1
    s2s = tf.contrib.legacy_seq2seq
    rng = np.random.RandomState(3)
    with tf.Graph().as_default():
        enc = [tf.constant(rng.randint(4, size=2), tf.int32) for _ in range(3)]
        dec = [tf.constant(rng.randint(5, size=2), tf.int32) for _ in range(3)]
        targets = dec[1:] + [tf.constant([0, 0], tf.int32)]
        weights = [tf.constant(rng.rand(2), tf.float32) for _ in range(3)]
        def seq2seq(x, y):  # a new cell per bucket, as r1.15's tests did
            return s2s.embedding_attention_seq2seq(x, y, tf.contrib.rnn.GRUCell(2), 4, 5, 3)

        buckets = [(2, 2), (3, 3)]
        outputs, losses = s2s.model_with_buckets(enc, dec, targets, weights, buckets,
                                                 seq2seq)
        n_variables = len(v1.global_variables())
        with v1.variable_scope(v1.get_variable_scope(), reuse=True):
            _, per_example = s2s.model_with_buckets(enc, dec, targets, weights, buckets,
                                                    seq2seq, per_example_loss=True)
        assert len(v1.global_variables()) == n_variables  # one model, reused per bucket
        assert [len(o) for o in outputs] == [2, 3]
        for message in (r"^Length of encoder_inputs \(2\) must be at least that of last "
                        r"bucket \(3\)\.$",
                        r"^Length of targets \(2\) must be at least that of last "
                        r"bucket \(3\)\.$",
                        r"^Length of weights \(2\) must be at least that of last "
                        r"bucket \(3\)\.$"):
            args = {"encoder_inputs": enc, "targets": targets, "weights": weights}
            key = message.split()[2]
            args[key] = args[key][:2]
            with pytest.raises(ValueError, match=message):
                s2s.model_with_buckets(args["encoder_inputs"], dec, args["targets"],
                                       args["weights"], buckets, seq2seq)
        outputs, losses, per_example, targets, weights = _run(
            tf, [outputs, losses, per_example, targets, weights])
    for j, (_, length) in enumerate(buckets):
        crossent = sum(_softmax_xent(outputs[j][t], targets[t]) * weights[t]
                       for t in range(length))
        want = crossent / (sum(weights[:length]) + 1e-12)
        np.testing.assert_allclose(per_example[j], want, rtol=1e-5)
        np.testing.assert_allclose(losses[j], want.sum() / 2, rtol=1e-5)


def test_feed_previous_as_a_bool_tensor(tf):
    # The translate tutorial's chatbots: one graph, training and greedy decoding.
    v1 = tf.compat.v1
    s2s = tf.contrib.legacy_seq2seq
    with tf.Graph().as_default():
        enc = [v1.placeholder(tf.int32, [None]) for _ in range(2)]
        dec = [v1.placeholder(tf.int32, [None]) for _ in range(3)]
        feed_previous = v1.placeholder(tf.bool, [])
        cell = tf.contrib.rnn.BasicLSTMCell
        models = {}
        for name, model in (("rnn", s2s.embedding_rnn_seq2seq),
                            ("attention", s2s.embedding_attention_seq2seq)):
            with v1.variable_scope(name):
                models[name, "tensor"] = model(enc, dec, cell(3), 4, 6, 2,
                                               feed_previous=feed_previous)
                n_variables = len(v1.global_variables())
            # the same variables decode as the Python bools would
            for flag in (True, False):
                with v1.variable_scope(name, reuse=True):
                    models[name, flag] = model(enc, dec, cell(3), 4, 6, 2, feed_previous=flag)
            assert len(v1.global_variables()) == n_variables
        tied = s2s.embedding_tied_rnn_seq2seq(enc, dec, cell(3), 6, 2, feed_previous=feed_previous)
        assert isinstance(tied[1], tf.contrib.rnn.LSTMStateTuple)
        one2many = s2s.one2many_rnn_seq2seq(enc, {"x": dec}, tf.contrib.rnn.GRUCell(2),
                                            {"x": tf.contrib.rnn.GRUCell(2)}, 4, {"x": 6}, 2,
                                            feed_previous=feed_previous)
        feed = {p: [1, 3] for p in enc + dec}
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            runs = {}
            for flag in (True, False):
                feed[feed_previous] = flag
                runs[flag] = sess.run(models, feed)
                runs[flag, "other_inputs"] = sess.run(
                    [models["rnn", "tensor"], tied[0], one2many[0]["x"]],
                    {**feed, dec[1]: [0, 2], dec[2]: [2, 0]})
                runs[flag, "same_inputs"] = sess.run(
                    [models["rnn", "tensor"], tied[0], one2many[0]["x"]], feed)
    for flag in (True, False):
        for name in ("rnn", "attention"):
            got, want = runs[flag][name, "tensor"], runs[flag][name, flag]
            np.testing.assert_allclose(got[0], want[0], rtol=1e-6)
            for g, w in zip(tf.nest.flatten(got[1]), tf.nest.flatten(want[1])):
                np.testing.assert_allclose(g, w, rtol=1e-6)
    # fed back: later decoder inputs are unused; not fed back: they change the outputs
    for a, b in zip(tf.nest.flatten(runs[True, "same_inputs"]),
                    tf.nest.flatten(runs[True, "other_inputs"])):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    differ = [not np.allclose(a[-1], b[-1])
              for a, b in zip([runs[False, "same_inputs"][0][0], *runs[False, "same_inputs"][1:]],
                              [runs[False, "other_inputs"][0][0],
                               *runs[False, "other_inputs"][1:]])]
    assert differ == [True, True, True]


def test_bad_arguments_raise_r115_errors(tf):
    v1 = tf.compat.v1
    s2s = tf.contrib.legacy_seq2seq
    gru = tf.contrib.rnn.GRUCell
    with tf.Graph().as_default():
        states = tf.zeros([2, 3, 4])
        with pytest.raises(ValueError, match=r"^Must provide at least 1 input to attention "
                                             r"decoder\.$"):
            s2s.attention_decoder([], tf.zeros([2, 2]), states, gru(2))
        with pytest.raises(ValueError, match=r"^With less than 1 heads, use a non-attention "
                                             r"decoder\.$"):
            s2s.attention_decoder([tf.zeros([2, 2])], tf.zeros([2, 2]), states, gru(2),
                                  num_heads=0)
        with pytest.raises(ValueError, match=r"^Shape\[2\] of attention_states must be known"):
            s2s.attention_decoder([tf.zeros([2, 2])], tf.zeros([2, 2]),
                                  v1.placeholder(tf.float32, [2, 3, None]), gru(2))
        with pytest.raises(ValueError, match=r"^Could not infer input size from input: "
                                             r"Placeholder_1:0$"):
            s2s.attention_decoder([v1.placeholder(tf.float32, [2, None])], tf.zeros([2, 2]),
                                  states, gru(2))
        with pytest.raises(TypeError, match=r"^enc_cell is not an RNNCell: <class 'int'>$"):
            s2s.one2many_rnn_seq2seq([], {}, 3, {}, 2, {}, 2)
        with pytest.raises(ValueError, match=r"^keys of dec_cells_dict != keys of "
                                             r"decodre_inputs_dict$"):
            s2s.one2many_rnn_seq2seq([], {"a": []}, gru(2), {"b": gru(2)}, 2, {}, 2)
        with pytest.raises(TypeError, match=r"^dec_cell is not an RNNCell: <class 'str'>$"):
            s2s.one2many_rnn_seq2seq([], {"a": []}, gru(2), {"a": "gru"}, 2, {}, 2)
        with pytest.raises(ValueError, match=r"are incompatible"):
            s2s.embedding_rnn_decoder([tf.constant([0])], tf.zeros([1, 2]), gru(2), 5, 2,
                                      output_projection=(tf.zeros([2, 4]), tf.zeros([5])))
        # r1.15 failed too ("can't pickle _thread.lock objects"): a built cell is not copied
        cell = gru(2)
        s2s.embedding_rnn_seq2seq([tf.constant([0])], [tf.constant([0])], cell, 2, 2, 2)
        with pytest.raises(TypeError, match=r"^Cannot deep-copy .* the cell already has "
                                            r"variables .* Build a new cell for each "
                                            r"seq2seq call"):
            s2s.embedding_rnn_seq2seq([tf.constant([0])], [tf.constant([0])], cell, 2, 2, 2,
                                      scope="again")
