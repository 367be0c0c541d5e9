"""The contrib import hook (compat_learn._alias) and the table that drives it.

In-process tests install the hook for this module only and undo it afterwards
(`_uninstall_for_tests`); tests of what a fresh process sees run in a subprocess
with a hard timeout, killed by its own pid.
"""

import importlib
import os
import pickle
import sys
import textwrap

import pytest

from compat_learn import _alias
from compat_learn import _contrib_table as table

import _procs

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIMEOUT = 90


def run_python(code, timeout=TIMEOUT, env=None):
    """Runs `code` in a fresh interpreter; kills it by its pid on timeout or failure."""
    return _procs.run_python(["-c", textwrap.dedent(code)], timeout=timeout,
                             env=_procs.python_env(env))


@pytest.fixture(scope="module")
def tf():
    from compat_learn import _tf

    _alias.install()
    yield _tf.tf
    _alias._uninstall_for_tests()


# ---------------------------------------------------------------------------------------
# What `import compat_learn` and `install()` do to a fresh process.
# ---------------------------------------------------------------------------------------
@pytest.mark.integration
def test_import_compat_learn_alone_changes_nothing_in_tensorflow():
    rc, out, err = run_python("""
        import sys
        before = list(sys.meta_path)
        import compat_learn, compat_learn._contrib_table, compat_learn._checker
        import compat_learn.training
        assert "tensorflow" not in sys.modules, "compat_learn imported TensorFlow"
        assert sys.meta_path == before
        import tensorflow as tf
        assert not hasattr(tf, "contrib")
        assert not hasattr(tf.compat.v1, "contrib")
        try:
            import tensorflow.contrib.learn
        except ModuleNotFoundError:
            print("OK")
    """)
    assert rc == 0, err
    assert out.strip() == "OK"


@pytest.mark.integration
def test_install_before_tensorflow_attaches_contrib_when_tensorflow_loads():
    rc, out, err = run_python("""
        import sys
        import compat_learn
        compat_learn_alias = __import__("compat_learn._alias", fromlist=["install"])
        compat_learn_alias.install()
        compat_learn_alias.install()  # idempotent
        assert sum(f is compat_learn_alias._finder for f in sys.meta_path) == 1
        assert "tensorflow" not in sys.modules, "install() imported TensorFlow"
        import tensorflow as tf
        from compat_learn.training import HParams
        assert tf.contrib.training.HParams is HParams
        assert tf.compat.v1.contrib is tf.contrib
        assert type(tf.__loader__).__module__ != "compat_learn._alias"
        assert type(tf.__spec__.loader).__module__ != "compat_learn._alias"
        import tensorflow.compat.v1 as tf1
        assert tf1.contrib.training.HParams is HParams
        print("OK")
    """)
    assert rc == 0, err
    assert out.strip() == "OK"


# ---------------------------------------------------------------------------------------
# The table resolves: every module row, every served symbol; every unsupported name
# fails with its replacement.
# ---------------------------------------------------------------------------------------
def _module_ids():
    return [pytest.param(m.path, id=m.path) for m in table.MODULES]


@pytest.mark.parametrize("path", _module_ids())
def test_every_module_row_resolves(tf, path):
    module = importlib.import_module(path)
    row = table.module_row(path)
    plain = (len(row.targets) == 1 and not row.attrs and not table.children(path)
             and not table.symbols_of(path))
    if plain:
        assert module is importlib.import_module(row.targets[0])
        assert module.__spec__.name == row.targets[0]
        assert sys.modules[path] is module
    for name in module.__all__:
        assert getattr(module, name) is not None, name
    for name in table.children(path):
        assert getattr(module, name) is importlib.import_module(path + "." + name)


def _symbol_ids(served):
    return [pytest.param(s, id=f"{s.namespace}.{s.name}") for s in table.SYMBOLS
            if (s.target is not None) == served]


@pytest.mark.parametrize("symbol", _symbol_ids(served=True))
def test_every_served_symbol_is_its_tf215_equivalent(tf, symbol):
    namespace = importlib.import_module(symbol.namespace)
    value = getattr(namespace, symbol.name)
    target = _alias.resolve_target(symbol.target)
    assert value is target
    scope = {}
    # A from-import statement is the behaviour under test.
    exec(f"from {symbol.namespace} import {symbol.name} as value", scope)
    assert scope["value"] is value


@pytest.mark.parametrize("symbol", _symbol_ids(served=False))
def test_every_unsupported_symbol_fails_with_its_replacement(tf, symbol):
    namespace = importlib.import_module(symbol.namespace)
    shown = table.display_name(symbol.namespace + "." + symbol.name)
    with pytest.raises(AttributeError) as info:
        getattr(namespace, symbol.name)
    assert f"`{shown}` is not supported by compat_learn" in str(info.value)
    assert symbol.replacement in str(info.value)
    assert not hasattr(namespace, symbol.name)
    with pytest.raises(ImportError) as info:
        exec(f"from {symbol.namespace} import {symbol.name}", {})
    assert shown in str(info.value) and symbol.replacement in str(info.value)


@pytest.mark.parametrize("row", [pytest.param(u, id=u.path) for u in table.UNSUPPORTED])
def test_every_unsupported_module_fails_with_its_replacement(tf, row):
    with pytest.raises(ImportError) as info:
        importlib.import_module(row.path)
    assert table.display_name(row.path) in str(info.value)
    assert row.replacement in str(info.value)


def test_table_has_no_duplicate_rows():
    keys = [(s.namespace, s.name) for s in table.SYMBOLS]
    assert len(keys) == len(set(keys))
    paths = [m.path for m in table.MODULES] + [s.path for s in table.SUBTREES]
    assert len(paths) == len(set(paths))
    assert all(table.module_row(s.namespace) for s in table.SYMBOLS)


# ---------------------------------------------------------------------------------------
# Behaviour of the hook.
# ---------------------------------------------------------------------------------------
def test_deep_paths_are_compat_learn_modules(tf):
    from tensorflow.contrib.learn.python.learn import learn_runner
    from tensorflow.contrib.learn.python.learn import run_config as leaked
    from tensorflow.contrib.learn.python.learn.estimators import run_config

    import compat_learn.learn_runner
    import compat_learn.run_config

    assert learn_runner is compat_learn.learn_runner
    assert run_config is leaked is compat_learn.run_config
    assert tf.contrib.learn.python.learn.estimators.run_config.Environment.LOCAL == "local"
    assert tf.contrib.learn.RunConfig is compat_learn.run_config.RunConfig
    assert tf.contrib.learn.learn_runner.run is compat_learn.learn_runner.run


def test_top_level_extras_match_r115(tf):
    import compat_learn.datasets
    import compat_learn.learn_io

    assert tf.contrib.learn.io.numpy_input_fn is compat_learn.learn_io.numpy_input_fn
    assert tf.contrib.learn.datasets.Dataset is compat_learn.datasets.Dataset
    assert "io" in tf.contrib.learn.__all__ and "Experiment" in tf.contrib.learn.__all__


def test_served_classes_pickle_under_compat_learn_names(tf):
    from tensorflow.contrib.training import HParams

    restored = pickle.loads(pickle.dumps(HParams(learning_rate=0.5)))
    assert restored.learning_rate == 0.5
    assert type(restored).__module__.startswith("compat_learn.")


def test_reload_of_a_contrib_package_works(tf):
    from tensorflow.contrib import learn

    assert importlib.reload(learn) is learn


def test_unknown_contrib_module_is_module_not_found_naming_what_is_served(tf):
    with pytest.raises(ModuleNotFoundError) as info:
        importlib.import_module("tensorflow.contrib.tensorrt.ops.gen_trt_engine_op")
    assert "No module named 'tensorflow.contrib.tensorrt'" in str(info.value)
    assert "compat_learn serves tf.contrib.{data, framework, layers, learn" in str(info.value)
    with pytest.raises(ModuleNotFoundError) as info:
        exec("from tensorflow.contrib import seq2seq", {})
    assert "tensorflow_addons.seq2seq" in str(info.value)


def test_tensorflow_own_contrib_probe_still_gets_import_error(tf):
    # tensorflow/python/tools/import_pb_to_tensorboard.py L33-36 star-imports
    # tensorflow.contrib.tensorrt... inside try/except ImportError.
    module = importlib.import_module("tensorflow.python.tools.import_pb_to_tensorboard")
    assert hasattr(module, "import_to_tensorboard")


def test_unknown_name_in_a_served_namespace_names_where_to_look(tf):
    with pytest.raises(AttributeError) as info:
        _ = tf.contrib.framework.not_a_contrib_name
    message = str(info.value)
    assert "`tf.contrib.framework.not_a_contrib_name` is not provided by compat_learn" in message
    assert table.NAMESPACE_REPLACEMENTS["tensorflow.contrib.framework"] in message
    with pytest.raises(ImportError, match="not_a_contrib_name` is not provided"):
        exec("from tensorflow.contrib.framework import not_a_contrib_name", {})


def test_contrib_metric_keeps_contrib_argument_order(tf):
    graph = tf.Graph()
    with graph.as_default():
        predictions = tf.constant([1, 1, 1, 0])
        labels = tf.constant([1, 0, 0, 0])
        contrib_value, contrib_update = tf.contrib.metrics.streaming_precision(
            predictions, labels)
        core_value, core_update = tf.compat.v1.metrics.precision(labels, predictions)
        with tf.compat.v1.Session() as session:
            session.run(tf.compat.v1.local_variables_initializer())
            session.run([contrib_update, core_update])
            got, want = session.run([contrib_value, core_value])
    assert got == pytest.approx(want) == pytest.approx(1 / 3)


def test_slim_is_tf_slim(tf):
    import tf_slim
    from tensorflow.contrib import slim
    from tensorflow.contrib.slim import nets  # noqa: F401 - a deeper path of the subtree

    assert slim is tf_slim
    assert tf.contrib.slim is tf_slim


def test_tf1_scope_is_the_users_program(tmp_path):
    _alias._state.tf1_roots = (str(tmp_path),)
    try:
        assert _alias._in_user_code({"__name__": "__main__"})
        assert _alias._in_user_code({"__name__": "m", "__file__": str(tmp_path / "m.py")})
        assert not _alias._in_user_code({"__name__": "m", "__file__": "/elsewhere/m.py"})
        assert not _alias._in_user_code(
            {"__name__": "m", "__file__": str(tmp_path / "site-packages" / "m.py")})
        assert not _alias._in_user_code(None)
    finally:
        _alias._state.tf1_roots = ()


# ---------------------------------------------------------------------------------------
# Generated documentation.
# ---------------------------------------------------------------------------------------
def test_docs_migration_md_is_generated_from_the_table():
    with open(os.path.join(ROOT, "docs", "migration.md"), encoding="utf-8") as f:
        assert f.read() == table.render_migration_doc(), (
            "docs/migration.md is stale: python -m compat_learn._contrib_table "
            "> docs/migration.md")


def test_readme_migration_table_is_generated_from_the_table():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    assert table.render_readme_table() in readme, (
        "README.md's migration section differs from "
        "compat_learn._contrib_table.render_readme_table()")
    zero_edit = readme.index("compat-learn run --tf1")
    assert zero_edit < readme.index("import compat_learn as learn")
