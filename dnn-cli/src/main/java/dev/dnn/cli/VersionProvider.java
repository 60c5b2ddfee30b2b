package dev.dnn.cli;

import picocli.CommandLine.IVersionProvider;

/**
 * The version from the jar manifest, or {@code development} when run from classes.
 *
 * <p>Holds no state: safe to use from any thread.
 */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = DnnCommand.class.getPackage().getImplementationVersion();
    return new String[] {
      "dnn " + (version == null ? "development" : version),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
    };
  }
}
