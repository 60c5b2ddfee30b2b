package dev.dnn.cuda;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Looks for the CUDA 13 runtime and cuBLAS libraries as files, before anything native is loaded, so
 * that a failure can say which library is missing, where it was looked for and which artifact
 * provides it. JavaCPP's redist jars carry them under {@value #JAVACPP_DIRECTORY} and JavaCPP
 * extracts them into its cache ({@code ~/.javacpp/cache/<jar>/}) on first use.
 */
final class CudaLibraries {
  /** Where JavaCPP's CUDA redist jars keep the libraries, inside the jar and in its cache. */
  static final String JAVACPP_DIRECTORY = "org/bytedeco/cuda/linux-x86_64";

  /** A library the backend needs, and the artifact that ships it for a driver-only machine. */
  record Library(String file, String artifact) {}

  static final Library CUDART =
      new Library(
          "libcudart.so.13", "org.bytedeco:cuda:" + presetVersion() + ":linux-x86_64-redist");
  static final Library CUBLAS =
      new Library(
          "libcublas.so.13",
          "org.bytedeco:cuda:" + presetVersion() + ":linux-x86_64-redist-cublas");
  static final Library CUBLAS_LT =
      new Library(
          "libcublasLt.so.13",
          "org.bytedeco:cuda:" + presetVersion() + ":linux-x86_64-redist-cublas");

  private final List<Path> directories;

  CudaLibraries(List<Path> directories) {
    this.directories = List.copyOf(directories);
  }

  /**
   * The places this machine would provide the libraries: {@code LD_LIBRARY_PATH}, {@code
   * CUDA_HOME}'s and {@code /usr/local/cuda}'s {@code lib64}, the system library directories, and
   * JavaCPP's cache of extracted jars.
   */
  static CudaLibraries onThisMachine() {
    Set<Path> dirs = new LinkedHashSet<>();
    String libraryPath = System.getenv("LD_LIBRARY_PATH");
    if (libraryPath != null) {
      for (String dir : libraryPath.split(File.pathSeparator)) {
        if (!dir.isEmpty()) {
          dirs.add(Path.of(dir));
        }
      }
    }
    String cudaHome = System.getenv("CUDA_HOME");
    if (cudaHome != null && !cudaHome.isEmpty()) {
      dirs.add(Path.of(cudaHome, "lib64"));
    }
    dirs.add(Path.of("/usr/local/cuda/lib64"));
    dirs.add(Path.of("/usr/lib/x86_64-linux-gnu"));
    dirs.add(Path.of("/usr/lib64"));
    dirs.addAll(javacppCache(javacppCacheRoot()));
    return new CudaLibraries(new ArrayList<>(dirs));
  }

  /**
   * JavaCPP's cache directory: its {@code org.bytedeco.javacpp.cachedir} property, else the home.
   */
  static Path javacppCacheRoot() {
    String configured = System.getProperty("org.bytedeco.javacpp.cachedir");
    return configured != null
        ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".javacpp", "cache");
  }

  /** Every {@value #JAVACPP_DIRECTORY} folder JavaCPP extracted a jar into under {@code root}. */
  static List<Path> javacppCache(Path root) {
    List<Path> found = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return found;
    }
    try (Stream<Path> jars = Files.list(root)) {
      jars.map(jar -> jar.resolve(JAVACPP_DIRECTORY))
          .filter(Files::isDirectory)
          .forEach(found::add);
    } catch (java.io.IOException e) {
      // An unreadable cache holds nothing we can use; the search goes on elsewhere.
    }
    return found;
  }

  /** The directory holding {@code library}, if any place of the search has it. */
  Path find(Library library) {
    for (Path dir : directories) {
      if (Files.isRegularFile(dir.resolve(library.file()))) {
        return dir;
      }
    }
    if (CudaLibraries.class.getResource("/" + JAVACPP_DIRECTORY + "/" + library.file()) != null) {
      return Path.of("classpath:/" + JAVACPP_DIRECTORY);
    }
    return null;
  }

  /**
   * Why {@code libraries} cannot be loaded, if one is missing from every place: the file, the
   * places, and the artifact to add; empty when all were found (the load may still fail, for
   * example on a version mismatch).
   */
  String missing(Library... libraries) {
    List<String> absent = new ArrayList<>();
    Set<String> artifacts = new LinkedHashSet<>();
    for (Library library : libraries) {
      if (find(library) == null) {
        absent.add(library.file());
        artifacts.add(library.artifact());
      }
    }
    if (absent.isEmpty()) {
      return "";
    }
    return String.join(", ", absent)
        + " is in none of "
        + (directories.isEmpty() ? "(no directories)" : directories)
        + " nor on the class path; on a machine with only the NVIDIA driver add "
        + String.join(" and ", artifacts)
        + " (the cuda-redist profile of dnn-cli does), or install the CUDA 13 toolkit";
  }

  private static String presetVersion() {
    // The class literal reads the jar's manifest without initializing the class (nothing native).
    Package p = org.bytedeco.cuda.global.cudart.class.getPackage();
    String version = p == null ? null : p.getImplementationVersion();
    return version != null ? version : "13.1-9.19-1.5.13";
  }
}
