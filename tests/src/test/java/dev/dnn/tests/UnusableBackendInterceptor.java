package dev.dnn.tests;

import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Method;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * Turns an invocation of a parameterized test whose arguments hold the stand-in of an unusable
 * backend ({@link TestBackends#all}) into a skip that carries the provider's reason, so that the
 * report shows it; where the run must exercise that backend ({@code -Ddnn.requireGpu=true}, or
 * {@code -Ddnn.test.backends} naming it) into a failure with the same reason. The test body never
 * runs. Registered for every test class of this module by JUnit's extension autodetection
 * (src/test/resources/junit-platform.properties and META-INF/services).
 */
public final class UnusableBackendInterceptor implements InvocationInterceptor {
  /** For JUnit's service loading. */
  public UnusableBackendInterceptor() {}

  @Override
  public void interceptTestTemplateMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext extensionContext)
      throws Throwable {
    for (Object argument : invocationContext.getArguments()) {
      TestBackends.Unusable unusable = TestBackends.unusableReason(argument);
      if (unusable != null) {
        invocation.skip();
        if (unusable.required() != null) {
          fail(unusable.message());
        }
        Assumptions.abort(unusable.message());
      }
    }
    invocation.proceed();
  }
}
