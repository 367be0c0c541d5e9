"""`tf.contrib.learn.preprocessing`: vocabularies and text/categorical processors.

Replaces ``tensorflow.contrib.learn.python.learn.preprocessing`` (r1.15), whose
``__init__`` star-imported ``categorical`` and ``text``. Native TF2 replacement:
``tf.keras.layers.TextVectorization`` / ``StringLookup``.
"""

from compat_learn.preprocessing import categorical, categorical_vocabulary, text
from compat_learn.preprocessing.categorical import CategoricalProcessor
from compat_learn.preprocessing.categorical_vocabulary import CategoricalVocabulary
from compat_learn.preprocessing.text import (
    TOKENIZER_RE,
    ByteProcessor,
    VocabularyProcessor,
    tokenizer,
)

__all__ = [
    "TOKENIZER_RE",
    "ByteProcessor",
    "CategoricalProcessor",
    "CategoricalVocabulary",
    "VocabularyProcessor",
    "categorical",
    "categorical_vocabulary",
    "text",
    "tokenizer",
]
