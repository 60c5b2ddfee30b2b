/**
 * Not API: the numbering of the Philox streams that keeps the library's uses of one seed apart
 * (weights, shuffles, dropout, augmentation, splits), exported to no module.
 */
package dev.dnn.internal.random;
