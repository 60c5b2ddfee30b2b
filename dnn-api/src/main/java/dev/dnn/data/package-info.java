/**
 * Data sets in memory and what is done to them before training: readers for IDX (MNIST,
 * Fashion-MNIST) and CSV files, the {@link dev.dnn.data.FashionMnist} loader, seeded shuffles and
 * train/dev/test splits ({@link dev.dnn.data.DataSplit}), feature scalers fitted on training data
 * ({@link dev.dnn.data.Standardizer}, {@link dev.dnn.data.MinMaxScaler}) and batch augmentations
 * ({@link dev.dnn.data.GaussianNoise}, {@link dev.dnn.data.PixelShift}). All randomness comes from
 * {@link dev.dnn.random.Philox}, so the same seed gives the same data on every machine.
 */
package dev.dnn.data;
