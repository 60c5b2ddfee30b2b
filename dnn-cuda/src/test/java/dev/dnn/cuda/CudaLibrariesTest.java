package dev.dnn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file search behind the CUDA backend's "library not found" reasons, on folders laid out as
 * JavaCPP extracts its redist jars ({@code <cache>/<jar>/org/bytedeco/cuda/linux-x86_64/}).
 */
class CudaLibrariesTest {
  @TempDir Path cache;

  private Path extracted(String jar, String... libraries) throws Exception {
    Path dir = Files.createDirectories(cache.resolve(jar).resolve(CudaLibraries.JAVACPP_DIRECTORY));
    for (String library : libraries) {
      Files.write(dir.resolve(library), new byte[] {0x7f, 'E', 'L', 'F'});
    }
    return dir;
  }

  @Test
  void findsWhatTheRedistJarsExtract() throws Exception {
    Path runtime = extracted("cuda-13.1-9.19-1.5.13-linux-x86_64-redist.jar", "libcudart.so.13");
    Path blas =
        extracted(
            "cuda-13.1-9.19-1.5.13-linux-x86_64-redist-cublas.jar",
            "libcublas.so.13",
            "libcublasLt.so.13");
    List<Path> dirs = CudaLibraries.javacppCache(cache);
    assertEquals(2, dirs.size(), dirs.toString());
    CudaLibraries search = new CudaLibraries(dirs);
    assertEquals(runtime, search.find(CudaLibraries.CUDART));
    assertEquals(blas, search.find(CudaLibraries.CUBLAS));
    assertEquals(blas, search.find(CudaLibraries.CUBLAS_LT));
    assertEquals(
        "", search.missing(CudaLibraries.CUDART, CudaLibraries.CUBLAS, CudaLibraries.CUBLAS_LT));
  }

  @Test
  void withoutTheCublasJarTheReasonNamesItsArtifact() throws Exception {
    extracted("cuda-13.1-9.19-1.5.13-linux-x86_64-redist.jar", "libcudart.so.13");
    CudaLibraries search = new CudaLibraries(CudaLibraries.javacppCache(cache));
    assertNull(search.find(CudaLibraries.CUBLAS));
    String reason = search.missing(CudaLibraries.CUBLAS, CudaLibraries.CUBLAS_LT);
    assertTrue(reason.startsWith("libcublas.so.13, libcublasLt.so.13 is in none of"), reason);
    assertTrue(reason.contains(":linux-x86_64-redist-cublas"), reason);
    assertTrue(!reason.contains(":linux-x86_64-redist and"), "only the missing jar: " + reason);
  }

  @Test
  void aMissingCacheIsNoError() {
    assertTrue(CudaLibraries.javacppCache(cache.resolve("absent")).isEmpty());
  }
}
