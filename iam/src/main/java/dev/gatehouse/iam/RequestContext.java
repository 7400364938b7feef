package dev.gatehouse.iam;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a policy is evaluated against: the action ({@code execute-api:Invoke}), the resource ARN and the condition keys.
 *
 * <p>Condition keys are case-insensitive, as in IAM ({@code aws:userid} = {@code AWS:UserId}); each key has one or more
 * values ({@code cognito-identity.amazonaws.com:amr} has several). A key with no values is absent.
 *
 * <p>The resource must be passed exactly as the service canonicalises it: IAM matches the string as given and never
 * normalises paths, so {@code private/A/../B/x} is <em>not</em> {@code private/B/x} to the evaluator. A caller that
 * resolves {@code ..} or percent-escapes later than the policy check would open a traversal hole.
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html">Global condition keys</a>
 */
public final class RequestContext {

  private final String action;
  private final String resource;
  private final Map<String, List<String>> keys;

  private RequestContext(Builder builder) {
    this.action = builder.action;
    this.resource = builder.resource;
    this.keys = Collections.unmodifiableMap(new LinkedHashMap<>(builder.keys));
  }

  /** Starts a context for {@code action} (e.g. {@code execute-api:Invoke}) on {@code resource} (an ARN). */
  public static Builder builder(String action, String resource) {
    return new Builder(action, resource);
  }

  public String action() {
    return action;
  }

  public String resource() {
    return resource;
  }

  /** The values of {@code key} (case-insensitive); empty when the key is absent. */
  public List<String> values(String key) {
    return keys.getOrDefault(fold(key), List.of());
  }

  static String fold(String key) {
    return key.toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    // Keys only: values may be identifiers the caller does not want in logs.
    return "RequestContext[action=" + action + ", resource=" + resource + ", keys=" + keys.keySet() + "]";
  }

  /** The time keys of one second, formatted once: every request in that second carries the same values. */
  private record Second(long epochSecond, String iso, String epoch) {
  }

  private static volatile Second lastSecond = new Second(Long.MIN_VALUE, "", "");

  /** Builds a {@link RequestContext}. Later values for the same key (in any case) replace earlier ones. */
  public static final class Builder {
    private final String action;
    private final String resource;
    private final Map<String, List<String>> keys = new LinkedHashMap<>();

    private Builder(String action, String resource) {
      this.action = requireText(action, "action");
      this.resource = requireText(resource, "resource");
    }

    /** Sets a single-valued key. */
    public Builder put(String key, String value) {
      return put(key, List.of(Objects.requireNonNull(value, "value cannot be null")));
    }

    /** Sets a (possibly multi-valued) key; an empty list makes the key absent. */
    public Builder put(String key, List<String> values) {
      String folded = fold(requireText(key, "key"));
      List<String> copy = List.copyOf(Objects.requireNonNull(values, "values cannot be null"));
      if (copy.isEmpty()) {
        keys.remove(folded);
      } else {
        keys.put(folded, copy);
      }
      return this;
    }

    /** Sets {@code aws:CurrentTime} (ISO 8601, seconds) and {@code aws:EpochTime} from {@code now}. */
    public Builder currentTime(Instant now) {
      Instant seconds = Objects.requireNonNull(now, "now cannot be null").truncatedTo(ChronoUnit.SECONDS);
      Second last = lastSecond;
      if (last.epochSecond() != seconds.getEpochSecond()) {
        last = new Second(seconds.getEpochSecond(), DateTimeFormatter.ISO_INSTANT.format(seconds),
            Long.toString(seconds.getEpochSecond()));
        lastSecond = last;
      }
      put("aws:CurrentTime", last.iso());
      return put("aws:EpochTime", last.epoch());
    }

    public RequestContext build() {
      return new RequestContext(this);
    }

    private static String requireText(String value, String name) {
      Objects.requireNonNull(value, name + " cannot be null");
      if (value.isEmpty()) {
        throw new IllegalArgumentException(name + " cannot be empty");
      }
      return value;
    }
  }
}
