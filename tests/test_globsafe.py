"""Checkpoint paths TensorFlow can restore from a model_dir with `[`, `*` or `?`."""

import os
import pathlib

import pytest

from compat_learn import _globsafe


def _fake_checkpoint(model_dir, step):
    model_dir.mkdir(exist_ok=True)
    prefix = model_dir / f"model.ckpt-{step}"
    for suffix in (".index", ".data-00000-of-00001", ".meta"):
        (prefix.parent / (prefix.name + suffix)).write_text(suffix)
    (model_dir / "checkpoint").write_text(f'model_checkpoint_path: "{prefix.name}"\n')
    return str(prefix)


@pytest.mark.parametrize("path, expected", [
    ("/runs/lr[0.1]", True), ("/runs/a*b", True), ("/runs/a?", True), ("/runs/plain", False),
    (b"/runs/lr[0.1]", True), (None, False), ("", False)])
def test_has_glob_chars(path, expected):
    assert _globsafe.has_glob_chars(path) is expected


def test_alias_links_exactly_the_checkpoints_files(tmp_path):
    model_dir = tmp_path / "lr[0.1]"
    prefix = _fake_checkpoint(model_dir, 5)
    (model_dir / "model.ckpt-50.index").write_text("another checkpoint")
    alias = _globsafe.alias_checkpoint(prefix)
    assert not _globsafe.has_glob_chars(alias)
    linked = sorted(os.listdir(os.path.dirname(alias)))
    assert linked == ["model.ckpt-5.data-00000-of-00001", "model.ckpt-5.index", "model.ckpt-5.meta"]
    assert pathlib.Path(alias + ".index").read_text() == ".index"
    assert sorted(os.listdir(model_dir)) == sorted(  # nothing written to the model_dir
        ["checkpoint", "model.ckpt-5.data-00000-of-00001", "model.ckpt-5.index",
         "model.ckpt-5.meta", "model.ckpt-50.index"])


def test_remote_path_with_a_pattern_character_names_the_fix():
    with pytest.raises(ValueError, match=r"contains '\['.*Rename the model directory"):
        _globsafe.alias_checkpoint("gs://bucket/lr[0.1]/model.ckpt-5")


def test_plain_paths_are_handed_to_tensorflow_unchanged(tmp_path):
    assert _globsafe.checkpoint_to_restore(str(tmp_path), None) is None
    assert _globsafe.checkpoint_to_restore(str(tmp_path), "x/model.ckpt-1") == "x/model.ckpt-1"


def test_a_pattern_model_dir_resolves_the_latest_checkpoint(tmp_path):
    model_dir = tmp_path / "run[1]"
    _fake_checkpoint(model_dir, 7)
    path = _globsafe.checkpoint_to_restore(str(model_dir), None, purpose="export")
    assert os.path.realpath(path + ".index") == str(model_dir / "model.ckpt-7.index")


@pytest.mark.parametrize("purpose, message", [
    ("evaluate", "No checkpoint to evaluate in `model_dir` '.*run\\[1\\]': train the model first"),
    ("export", "Couldn't find trained model at .*run\\[1\\]\\.")])
def test_a_pattern_model_dir_without_checkpoint_raises(tmp_path, purpose, message):
    model_dir = tmp_path / "run[1]"
    model_dir.mkdir()
    with pytest.raises(ValueError, match=message):
        _globsafe.checkpoint_to_restore(str(model_dir), None, purpose=purpose)
