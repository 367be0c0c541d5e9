"""The deprecation choke point: one Python warning per contrib entry point per process."""

import warnings

import pytest

from compat_learn import _deprecation
from compat_learn._deprecation import CompatLearnDeprecationWarning, warn_deprecated


@pytest.fixture(autouse=True)
def _fresh_registry():
    _deprecation._reset_for_tests()
    yield
    _deprecation._reset_for_tests()


def _entry_point():
    warn_deprecated("tf.contrib.learn.Thing", "tf.estimator.Thing")


def test_warns_once_per_entry_point_naming_the_replacement():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _entry_point()
        _entry_point()
        warn_deprecated("tf.contrib.learn.Other", "tf.estimator.Other")
    assert [str(w.message).split(" is deprecated")[0] for w in caught] == [
        "tf.contrib.learn.Thing", "tf.contrib.learn.Other"]
    assert "Native TF2 replacement: tf.estimator.Thing." in str(caught[0].message)
    assert all(issubclass(w.category, CompatLearnDeprecationWarning) for w in caught)
    assert caught[0].filename == __file__  # the caller of the entry point, not compat_learn


def test_is_a_deprecation_warning_that_users_can_filter():
    assert issubclass(CompatLearnDeprecationWarning, DeprecationWarning)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.filterwarnings("ignore", category=CompatLearnDeprecationWarning)
        _entry_point()
    assert caught == []


def test_the_facade_exports_the_warning_class():
    import compat_learn

    assert compat_learn.CompatLearnDeprecationWarning is CompatLearnDeprecationWarning
