/**
 * The names of the library's closed sets of options (activations, initializers, losses,
 * optimizers), kept once, next to the options themselves, for the command line, model files and
 * architecture JSON to share.
 */
package dev.dnn.names;
