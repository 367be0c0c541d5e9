"""`tf.contrib.learn.preprocessing` text tools: VocabularyProcessor, ByteProcessor.

Replaces ``tensorflow.contrib.learn.python.learn.preprocessing.text`` (r1.15): the
regex `tokenizer`, `ByteProcessor` and `VocabularyProcessor` with r1.15's ids,
padding, `reverse` and pickle files. `VocabularyProcessor.restore` reads the files
that TF 1.x saved: their class paths (``tensorflow.contrib.learn.python.learn.
preprocessing.text.VocabularyProcessor`` ...) are mapped to compat_learn's, with or
without the import hook. Native TF2 replacement: ``tf.keras.layers.TextVectorization``.
"""

import io
import pickle
import re

import numpy as np

from compat_learn import _contrib_table, _deprecation
from compat_learn.preprocessing.categorical_vocabulary import CategoricalVocabulary

__all__ = [
    "TOKENIZER_RE",
    "ByteProcessor",
    "CategoricalVocabulary",
    "VocabularyProcessor",
    "tokenizer",
]

_REPLACEMENT = "tf.keras.layers.TextVectorization"

# r1.15's word regex: runs of 2+ capitals not followed by a lower-case letter, a
# capitalised word followed by a capital (CamelCase split), or word characters with
# apostrophes and hyphens.
TOKENIZER_RE = re.compile(r"[A-Z]{2,}(?![a-z])|[A-Z][a-z]+(?=[A-Z])|[\'\w\-]+", re.UNICODE)

MSG_NOT_A_PROCESSOR = (
    "`{filename}` is not a VocabularyProcessor file: {reason}. Pass a file written by "
    "VocabularyProcessor.save (TF 1.x's or compat_learn's).")


def _gfile():
    from compat_learn import _tf

    return _tf.gfile


def tokenizer(iterator):
    """Splits each string of `iterator` into words with `TOKENIZER_RE`.

    Args:
      iterator: strings.

    Returns:
      A generator of one list of tokens per string (r1.15's tokenizer generator).
    """
    _deprecation.warn_deprecated("tf.contrib.learn.preprocessing.tokenizer", _REPLACEMENT)
    return (TOKENIZER_RE.findall(value) for value in iterator)


class ByteProcessor:
    """Maps documents to fixed-length arrays of their UTF-8 bytes.

    Replaces ``tf.contrib.learn.preprocessing.ByteProcessor``. Native TF2 replacement:
    ``tf.strings.bytes_split`` / ``tf.io.decode_raw``.

    Args:
      max_document_length: length of every output array: longer documents are cut,
        shorter ones padded with 0.
    """

    def __init__(self, max_document_length):
        _deprecation.warn_deprecated("tf.contrib.learn.preprocessing.ByteProcessor",
                                     "tf.strings.bytes_split or tf.io.decode_raw")
        self.max_document_length = max_document_length

    def fit(self, x):
        """Does nothing: there is nothing to learn."""

    def fit_transform(self, x):
        """Same as `transform`."""
        return self.transform(x)

    def reverse(self, x):
        """Turns arrays of byte ids back into strings.

        Args:
          x: arrays of byte ids (rows of a `transform` output).

        Yields:
          The UTF-8 text of each array without its trailing zeros; ``''`` for bytes
          that are not UTF-8 (r1.15).
        """
        for data in x:
            document = np.trim_zeros(data.astype(np.int8), trim="b").tobytes()
            try:
                yield document.decode("utf-8")
            except UnicodeDecodeError:
                yield ""

    def transform(self, x):
        """Maps documents (bytes, or strings encoded as UTF-8) to arrays of byte ids.

        Args:
          x: documents.

        Yields:
          One ``uint8`` array of length ``max_document_length`` per document.
        """
        for document in x:
            if isinstance(document, str):
                document = document.encode("utf-8")
            buff = np.frombuffer(memoryview(document)[:self.max_document_length], dtype=np.uint8)
            yield np.pad(buff, (0, self.max_document_length - len(buff)), "constant")


class VocabularyProcessor:
    """Maps documents to fixed-length sequences of word ids.

    Replaces ``tf.contrib.learn.preprocessing.VocabularyProcessor``. Native TF2
    replacement: ``tf.keras.layers.TextVectorization(output_sequence_length=...)``.

    Word ids come from `vocabulary_` (a `CategoricalVocabulary`): 0 is the unknown
    word and the padding, ids start at 1 in order of first appearance, or by
    frequency when `min_frequency` trims the vocabulary.

    Args:
      max_document_length: length of every output sequence: longer documents are
        cut, shorter ones padded with 0.
      min_frequency: words seen this many times or fewer in `fit` are dropped.
      vocabulary: a `CategoricalVocabulary` to use (and extend in `fit`).
      tokenizer_fn: a function from an iterable of documents to an iterable of token
        lists; default `tokenizer`.

    Attributes:
      vocabulary_: the `CategoricalVocabulary`.
    """

    def __init__(self, max_document_length, min_frequency=0, vocabulary=None,
                 tokenizer_fn=None):
        _deprecation.warn_deprecated("tf.contrib.learn.preprocessing.VocabularyProcessor",
                                     _REPLACEMENT)
        self.max_document_length = max_document_length
        self.min_frequency = min_frequency
        if vocabulary:
            self.vocabulary_ = vocabulary
        else:
            self.vocabulary_ = CategoricalVocabulary()
        if tokenizer_fn:
            self._tokenizer = tokenizer_fn
        else:
            self._tokenizer = tokenizer

    def fit(self, raw_documents, unused_y=None):
        """Learns the vocabulary of `raw_documents`, then freezes it.

        Args:
          raw_documents: an iterable of strings.
          unused_y: ignored (estimator-style signature).

        Returns:
          self.
        """
        for tokens in self._tokenizer(raw_documents):
            for token in tokens:
                self.vocabulary_.add(token)
        if self.min_frequency > 0:
            self.vocabulary_.trim(self.min_frequency)
        self.vocabulary_.freeze()
        return self

    def fit_transform(self, raw_documents, unused_y=None):
        """`fit`, then `transform` of the same documents.

        As in r1.15 the documents are read twice: pass a list, not a one-shot
        iterator.

        Returns:
          A generator of ``int64`` arrays of length ``max_document_length``.
        """
        self.fit(raw_documents)
        return self.transform(raw_documents)

    def transform(self, raw_documents):
        """Maps documents to word-id sequences with the current vocabulary.

        Args:
          raw_documents: an iterable of strings.

        Yields:
          One ``int64`` array of length ``max_document_length`` per document; unknown
          words and padding are 0.
        """
        for tokens in self._tokenizer(raw_documents):
            word_ids = np.zeros(self.max_document_length, np.int64)
            for idx, token in enumerate(tokens):
                if idx >= self.max_document_length:
                    break
                word_ids[idx] = self.vocabulary_.get(token)
            yield word_ids

    def reverse(self, documents):
        """Maps word-id sequences back to space-separated words.

        Args:
          documents: an iterable of id sequences.

        Yields:
          One string per sequence; 0 (padding included) becomes ``<UNK>``.
        """
        for item in documents:
            yield " ".join(self.vocabulary_.reverse(class_id) for class_id in item)

    def save(self, filename):
        """Pickles this processor into `filename` (any path tf.io.gfile writes).

        The pickle is made before the file is opened, so a processor that cannot be
        pickled (a lambda `tokenizer_fn`) leaves no empty file behind.

        Args:
          filename: the path to write.
        """
        data = pickle.dumps(self)
        with _gfile().GFile(filename, "wb") as f:
            f.write(data)

    @classmethod
    def restore(cls, filename):
        """Loads a processor that `save` wrote, in TF 1.x or in compat_learn.

        TF 1.x's class paths under ``tensorflow.contrib.learn.python.learn`` resolve
        to compat_learn's classes; Python 2 byte strings are read as UTF-8. Like any
        pickle, only restore files you trust.

        Args:
          filename: the path to read.

        Returns:
          The `VocabularyProcessor`.

        Raises:
          tf.errors.NotFoundError: if `filename` does not exist (as r1.15's gfile).
          ValueError: if the file does not hold a pickled `VocabularyProcessor`.
        """
        with _gfile().GFile(filename, "rb") as f:
            data = f.read()
        try:
            try:
                processor = _loads(data, "utf-8")
            except UnicodeDecodeError:
                # A Python 2 pickle whose byte strings are not UTF-8.
                processor = _loads(data, "latin1")
        except Exception as exc:
            raise ValueError(MSG_NOT_A_PROCESSOR.format(
                filename=filename, reason=f"it could not be unpickled ({exc!r})")) from exc
        if not isinstance(processor, VocabularyProcessor):
            raise ValueError(MSG_NOT_A_PROCESSOR.format(
                filename=filename,
                reason=f"it holds a {type(processor).__module__}."
                       f"{type(processor).__qualname__} object"))
        return processor


class _ContribUnpickler(pickle.Unpickler):
    """Unpickler that reads TF 1.x's contrib class paths as compat_learn's.

    A module path the contrib table serves (``tensorflow.contrib.learn.python.learn.
    preprocessing.text`` -> ``compat_learn.preprocessing.text``) is looked up in its
    compat_learn module; Python 2's ``copy_reg`` / ``__builtin__`` are mapped by
    pickle itself.
    """

    def find_class(self, module, name):
        row = _contrib_table.module_row(module)
        if row is not None and row.targets:
            module = row.targets[0]
        return super().find_class(module, name)


def _loads(data, encoding):
    return _ContribUnpickler(io.BytesIO(data), encoding=encoding).load()

