package dev.gatehouse.objects;

import dev.gatehouse.iam.Policy;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Who signed an S3 request, as the server's {@code CredentialResolver<ObjectCaller>} describes the access key.
 *
 * @param arn the caller's ARN (an assumed role's session, or the admin user), for messages and logs
 * @param policies the identity policies that decide every request
 * @param conditionKeys the caller's condition-key values, such as {@code cognito-identity.amazonaws.com:sub} and
 *     {@code aws:userid}; the endpoint adds the request's own keys ({@code aws:SourceIp}, {@code s3:prefix}…)
 */
public record ObjectCaller(String arn, List<Policy> policies, Map<String, List<String>> conditionKeys) {

    public ObjectCaller {
        Objects.requireNonNull(arn, "arn cannot be null");
        policies = List.copyOf(policies);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        conditionKeys.forEach((key, values) -> copy.put(key, List.copyOf(values)));
        conditionKeys = Collections.unmodifiableMap(copy);
    }

    /** A caller whose policy allows every action on every resource (the stack's admin key). */
    public static ObjectCaller administrator(String arn) {
        return new ObjectCaller(
                arn,
                List.of(Policy.parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Action\":\"*\",\"Resource\":\"*\"}]}")),
                Map.of());
    }
}
