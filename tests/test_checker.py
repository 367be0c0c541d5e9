"""The static contrib checker (compat_learn._checker): ast only, no TensorFlow."""

import os
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
    [use] = _checker.check_source(
        "import tensorflow as tf\nx = tf.contrib.learn.DynamicRnnEstimator\n")
    assert (use.status, use.served_by) == ("unsupported", None)
    assert use.replacement == "tf.keras.layers.RNN in a custom model_fn"
    [use] = _checker.check_source("from tensorflow.contrib import seq2seq\n")
    assert use.status == "unsupported" and use.replacement == "tensorflow_addons.seq2seq"
    [use] = _checker.check_source(
        "import tensorflow as tf\ntf.contrib.framework.no_such_helper()\n")
    assert use.status == "unsupported"
    assert use.replacement == table.NAMESPACE_REPLACEMENTS["tensorflow.contrib.framework"]


def test_served_helper_reports_the_tf215_equivalent():
    [use] = _checker.check_source(
        "import tensorflow as tf\ntf.contrib.data.map_and_batch(f, 2)\n")
    assert use.status == "supported"
    assert use.served_by == "tf.compat.v1.data.experimental.map_and_batch"
    assert use.replacement == "Dataset.map(...).batch(...)"


def test_queue_input_pipelines_are_tf1_only_uses():
    assert uses("""\
        import tensorflow as tf
        queue = tf.train.string_input_producer(files, num_epochs=1)
        _, rows = tf.TextLineReader().read_up_to(queue, 40)
        columns = tf.decode_csv(rows, record_defaults=[[0.0]])
        batch = tf.train.shuffle_batch(columns, 40, 400, 81, enqueue_many=True)
        """) == [(2, "tf.train.string_input_producer", "tf1"), (3, "tf.TextLineReader", "tf1"),
                 (4, "tf.decode_csv", "tf1"), (5, "tf.train.shuffle_batch", "tf1")]


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
    path.write_text("import tensorflow as tf\ntf.contrib.rnn.GridLSTMCell\ntf.layers.dense\n")
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


# ---------------------------------------------------------------------------------------
# Names that resolve at run time: what the served module itself defines.
# ---------------------------------------------------------------------------------------
def test_a_module_served_as_is_provides_every_name_it_defines():
    assert uses("""\
        from tensorflow.contrib.learn.python.learn.estimators import run_config
        import tensorflow as tf
        a = run_config._DEFAULT_UID_WHITE_LIST
        b = tf.contrib.learn.python.learn.learn_runner._get_default_schedule
        c = run_config._NO_SUCH_NAME
        """) == [
        (1, "tf.contrib.learn.python.learn.estimators.run_config", "supported"),
        (3, "tf.contrib.learn.python.learn.estimators.run_config._DEFAULT_UID_WHITE_LIST",
         "supported"),
        (4, "tf.contrib.learn.python.learn.learn_runner._get_default_schedule", "supported"),
        (5, "tf.contrib.learn.python.learn.estimators.run_config._NO_SUCH_NAME", "unsupported"),
    ]
    # A generated package serves its modules' __all__ only, as the hook does.
    assert uses("import tensorflow as tf\ntf.contrib.learn._DEFAULT_UID_WHITE_LIST\n") == [
        (2, "tf.contrib.learn._DEFAULT_UID_WHITE_LIST", "unsupported")]


def _plain_alias_rows():
    return [pytest.param(m, id=m.path) for m in table.MODULES
            if len(m.targets) == 1 and not m.attrs and not table.children(m.path)
            and not table.symbols_of(m.path)]


@pytest.mark.integration
@pytest.mark.parametrize("row", _plain_alias_rows())
def test_checker_knows_every_name_the_served_module_has_at_run_time(row):
    import importlib

    module = importlib.import_module(row.targets[0])  # the oracle: the real module
    names = [n for n in vars(module) if not (n.startswith("__") and n.endswith("__"))]
    wrong = [n for n in names if _checker.classify(f"{row.path}.{n}")[0] != "supported"]
    assert wrong == []


# ---------------------------------------------------------------------------------------
# What --tf1 restores, and third-party removals.
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("module,name,value,fix", [
    pytest.param(*row, id=f"{row[0]}.{row[1]}") for row in table.TF1_RESTORED])
def test_names_tf1_restores_are_reported_with_their_fix(module, name, value, fix):
    source = f"import {module} as m\nfrom {module} import {name}\nx = m.{name}.y\nz = m.{name}_x\n"
    found = _checker.check_source(source)
    assert [(u.line, u.name, u.status) for u in found] == [
        (2, table.display_name(f"{module}.{name}"), "tf1"),
        (3, table.display_name(f"{module}.{name}"), "tf1")]
    assert all(u.replacement == fix and value in u.served_by for u in found)


def test_numpy_aliases_and_device_spec_in_a_trainer():
    found = _checker.check_source(textwrap.dedent("""\
        import numpy as np
        from tensorflow.python.framework import device as pydev
        labels = np.array(y).astype(np.int)
        ok = np.int32
        spec = pydev.DeviceSpec.from_string(op.device or "")
        spec.merge_from(current)
        """))
    assert [(u.line, u.name, u.status) for u in found] == [
        (3, "numpy.int", "tf1"), (5, "tf.python.framework.device.DeviceSpec", "tf1")]
    assert found[0].replacement == "`int` (numpy 1.24 removed `np.int`)"
    assert "make_merged_spec" in found[1].replacement


@pytest.mark.parametrize("name,removed_in,replacement", [
    pytest.param(*row, id=row[0]) for row in table.THIRD_PARTY_REMOVALS
    if not row[0].startswith("pandas.")])
def test_third_party_removals_are_reported(name, removed_in, replacement):
    module, _, last = name.rpartition(".")
    for source in (f"import {name}\n", f"from {module} import {last}\n",
                   f"import {module.partition('.')[0]}\nx = {name}.f(1)\n"):
        [use] = _checker.check_source(source)
        assert (use.name, use.status) == (name, "removed"), source
        assert use.replacement == f"{replacement} (removed in {removed_in})"


def test_pandas_removals_only_in_files_that_use_pandas():
    source = "{}df = load()\na = df.ix[0]\nb = df.as_matrix()\n"
    assert uses(source.format("import pandas as pd\n")) == [
        (3, "pandas.DataFrame.ix", "removed"), (4, "pandas.DataFrame.as_matrix", "removed")]
    assert uses(source.format("")) == []


def test_removed_uses_fail_the_check_and_are_counted(tmp_path):
    path = tmp_path / "old.py"
    path.write_text("from sklearn.cross_validation import train_test_split\n")
    reports = _checker.check_paths([str(path)])
    assert _checker.failed(reports)
    text = _checker.format_text(reports)
    assert f"{path}:1:1: removed: sklearn.cross_validation (not served); native TF2: " \
           "sklearn.model_selection (removed in scikit-learn 0.20)" in text
    assert text.endswith("0 TF1-only uses, 1 removed third-party uses, 0 files not parsed\n")


# ---------------------------------------------------------------------------------------
# `run -m` hint.
# ---------------------------------------------------------------------------------------
MAIN = 'if __name__ == "__main__":\n    main()\n'


@pytest.mark.parametrize("imports,hinted", [
    ("from trainer import model\n", True),
    ("from . import model\n", True),
    ("import trainer.model\n", True),
    ("import os\n", False),
])
def test_module_that_imports_its_package_gets_a_run_m_hint(tmp_path, imports, hinted):
    (tmp_path / "trainer").mkdir()
    (tmp_path / "trainer" / "__init__.py").write_text("")
    (tmp_path / "trainer" / "task.py").write_text(imports + MAIN)
    (tmp_path / "trainer" / "model.py").write_text("from trainer import task\n")  # no main
    reports = {os.path.basename(r.path): r for r in _checker.check_paths([str(tmp_path)])}
    assert reports["model.py"].hints == () and reports["__init__.py"].hints == ()
    if not hinted:
        assert reports["task.py"].hints == ()
        return
    [hint] = reports["task.py"].hints
    assert f"`compat-learn run [--tf1] -m trainer.task ...` from {tmp_path}" in hint
    assert f"hint: {hint}" in _checker.format_text(list(reports.values()))


def test_tensorflow_examples_mnist_is_checked_like_contrib():
    # TF 1.x tutorials read MNIST through tensorflow.examples.tutorials.mnist, which
    # the table serves from compat_learn.datasets.mnist; its other modules are not.
    assert uses("""\
        from tensorflow.examples.tutorials.mnist import input_data
        import tensorflow.examples.tutorials.mnist.mnist as model
        mnist = input_data.read_data_sets("/tmp/data", one_hot=True)
        """) == [
        (1, "tf.examples.tutorials.mnist.input_data", "supported"),
        (2, "tf.examples.tutorials.mnist.mnist", "unsupported"),
        (3, "tf.examples.tutorials.mnist.input_data.read_data_sets", "supported"),
    ]
