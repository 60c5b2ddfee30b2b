/** Weight initialization schemes, drawn on the host from Philox so every backend agrees. */
package dev.dnn.init;
