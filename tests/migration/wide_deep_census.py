"""Wide & deep on census-like data (the TF 1.0-1.2 "TensorFlow Wide & Deep Learning"
tutorial and the Cloud ML census sample): sparse_column_with_keys / _with_hash_bucket,
bucketized_column, crossed_column, embedding_column, a DNNLinearCombinedClassifier,
an input_fn of tf.constant and tf.SparseTensor features, inside an Experiment run by
learn_runner.run(experiment_fn, output_dir) with a parsing export strategy.
The census rows are synthetic (the income bracket follows education and hours).
Run with --tf1.

Run twice on one output_dir with a larger --train_steps: the second run trains on from
the first run's checkpoint and exports again.
"""
from __future__ import absolute_import
from __future__ import division
from __future__ import print_function

import json
import os

import numpy as np
import tensorflow as tf
from tensorflow.contrib.learn.python.learn import learn_runner
from tensorflow.contrib.learn.python.learn.utils import input_fn_utils
from tensorflow.contrib.learn.python.learn.utils import saved_model_export_utils

flags = tf.app.flags
FLAGS = flags.FLAGS

flags.DEFINE_string("output_dir", "", "Base directory for output models.")
flags.DEFINE_string("model_type", "wide_n_deep",
                    "Valid model types: {'wide', 'deep', 'wide_n_deep'}.")
flags.DEFINE_integer("train_steps", 30, "Number of training steps.")

CATEGORICAL_COLUMNS = ["workclass", "education", "relationship", "gender", "native_country"]
CONTINUOUS_COLUMNS = ["age", "education_num", "hours_per_week"]
LABEL_COLUMN = "label"

EDUCATION = ["HS-grad", "Some-college", "Bachelors", "Masters", "Doctorate"]
WORKCLASS = ["Private", "Self-emp", "Federal-gov", "Local-gov"]
RELATIONSHIP = ["Husband", "Wife", "Own-child", "Not-in-family"]
COUNTRY = ["United-States", "Mexico", "India", "Germany"]

ESTIMATOR = []


def make_census(n, seed):
    rng = np.random.RandomState(seed)
    education_num = rng.randint(0, len(EDUCATION), n)
    hours = rng.randint(20, 61, n)
    df = {
        "age": rng.randint(17, 80, n).astype(np.int64),
        "education_num": (9 + 2 * education_num).astype(np.int64),
        "hours_per_week": hours.astype(np.int64),
        "education": np.array(EDUCATION)[education_num],
        "workclass": np.array(WORKCLASS)[rng.randint(0, 4, n)],
        "relationship": np.array(RELATIONSHIP)[rng.randint(0, 4, n)],
        "gender": np.array(["Female", "Male"])[rng.randint(0, 2, n)],
        "native_country": np.array(COUNTRY)[rng.randint(0, 4, n)],
    }
    df[LABEL_COLUMN] = (education_num * 10 + hours > 65).astype(np.int64)
    return df


def build_estimator(model_dir, config=None):
    """Build an estimator."""
    # Sparse base columns.
    gender = tf.contrib.layers.sparse_column_with_keys(column_name="gender",
                                                       keys=["Female", "Male"])
    education = tf.contrib.layers.sparse_column_with_hash_bucket(
        "education", hash_bucket_size=1000)
    relationship = tf.contrib.layers.sparse_column_with_hash_bucket(
        "relationship", hash_bucket_size=100)
    workclass = tf.contrib.layers.sparse_column_with_hash_bucket(
        "workclass", hash_bucket_size=100)
    native_country = tf.contrib.layers.sparse_column_with_hash_bucket(
        "native_country", hash_bucket_size=1000)

    # Continuous base columns.
    age = tf.contrib.layers.real_valued_column("age")
    education_num = tf.contrib.layers.real_valued_column("education_num")
    hours_per_week = tf.contrib.layers.real_valued_column("hours_per_week")

    # Transformations.
    age_buckets = tf.contrib.layers.bucketized_column(
        age, boundaries=[18, 25, 30, 35, 40, 45, 50, 55, 60, 65])

    # Wide columns and deep columns.
    wide_columns = [gender, native_country, education, workclass, relationship, age_buckets,
                    tf.contrib.layers.crossed_column([education, workclass],
                                                     hash_bucket_size=int(1e4)),
                    tf.contrib.layers.crossed_column([age_buckets, education, workclass],
                                                     hash_bucket_size=int(1e4)),
                    tf.contrib.layers.crossed_column([native_country, workclass],
                                                     hash_bucket_size=int(1e4))]
    deep_columns = [
        tf.contrib.layers.embedding_column(workclass, dimension=8),
        tf.contrib.layers.embedding_column(education, dimension=8),
        tf.contrib.layers.embedding_column(gender, dimension=8),
        tf.contrib.layers.embedding_column(relationship, dimension=8),
        tf.contrib.layers.embedding_column(native_country, dimension=8),
        age,
        education_num,
        hours_per_week,
    ]

    if FLAGS.model_type == "wide":
        m = tf.contrib.learn.LinearClassifier(model_dir=model_dir,
                                              feature_columns=wide_columns, config=config)
    elif FLAGS.model_type == "deep":
        m = tf.contrib.learn.DNNClassifier(model_dir=model_dir, feature_columns=deep_columns,
                                           hidden_units=[100, 50], config=config)
    else:
        m = tf.contrib.learn.DNNLinearCombinedClassifier(
            model_dir=model_dir,
            linear_feature_columns=wide_columns,
            dnn_feature_columns=deep_columns,
            dnn_hidden_units=[100, 50],
            config=config)
    return m, wide_columns + deep_columns


def input_fn(df):
    """Input builder function."""
    # Creates a dictionary mapping from each continuous feature column name (k) to
    # the values of that column stored in a constant Tensor.
    continuous_cols = {k: tf.constant(df[k]) for k in CONTINUOUS_COLUMNS}
    # Creates a dictionary mapping from each categorical feature column name (k)
    # to the values of that column stored in a tf.SparseTensor.
    categorical_cols = {
        k: tf.SparseTensor(
            indices=[[i, 0] for i in range(df[k].size)],
            values=df[k],
            dense_shape=[df[k].size, 1])
        for k in CATEGORICAL_COLUMNS}
    # Merges the two dictionaries into one.
    feature_cols = dict(continuous_cols)
    feature_cols.update(categorical_cols)
    # Converts the label column into a constant Tensor.
    label = tf.constant(df[LABEL_COLUMN])
    # Returns the feature columns and the label.
    return feature_cols, label


def experiment_fn(output_dir):
    df_train = make_census(300, seed=0)
    df_test = make_census(100, seed=1)
    m, feature_columns = build_estimator(output_dir)
    ESTIMATOR.append((m, df_test))
    feature_spec = tf.contrib.layers.create_feature_spec_for_parsing(feature_columns)
    serving_input_fn = input_fn_utils.build_parsing_serving_input_fn(feature_spec)
    return tf.contrib.learn.Experiment(
        m,
        train_input_fn=lambda: input_fn(df_train),
        eval_input_fn=lambda: input_fn(df_test),
        train_steps=FLAGS.train_steps,
        eval_steps=1,
        export_strategies=[saved_model_export_utils.make_export_strategy(
            serving_input_fn, default_output_alternative_key=None, exports_to_keep=5)])


def to_example(df, i):
    feature = {k: tf.train.Feature(float_list=tf.train.FloatList(value=[df[k][i]]))
               for k in CONTINUOUS_COLUMNS}
    feature.update({k: tf.train.Feature(bytes_list=tf.train.BytesList(
        value=[df[k][i].encode()])) for k in CATEGORICAL_COLUMNS})
    return tf.train.Example(features=tf.train.Features(feature=feature))


def serve(export_dir, df, n):
    """Scores of the first n rows from the exported model, fed tf.Examples."""
    with tf.Graph().as_default(), tf.Session() as sess:
        meta_graph = tf.saved_model.loader.load(
            sess, [tf.saved_model.tag_constants.SERVING], export_dir)
        signature = meta_graph.signature_def["serving_default"]
        serialized = [to_example(df, i).SerializeToString() for i in range(n)]
        return sess.run(signature.outputs["scores"].name,
                        {signature.inputs["inputs"].name: serialized})


def main(_):
    eval_result, export_results = learn_runner.run(experiment_fn, FLAGS.output_dir)
    m, df_test = ESTIMATOR[-1]
    classes = list(m.predict_classes(input_fn=lambda: input_fn(df_test)))
    served = serve(export_results[-1], df_test, 10)
    probabilities = list(m.predict_proba(input_fn=lambda: input_fn(df_test)))[:10]
    print("RESULT " + json.dumps({
        "global_step": int(eval_result["global_step"]),
        "accuracy": float(eval_result["accuracy"]),
        "eval_keys": sorted(eval_result),
        "test_classes": [int(c) for c in classes],
        "test_labels": [int(v) for v in df_test[LABEL_COLUMN]],
        "served_scores": served.tolist(),
        "probabilities": [[float(p) for p in row] for row in probabilities],
        "exports": [os.path.relpath(p.decode() if isinstance(p, bytes) else p, FLAGS.output_dir)
                    for p in export_results],
    }))


if __name__ == "__main__":
    tf.app.run()
