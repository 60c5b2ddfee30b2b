package dev.dnn.cuda;

import org.bytedeco.javacpp.FloatPointer;

/** A JavaCPP view of a device address, for runtime and cuBLAS calls that take a float pointer. */
final class DevicePointer extends FloatPointer {
  DevicePointer(long address) {
    super((FloatPointer) null);
    this.address = address;
  }
}
