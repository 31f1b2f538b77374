package io.tinyscale.app.http;

import io.quarkus.arc.Arc;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.inject.Singleton;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The {@code Allow} header of a 405: the methods the REST resources declare for a path. Quarkus
 * REST answers 405 without one; this reads the same annotations its router was built from, once.
 */
@Singleton
class AllowedMethods {
  private record Operation(Pattern path, String method) {}

  private volatile List<Operation> operations;

  /** E.g. {@code "GET, HEAD, OPTIONS, PATCH"}; null when no resource declares the path. */
  String forPath(String path) {
    Set<String> methods = new TreeSet<>();
    for (Operation op : operations()) {
      if (op.path().matcher(path).matches()) {
        methods.add(op.method());
      }
    }
    if (methods.isEmpty()) {
      return null;
    }
    if (methods.contains("GET")) {
      methods.add("HEAD");
    }
    methods.add("OPTIONS");
    return String.join(", ", methods);
  }

  private List<Operation> operations() {
    List<Operation> known = operations;
    if (known == null) {
      known = new ArrayList<>();
      for (Bean<?> bean :
          Arc.container().beanManager().getBeans(Object.class, Any.Literal.INSTANCE)) {
        Class<?> type = bean.getBeanClass();
        Path root = type.getAnnotation(Path.class);
        if (root == null) {
          continue;
        }
        for (Method m : type.getMethods()) {
          String verb = httpMethod(m);
          if (verb != null) {
            Path sub = m.getAnnotation(Path.class);
            known.add(
                new Operation(
                    template(root.value() + (sub == null ? "" : "/" + sub.value())), verb));
          }
        }
      }
      operations = known;
    }
    return known;
  }

  private static String httpMethod(Method m) {
    for (Annotation a : m.getAnnotations()) {
      HttpMethod verb = a.annotationType().getAnnotation(HttpMethod.class);
      if (verb != null) {
        return verb.value();
      }
    }
    return null;
  }

  /** {@code /api/links/{code}} → a pattern with one segment in place of each parameter. */
  private static Pattern template(String path) {
    String normalised = ("/" + path).replaceAll("/+", "/").replaceAll("(.)/$", "$1");
    StringBuilder regex = new StringBuilder();
    for (String part : normalised.split("(?=\\{)|(?<=\\})")) {
      regex.append(part.startsWith("{") ? "[^/]+" : Pattern.quote(part));
    }
    return Pattern.compile(regex + "/?");
  }
}
