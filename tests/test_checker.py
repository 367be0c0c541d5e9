"""The static contrib checker (compat_learn._checker): ast only, no TensorFlow."""

import textwrap

import pytest

from compat_learn import _checker
from compat_learn import _contrib_table as table


def uses(source):
    return [(u.line, u.name, u.status) for u in
            _checker.check_source(textwrap.dedent(source))]


def test_import_forms_are_reported_at_their_line():
    assert uses("""\
        import tensorflow.contrib.learn as learn
        from tensorflow.contrib import learn as l2
        from tensorflow.contrib.learn.python.learn import learn_runner
        from tensorflow.contrib.learn.python.learn.estimators.run_config import Environment
        import tensorflow.contrib.slim as slim
        from tensorflow.contrib.training import HParams
        """) == [
        (1, "tf.contrib.learn", "supported"),
        (2, "tf.contrib.learn", "supported"),
        (3, "tf.contrib.learn.python.learn.learn_runner", "supported"),
        (4, "tf.contrib.learn.python.learn.estimators.run_config.Environment", "supported"),
        (5, "tf.contrib.slim", "supported"),
        (6, "tf.contrib.training.HParams", "supported"),
    ]


def test_attribute_chains_through_every_binding():
    assert uses("""\
        import tensorflow as tf
        import tensorflow.compat.v1 as tf1
        from tensorflow.contrib import learn
        a = tf.contrib.learn.Experiment
        b = tf1.contrib.framework.get_global_step()
        c = learn.monitors.ValidationMonitor
        d = tf.contrib.learn.RunConfig(model_dir="m").replace(tf_random_seed=1)
        """) == [
        (3, "tf.contrib.learn", "supported"),
        (4, "tf.contrib.learn.Experiment", "supported"),
        (5, "tf.contrib.framework.get_global_step", "supported"),
        (6, "tf.contrib.learn.monitors.ValidationMonitor", "supported"),
        (7, "tf.contrib.learn.RunConfig", "supported"),
    ]


def test_unsupported_names_carry_their_replacement():
    [use] = _checker.check_source("import tensorflow as tf\nx = tf.contrib.learn.DNNClassifier\n")
    assert (use.status, use.served_by) == ("unsupported", None)
    assert use.replacement == "tf.estimator.DNNClassifier"
    [use] = _checker.check_source("from tensorflow.contrib import rnn\n")
    assert use.status == "unsupported" and use.replacement.startswith("tf.keras.layers")
    [use] = _checker.check_source(
        "import tensorflow as tf\ntf.contrib.framework.no_such_helper()\n")
    assert use.status == "unsupported"
    assert use.replacement == table.NAMESPACE_REPLACEMENTS["tensorflow.contrib.framework"]


def test_served_helper_reports_the_tf215_equivalent():
    [use] = _checker.check_source(
        "import tensorflow as tf\ntf.contrib.metrics.streaming_auc(p, l)\n")
    assert use.status == "supported"
    assert use.served_by == "tf.compat.v1.metrics.auc"
    assert "labels first" in use.replacement


def test_tf1_only_names_are_reported_for_the_plain_tf_namespace_only():
    source = """\
        import tensorflow as tf
        x = tf.layers.dense
        y = tf.train.AdamOptimizer(0.1)
        z = tf.nn.relu
        """
    assert uses(source) == [(2, "tf.layers", "tf1"), (3, "tf.train.AdamOptimizer", "tf1")]
    assert uses(source.replace("import tensorflow as tf",
                               "import tensorflow.compat.v1 as tf")) == []


def test_names_of_compat_learn_modules_are_read_from_source():
    assert "Experiment" in _checker.module_public_names("compat_learn")
    assert {"run", "tune"} <= _checker.module_public_names("compat_learn.learn_runner")
    assert _checker.module_public_names("compat_learn.no_such_module") is None


def test_unparseable_file_is_reported_and_the_rest_checked(tmp_path):
    (tmp_path / "a.py").write_text("def (:\n")
    (tmp_path / "b.py").write_text("from tensorflow.contrib import learn\n")
    (tmp_path / "notes.txt").write_text("import tensorflow.contrib.rnn\n")
    a, b = _checker.check_paths([str(tmp_path)])
    assert a.error.startswith("cannot parse: ") and a.uses == []
    assert b.error is None and len(b.uses) == 1
    assert _checker.failed([a, b]) and not _checker.failed([b])


def test_text_report_has_a_summary_per_file(tmp_path):
    path = tmp_path / "s.py"
    path.write_text("import tensorflow as tf\ntf.contrib.rnn.GRUCell\ntf.layers.dense\n")
    text = _checker.format_text(_checker.check_paths([str(path)]))
    assert f"{path}: 1 contrib uses (0 supported, 1 unsupported), 1 TF1-only uses" in text
    assert text.endswith("checked 1 files: 0 supported and 1 unsupported contrib uses, "
                         "1 TF1-only uses, 0 files not parsed\n")


@pytest.mark.parametrize("symbol", [pytest.param(s, id=f"{s.namespace}.{s.name}")
                                    for s in table.SYMBOLS])
def test_checker_agrees_with_the_table_for_every_symbol(symbol):
    status, _, replacement = _checker.classify(f"{symbol.namespace}.{symbol.name}")
    served_by_target = symbol.target is not None or symbol.name in (
        _checker.module_public_names("compat_learn.training") or ())
    assert status == ("supported" if served_by_target else "unsupported")
    if symbol.target is None and status == "unsupported":
        assert replacement == symbol.replacement
