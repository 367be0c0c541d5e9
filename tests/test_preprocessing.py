"""contrib.learn.preprocessing: r1.15's tokenizer, ids, padding, trimming and pickles.

Expected ids are worked out by hand or recomputed with collections.Counter (the
oracle), never read back from compat_learn. The TF 1.x pickles are built here with
TF 1.x's class paths (see `tf1_pickle`), as TF 1.x's ``pickle.dumps`` wrote them.
"""

import collections
import io
import pickle
import types

import numpy as np
import pytest

from compat_learn import preprocessing
from compat_learn.preprocessing import text
from compat_learn.preprocessing.categorical_vocabulary import CategoricalVocabulary
from compat_learn.preprocessing.text import ByteProcessor, VocabularyProcessor

TF1_TEXT = "tensorflow.contrib.learn.python.learn.preprocessing.text"
TF1_VOCAB = "tensorflow.contrib.learn.python.learn.preprocessing.categorical_vocabulary"

# r1.15 categorical_vocabulary.py's message.
MSG_NO_REVERSE = ("This vocabulary wasn't initialized with support_reverse to support "
                  "reverse() function.")


def test_public_names_match_r115_preprocessing():
    # r1.15 preprocessing/__init__.py star-imports categorical and text.
    for name in ("VocabularyProcessor", "ByteProcessor", "CategoricalVocabulary",
                 "CategoricalProcessor", "tokenizer", "TOKENIZER_RE"):
        assert name in preprocessing.__all__
        assert getattr(preprocessing, name) is not None


# ---------------------------------------------------------------------------------------
# tokenizer
# ---------------------------------------------------------------------------------------
def test_tokenizer_splits_camel_case_capitals_and_keeps_apostrophes_and_hyphens():
    docs = ["Hello world!", "CamelCaseWord NASA's HTTPServer", "don't co-op 3.14 naïve"]
    assert list(text.tokenizer(docs)) == [
        ["Hello", "world"],
        ["Camel", "Case", "Word", "NASA", "'s", "HTTP", "Server"],
        ["don't", "co-op", "3", "14", "naïve"],
    ]


# ---------------------------------------------------------------------------------------
# VocabularyProcessor
# ---------------------------------------------------------------------------------------
def test_ids_in_order_of_first_appearance_padded_and_cut():
    vp = VocabularyProcessor(max_document_length=4)
    ids = np.array(list(vp.fit_transform(["a b c", "c b d e f g"])))
    assert ids.dtype == np.int64
    assert ids.tolist() == [[1, 2, 3, 0], [3, 2, 4, 5]]
    assert len(vp.vocabulary_) == 8  # <UNK> and a..g: fit reads whole documents
    # Fitted: frozen, unknown words are 0.
    assert list(next(vp.transform(["a zzz g b"]))) == [1, 0, 7, 2]
    assert len(vp.vocabulary_) == 8


def test_min_frequency_keeps_words_seen_more_often_ordered_by_count_then_word():
    docs = ["the cat sat on the mat", "the dog sat", "a cat and a dog", "zebra"]
    vp = VocabularyProcessor(max_document_length=6, min_frequency=1).fit(docs)
    counts = collections.Counter(t for d in docs for t in d.split())
    kept = sorted((w for w, c in counts.items() if c > 1), key=lambda w: (-counts[w], w))
    expected = {w: i + 1 for i, w in enumerate(kept)}
    assert kept == ["the", "a", "cat", "dog", "sat"]
    got = next(iter(vp.transform(["the cat sat on the mat"]))).tolist()
    assert got == [expected["the"], expected["cat"], expected["sat"], 0, expected["the"], 0]
    assert [vp.vocabulary_.reverse(i) for i in range(len(vp.vocabulary_))] == ["<UNK>"] + kept


def test_reverse_joins_words_and_shows_padding_as_unk():
    vp = VocabularyProcessor(5)
    ids = list(vp.fit_transform(["hello big world", "big"]))
    assert list(vp.reverse(ids)) == ["hello big world <UNK> <UNK>",
                                     "big <UNK> <UNK> <UNK> <UNK>"]


def test_given_vocabulary_and_tokenizer_are_used():
    vocab = CategoricalVocabulary()
    vocab.get("x")
    vp = VocabularyProcessor(3, vocabulary=vocab,
                             tokenizer_fn=lambda docs: (d.split(",") for d in docs))
    ids = list(vp.fit_transform(["y,x", "x,z,y,w"]))
    assert vp.vocabulary_ is vocab
    assert [i.tolist() for i in ids] == [[2, 1, 0], [1, 3, 2]]


def test_a_one_shot_iterator_is_read_once_by_fit_transform_as_in_r115():
    vp = VocabularyProcessor(2)
    assert list(vp.fit_transform(iter(["a b"]))) == []
    assert len(vp.vocabulary_) == 3


def test_save_and_restore_round_trip(tmp_path):
    vp = VocabularyProcessor(4, min_frequency=0).fit(["b a b", "c"])
    path = str(tmp_path / "vocab")
    vp.save(path)
    restored = VocabularyProcessor.restore(path)
    assert type(restored) is VocabularyProcessor
    assert restored.max_document_length == 4
    assert next(iter(restored.transform(["c b new"]))).tolist() == [3, 1, 0, 0]


def test_save_of_an_unpicklable_processor_leaves_no_file(tmp_path):
    vp = VocabularyProcessor(2, tokenizer_fn=lambda docs: (d.split() for d in docs))
    path = tmp_path / "vocab"
    with pytest.raises((pickle.PicklingError, AttributeError)):
        vp.save(str(path))
    assert not path.exists()


# ---------------------------------------------------------------------------------------
# Files that TF 1.x wrote.
# ---------------------------------------------------------------------------------------
class _TF1Pickler(pickle._Pickler):
    """Writes compat_learn's objects under TF 1.x's class paths, byte for byte as TF
    1.x's ``pickle.dumps`` did. With ``py2_str`` (protocol 0), str objects are written
    as Python 2 byte strings (STRING opcode), as Python 2's cPickle wrote ``str``."""

    PATHS = {
        VocabularyProcessor: (TF1_TEXT, "VocabularyProcessor"),
        text.tokenizer: (TF1_TEXT, "tokenizer"),
        CategoricalVocabulary: (TF1_VOCAB, "CategoricalVocabulary"),
    }

    def __init__(self, file, protocol, py2_str=False):
        super().__init__(file, protocol)
        self.py2_str = py2_str
        self.dispatch = dict(pickle._Pickler.dispatch)
        self.dispatch[types.FunctionType] = _TF1Pickler.save_global
        if py2_str:
            self.dispatch[str] = _TF1Pickler._save_py2_str

    def save_global(self, obj, name=None):
        path = self.PATHS.get(obj)
        if path is None:
            return super().save_global(obj, name)
        self.write(pickle.GLOBAL + f"{path[0]}\n{path[1]}\n".encode("ascii"))
        self.memoize(obj)
        return None

    def _save_py2_str(self, obj):
        escaped = "".join(c if 32 <= b < 127 and c not in "\\'" else "\\x%02x" % b
                          for b in obj.encode("utf-8") for c in [chr(b)])
        self.write(b"S'" + escaped.encode("ascii") + b"'\n")
        self.memoize(obj)


def tf1_pickle(obj, protocol, py2_str=False):
    buf = io.BytesIO()
    _TF1Pickler(buf, protocol, py2_str).dump(obj)
    return buf.getvalue()


def _tf1_processor(min_frequency):
    vp = VocabularyProcessor(5, min_frequency=min_frequency)
    return vp.fit(["café au lait", "au revoir", "au lait"])


@pytest.mark.parametrize("protocol, py2_str, min_frequency", [
    pytest.param(3, False, 0, id="py3-protocol3"),
    pytest.param(3, False, 1, id="py3-protocol3-trimmed"),
    pytest.param(2, False, 0, id="py3-protocol2"),
    pytest.param(0, True, 0, id="py2-protocol0"),
    pytest.param(0, True, 1, id="py2-protocol0-trimmed"),
])
def test_restore_reads_files_tf1_saved(tmp_path, protocol, py2_str, min_frequency):
    data = tf1_pickle(_tf1_processor(min_frequency), protocol, py2_str)
    assert TF1_TEXT.encode() in data and TF1_VOCAB.encode() in data
    assert b"compat_learn" not in data
    if py2_str:  # Python 2 byte strings
        assert b"S'au'" in data
        assert min_frequency or b"S'caf\\xc3\\xa9'" in data
    path = tmp_path / "vocab.pickle"
    path.write_bytes(data)

    restored = VocabularyProcessor.restore(str(path))

    assert type(restored) is VocabularyProcessor
    assert type(restored.vocabulary_) is CategoricalVocabulary
    assert restored._tokenizer is text.tokenizer
    assert restored.max_document_length == 5
    ids = list(restored.transform(["café au lait", "au revoir"]))
    if min_frequency:  # "au" (3) then "lait" (2); the rest seen once
        assert [i.tolist() for i in ids] == [[0, 1, 2, 0, 0], [1, 0, 0, 0, 0]]
    else:  # first appearance: café, au, lait, revoir
        assert [i.tolist() for i in ids] == [[1, 2, 3, 0, 0], [2, 4, 0, 0, 0]]
    assert next(iter(restored.reverse([ids[0]]))).split()[0] == ("<UNK>" if min_frequency
                                                             else "café")


def test_tf1_fixture_needs_the_class_path_mapping():
    # The fixture references TF 1.x's modules, which do not exist on TF 2.15.
    from compat_learn import _alias

    data = tf1_pickle(_tf1_processor(0), 3)
    assert not _alias.is_installed()
    with pytest.raises(ModuleNotFoundError, match=r"tensorflow\.contrib"):
        pickle.loads(data)


def test_with_the_import_hook_plain_pickle_loads_tf1_files_too():
    from compat_learn import _alias

    data = tf1_pickle(_tf1_processor(0), 3)
    _alias.install()
    try:
        restored = pickle.loads(data)
    finally:
        _alias._uninstall_for_tests()
    assert type(restored) is VocabularyProcessor


@pytest.mark.parametrize("content, reason", [
    (b"word1\nword2\n", "it could not be unpickled"),
    (b"", "it could not be unpickled"),
    (pickle.dumps({"max_document_length": 3}), "it holds a builtins.dict object"),
    (pickle.dumps(CategoricalVocabulary()),
     "it holds a compat_learn.preprocessing.categorical_vocabulary.CategoricalVocabulary"),
])
def test_restore_of_a_file_that_is_not_a_vocabulary_processor_says_so(tmp_path, content,
                                                                     reason):
    path = tmp_path / "not_a_processor"
    path.write_bytes(content)
    with pytest.raises(ValueError) as info:
        VocabularyProcessor.restore(str(path))
    message = str(info.value)
    assert message.startswith(f"`{path}` is not a VocabularyProcessor file: {reason}")
    assert "VocabularyProcessor.save" in message


def test_restore_of_a_truncated_tf1_file_says_so(tmp_path):
    path = tmp_path / "truncated"
    path.write_bytes(tf1_pickle(_tf1_processor(0), 3)[:-20])
    with pytest.raises(ValueError, match="is not a VocabularyProcessor file: it could not"):
        VocabularyProcessor.restore(str(path))


def test_restore_of_a_missing_file_is_tensorflows_not_found_error(tmp_path):
    from compat_learn import _tf

    with pytest.raises(_tf.errors.NotFoundError):
        VocabularyProcessor.restore(str(tmp_path / "missing"))


# ---------------------------------------------------------------------------------------
# CategoricalVocabulary
# ---------------------------------------------------------------------------------------
def test_vocabulary_freeze_add_and_unknown_token():
    vocab = CategoricalVocabulary(unknown_token="?")
    assert [vocab.get(c) for c in ("b", "a", "b", "?")] == [1, 2, 1, 0]
    vocab.add("?")  # the unknown token is never counted
    vocab.add("a", 3)
    assert dict(vocab._freq) == {"a": 3}
    vocab.freeze()
    assert vocab.get("new") == 0 and len(vocab) == 3
    vocab.add("newer")
    assert len(vocab) == 3
    vocab.freeze(False)
    assert vocab.get("new") == 3


def test_trim_orders_by_count_then_value_and_drops_rare_and_too_frequent():
    vocab = CategoricalVocabulary()
    for value, count in (("x", 2), ("b", 5), (7, 2), ("a", 2), ("rare", 1), ("stop", 9)):
        vocab.add(value, count)
    vocab.trim(min_frequency=1, max_frequency=9)
    # counts: stop 9 (too frequent), b 5, then the 2s: 7 (ints first), a, x; rare dropped.
    assert [vocab.reverse(i) for i in range(len(vocab))] == ["<UNK>", "b", 7, "a", "x"]
    # r1.15 keeps the first n counts of the sorted list, the skipped "stop" included.
    assert vocab._freq == {"stop": 9, "b": 5, 7: 2, "a": 2}


def test_reverse_without_support_reverse_raises_r115_error():
    vocab = CategoricalVocabulary(support_reverse=False)
    vocab.get("a")
    with pytest.raises(ValueError) as info:
        vocab.reverse(1)
    assert str(info.value) == MSG_NO_REVERSE


# ---------------------------------------------------------------------------------------
# CategoricalProcessor
# ---------------------------------------------------------------------------------------
def test_categorical_processor_one_vocabulary_per_column_nan_is_unknown():
    x = [["a", 1.0], ["b", float("nan")], ["a", 2.0], ["c", np.float64("nan")]]
    proc = preprocessing.CategoricalProcessor()
    ids = [row.tolist() for row in proc.fit_transform(x)]
    assert ids == [[1, 1], [2, 0], [1, 2], [3, 0]]
    assert len(proc.vocabularies_) == 2
    assert next(iter(proc.transform([["z", 1.0]]))).tolist() == [0, 1]


def test_categorical_processor_shared_vocabulary_and_min_frequency():
    x = [["a", "b"], ["b", "c"], ["a", "a"]]
    shared = preprocessing.CategoricalProcessor(share=True)
    assert [r.tolist() for r in shared.fit_transform(x)] == [[1, 2], [2, 3], [1, 1]]
    assert shared.vocabularies_[0] is shared.vocabularies_[1]
    trimmed = preprocessing.CategoricalProcessor(min_frequency=1)
    # column 0: a twice, b once; column 1: all once.
    assert [r.tolist() for r in trimmed.fit_transform(x)] == [[1, 0], [0, 0], [1, 0]]


# ---------------------------------------------------------------------------------------
# ByteProcessor
# ---------------------------------------------------------------------------------------
def test_byte_processor_pads_cuts_and_reverses():
    bp = ByteProcessor(4)
    out = list(bp.fit_transform(["hé", b"abcdef", ""]))
    assert [o.tolist() for o in out] == [[104, 195, 169, 0], [97, 98, 99, 100], [0, 0, 0, 0]]
    assert all(o.dtype == np.uint8 for o in out)
    assert list(bp.reverse(out)) == ["hé", "abcd", ""]
    # A cut inside a UTF-8 sequence is not text: r1.15 gives ''.
    assert list(bp.reverse(list(ByteProcessor(2).transform(["hé"])))) == [""]
