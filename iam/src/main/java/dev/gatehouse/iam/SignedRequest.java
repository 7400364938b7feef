package dev.gatehouse.iam;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP request whose SigV4 signature has not been checked yet. Nothing in it is trusted.
 *
 * @param method HTTP method as sent, such as {@code POST}
 * @param rawPath the path exactly as sent, still percent-encoded; empty means {@code /}
 * @param rawQuery the query string as sent, without {@code ?}; empty when absent
 * @param headers header names (lower-cased here if they are not already) to their values in arrival order
 * @param body the whole request body; empty when there is none
 */
public record SignedRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {

  public SignedRequest {
    Objects.requireNonNull(method, "method cannot be null");
    Objects.requireNonNull(rawPath, "rawPath cannot be null");
    Objects.requireNonNull(rawQuery, "rawQuery cannot be null");
    Objects.requireNonNull(headers, "headers cannot be null");
    Objects.requireNonNull(body, "body cannot be null");
    headers = lowerCaseNames(headers);
  }

  /** All values of a header, in arrival order; empty when the header is absent. */
  public List<String> headerValues(String name) {
    return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
  }

  /** The first value of a header. */
  public Optional<String> header(String name) {
    return Optional.ofNullable(first(name.toLowerCase(Locale.ROOT)));
  }

  /** The first value of the header {@code lowerCaseName} (already lower case), or null: the verifier's hot path. */
  @Nullable String first(String lowerCaseName) {
    List<String> values = headers.get(lowerCaseName);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** All values of the header {@code lowerCaseName} (already lower case); empty when absent. */
  List<String> values(String lowerCaseName) {
    return headers.getOrDefault(lowerCaseName, List.of());
  }

  private static Map<String, List<String>> lowerCaseNames(Map<String, List<String>> headers) {
    if (allLowerCase(headers)) {
      // The usual case (the gateway lower-cases names already): one copy, values shared when already immutable.
      Map<String, List<String>> copy = new LinkedHashMap<>(capacity(headers.size()));
      for (Map.Entry<String, List<String>> header : headers.entrySet()) {
        copy.put(header.getKey(), List.copyOf(header.getValue()));
      }
      return Collections.unmodifiableMap(copy);
    }
    Map<String, List<String>> merged = new LinkedHashMap<>();
    headers.forEach((name, values) ->
        merged.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).addAll(values));
    Map<String, List<String>> copy = new LinkedHashMap<>();
    merged.forEach((name, values) -> copy.put(name, List.copyOf(values)));
    return Collections.unmodifiableMap(copy);
  }

  /** No name would change under {@code toLowerCase(Locale.ROOT)}, so no two names merge. */
  private static boolean allLowerCase(Map<String, List<String>> headers) {
    for (String name : headers.keySet()) {
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        if ((c >= 'A' && c <= 'Z') || c >= 0x80) {
          return false;
        }
      }
    }
    return true;
  }

  private static int capacity(int entries) {
    return entries * 4 / 3 + 1;
  }
}
