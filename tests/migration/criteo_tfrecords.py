"""A Cloud ML Engine trainer of 2017 on preprocessed TFRecords (the cloudml-samples
criteo and census trainers): argparse flags, GZIP TFRecord shards of tf.train.Example
read by tf.contrib.learn.io.read_batch_features through a gzip_reader_fn, the label
popped from the parsed features, a DNNClassifier over hashed categorical embeddings
and integer counts, in an Experiment run by learn_runner.run(experiment_fn,
output_dir) with no train_steps: training ends when --num-epochs runs out.
The data (criteo_data/, written by the test) is synthetic. Run with --tf1.

Run twice on one output_dir: the second run reads the files --num-epochs times more
on from the first run's checkpoint, and exports again.
"""
from __future__ import absolute_import
from __future__ import division
from __future__ import print_function

import argparse
import json
import os

import tensorflow as tf
from tensorflow.contrib.learn.python.learn import learn_runner
from tensorflow.contrib.learn.python.learn.utils import input_fn_utils
from tensorflow.contrib.learn.python.learn.utils import saved_model_export_utils

INTEGER_FEATURES = ['int-feature-%d' % i for i in range(1, 4)]
CATEGORICAL_FEATURES = ['categorical-feature-%d' % i for i in range(4, 6)]
LABEL = 'clicked'

RESULT = {}
ESTIMATOR = []


def feature_columns(embedding_size):
  columns = [tf.contrib.layers.real_valued_column(name, dtype=tf.int64)
             for name in INTEGER_FEATURES]
  for name in CATEGORICAL_FEATURES:
    columns.append(tf.contrib.layers.embedding_column(
        tf.contrib.layers.sparse_column_with_hash_bucket(name, hash_bucket_size=100),
        dimension=embedding_size))
  return columns


def feature_spec(columns):
  spec = tf.contrib.layers.create_feature_spec_for_parsing(columns)
  spec[LABEL] = tf.FixedLenFeature(shape=[1], dtype=tf.int64)
  return spec


def gzip_reader_fn():
  return tf.TFRecordReader(options=tf.python_io.TFRecordOptions(
      compression_type=tf.python_io.TFRecordCompressionType.GZIP))


def generate_input_fn(file_pattern, columns, batch_size, num_epochs=None, shuffle=True):
  def _input_fn():
    features = tf.contrib.learn.io.read_batch_features(
        file_pattern,
        batch_size,
        features=feature_spec(columns),
        reader=gzip_reader_fn,
        randomize_input=shuffle,
        num_epochs=num_epochs,
        # one parsing thread keeps the files' order when evaluating and predicting
        num_enqueue_threads=2 if shuffle else 1)
    target = features.pop(LABEL)
    return features, target
  return _input_fn


def serving_input_fn(columns):
  spec = tf.contrib.layers.create_feature_spec_for_parsing(columns)
  return input_fn_utils.build_parsing_serving_input_fn(spec)


def get_experiment_fn(args):
  def experiment_fn(output_dir):
    columns = feature_columns(args.embedding_size)
    estimator = tf.contrib.learn.DNNClassifier(
        feature_columns=columns,
        hidden_units=[int(u) for u in args.hidden_units.split(',')],
        optimizer=tf.train.AdagradOptimizer(learning_rate=args.learning_rate),
        model_dir=output_dir,
        config=tf.contrib.learn.RunConfig(tf_random_seed=7))
    ESTIMATOR.append(estimator)
    return tf.contrib.learn.Experiment(
        estimator=estimator,
        train_input_fn=generate_input_fn(args.train_data_paths, columns,
                                         args.batch_size, num_epochs=args.num_epochs),
        eval_input_fn=generate_input_fn(args.eval_data_paths, columns,
                                        args.eval_batch_size, num_epochs=1, shuffle=False),
        train_steps=args.train_steps,
        eval_steps=args.eval_steps,
        min_eval_frequency=0,
        export_strategies=[saved_model_export_utils.make_export_strategy(
            serving_input_fn(columns), exports_to_keep=1,
            default_output_alternative_key=None)])
  return experiment_fn


def main():
  parser = argparse.ArgumentParser()
  parser.add_argument('--train_data_paths', type=str,
                      default='criteo_data/train-*.tfrecord.gz')
  parser.add_argument('--eval_data_paths', type=str,
                      default='criteo_data/eval-*.tfrecord.gz')
  parser.add_argument('--output_dir', type=str, required=True)
  parser.add_argument('--train_steps', type=int, default=None)
  parser.add_argument('--eval_steps', type=int, default=None)
  parser.add_argument('--num_epochs', type=int, default=3)
  parser.add_argument('--batch_size', type=int, default=32)
  parser.add_argument('--eval_batch_size', type=int, default=25)
  parser.add_argument('--embedding_size', type=int, default=4)
  parser.add_argument('--hidden_units', type=str, default='16,8')
  parser.add_argument('--learning_rate', type=float, default=0.3)
  args = parser.parse_args()

  tf.logging.set_verbosity(tf.logging.WARN)
  eval_result, export_results = learn_runner.run(get_experiment_fn(args), args.output_dir)

  estimator = ESTIMATOR[-1]
  columns = feature_columns(args.embedding_size)
  classes = estimator.predict_classes(input_fn=generate_input_fn(
      args.eval_data_paths, columns, args.eval_batch_size, num_epochs=1, shuffle=False))
  RESULT.update({
      'global_step': int(eval_result['global_step']),
      'accuracy': float(eval_result['accuracy']),
      'loss': float(eval_result['loss']),
      'predicted_classes': [int(c) for c in classes],
      'exports': [os.path.relpath(p.decode() if isinstance(p, bytes) else p, args.output_dir)
                  for p in export_results],
  })
  print('RESULT ' + json.dumps(RESULT))


if __name__ == '__main__':
  main()
