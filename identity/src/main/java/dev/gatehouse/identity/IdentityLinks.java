package dev.gatehouse.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.identity.IdentityRepository.Identity;
import dev.gatehouse.identity.IdentityRepository.Link;
import dev.gatehouse.protocol.AwsError;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.protocol.AwsJsonService;
import dev.gatehouse.protocol.InputShapes;
import dev.gatehouse.protocol.Operation;
import dev.gatehouse.protocol.ServiceException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The logins linked to identities, changed after the fact: LookupDeveloperIdentity, MergeDeveloperIdentities,
 * UnlinkDeveloperIdentity, DeleteIdentities (SigV4) and UnlinkIdentity (proven by the caller's own Logins).
 * <ul>
 *   <li>A merge moves every login of the source user's identity onto the destination user's identity and deletes the
 *       source identity; two identities linked to different users of one public provider are not merged
 *       ({@code ResourceConflictException}), nor are more than {@value #MAX_LINKED_LOGINS} logins put on one.</li>
 *   <li>Unlinking the last login of an identity deletes it (Cognito: the identity becomes inaccessible); the unlinked
 *       user gets a new identity when next seen.</li>
 *   <li>A deleted or merged-away identity answers {@code ResourceNotFoundException} to every later call; credentials
 *       issued before stay valid until they expire, as Cognito's do.</li>
 * </ul>
 * Each change is one store transaction conditioned on the identities it read, so concurrent changes cannot lose a
 * login; the loser is told to retry ({@code ConcurrentModificationException}).
 */
final class IdentityLinks {

    /** Cognito's limit on the logins linked to one identity (MergeDeveloperIdentities' documentation). */
    static final int MAX_LINKED_LOGINS = 20;

    private static final InputShapes SHAPES = IdentityPoolApi.inputShapes();
    private static final int DEFAULT_PAGE = 60;

    private final IdentityPools pools;
    private final IdentityRepository identities;

    IdentityLinks(IdentityPools pools, IdentityRepository identities) {
        this.pools = Objects.requireNonNull(pools, "pools cannot be null");
        this.identities = Objects.requireNonNull(identities, "identities cannot be null");
    }

    void registerOn(AwsJsonService service) {
        Operation.Auth sigv4 = Operation.Auth.SIGV4;
        service.register("LookupDeveloperIdentity", sigv4, (body, c) -> lookup(valid("LookupDeveloperIdentity", body)));
        service.register(
                "MergeDeveloperIdentities", sigv4, (body, c) -> merge(valid("MergeDeveloperIdentities", body)));
        service.register("UnlinkDeveloperIdentity", sigv4, (body, c) -> {
            unlinkDeveloper(valid("UnlinkDeveloperIdentity", body));
            return AwsJson.mapper().createObjectNode();
        });
        service.register("DeleteIdentities", sigv4, (body, c) -> delete(valid("DeleteIdentities", body)));
        service.register("UnlinkIdentity", Operation.Auth.NONE, (body, c) -> {
            unlinkIdentity(valid("UnlinkIdentity", body));
            return AwsJson.mapper().createObjectNode();
        });
    }

    private static ObjectNode valid(String operation, ObjectNode body) {
        SHAPES.validate(operation, body, IdentityErrors::validation);
        return body;
    }

    private ObjectNode lookup(ObjectNode body) {
        StoredPool pool = pools.pool(body.path("IdentityPoolId").asText());
        Optional<String> identityId = text(body, "IdentityId");
        Optional<String> userIdentifier = text(body, "DeveloperUserIdentifier");
        if (identityId.isEmpty() && userIdentifier.isEmpty()) {
            throw IdentityErrors.invalidParameter("IdentityId or DeveloperUserIdentifier must be provided.");
        }
        String provider = developerProvider(pool);
        String found;
        if (userIdentifier.isPresent()) {
            found = identities
                    .findLiveByLogin(pool.id(), provider, userIdentifier.get())
                    .orElseThrow(() -> IdentityErrors.developerUserNotFound(userIdentifier.get()));
            if (identityId.isPresent() && !identityId.get().equals(found)) {
                throw conflict("The developer user identifier is not linked to the identity " + identityId.get() + ".");
            }
        } else {
            found = identityIn(pool, identityId.get()).identityId();
        }
        int limit = (int) body.path("MaxResults").asLong(DEFAULT_PAGE);
        IdentityRepository.SubPage page;
        try {
            page = identities.subs(
                    found, provider, limit, text(body, "NextToken").orElse(null));
        } catch (IllegalArgumentException e) {
            throw IdentityErrors.invalidParameter("Invalid pagination token.");
        }
        ObjectNode out = AwsJson.mapper().createObjectNode().put("IdentityId", found);
        ArrayNode list = out.putArray("DeveloperUserIdentifierList");
        page.subs().forEach(list::add);
        page.cursor().ifPresent(cursor -> out.put("NextToken", cursor));
        return out;
    }

    private ObjectNode merge(ObjectNode body) {
        StoredPool pool = pools.pool(body.path("IdentityPoolId").asText());
        String provider =
                requireProvider(pool, body.path("DeveloperProviderName").asText());
        String sourceUser = body.path("SourceUserIdentifier").asText();
        String destinationUser = body.path("DestinationUserIdentifier").asText();
        Identity target = identityIn(
                pool,
                identities
                        .findLiveByLogin(pool.id(), provider, destinationUser)
                        .orElseThrow(() -> IdentityErrors.developerUserNotFound(destinationUser)));
        Optional<String> sourceId = identities.findLiveByLogin(pool.id(), provider, sourceUser);
        if (sourceId.isEmpty()) {
            // a developer user not seen yet is simply linked to the destination's identity
            if (!identities.link(target, provider, sourceUser, pools.now())) {
                throw concurrentChange();
            }
            return merged(target);
        }
        if (sourceId.get().equals(target.identityId())) {
            return merged(target);
        }
        Identity source = identityIn(pool, sourceId.get());
        List<Link> moved = withLogin(identities.links(source.identityId()), new Link(provider, sourceUser));
        List<Link> kept = identities.links(target.identityId());
        checkMergeable(provider, moved, kept);
        if (!identities.merge(source, moved, target, pools.now())) {
            throw concurrentChange();
        }
        return merged(target);
    }

    /** Refuses a merge that would link two users of one public provider, or too many logins, to one identity. */
    private static void checkMergeable(String developerProvider, List<Link> moved, List<Link> kept) {
        for (Link link : moved) {
            boolean clash = !link.providerName().equals(developerProvider)
                    && kept.stream()
                            .anyMatch(k -> k.providerName().equals(link.providerName())
                                    && !k.sub().equals(link.sub()));
            if (clash) {
                throw conflict("The identities are linked to different users of the same provider: "
                        + link.providerName() + ".");
            }
        }
        if (moved.size() + kept.size() > MAX_LINKED_LOGINS) {
            throw IdentityErrors.invalidParameter("An identity can have at most " + MAX_LINKED_LOGINS
                    + " linked logins; merging these would give " + (moved.size() + kept.size()) + ".");
        }
    }

    private static ObjectNode merged(Identity target) {
        return AwsJson.mapper().createObjectNode().put("IdentityId", target.identityId());
    }

    private void unlinkDeveloper(ObjectNode body) {
        StoredPool pool = pools.pool(body.path("IdentityPoolId").asText());
        String provider =
                requireProvider(pool, body.path("DeveloperProviderName").asText());
        String userIdentifier = body.path("DeveloperUserIdentifier").asText();
        Identity identity = identityIn(pool, body.path("IdentityId").asText());
        Optional<String> linked = identities.findLiveByLogin(pool.id(), provider, userIdentifier);
        if (linked.isEmpty() || !linked.get().equals(identity.identityId())) {
            throw IdentityErrors.developerUserNotFound(userIdentifier);
        }
        Link removed = new Link(provider, userIdentifier);
        List<Link> links = withLogin(identities.links(identity.identityId()), removed);
        if (!identities.unlink(identity, links, List.of(removed), pools.now())) {
            throw concurrentChange();
        }
    }

    /**
     * UnlinkIdentity: the caller proves the identity with its Logins (as GetCredentialsForIdentity); the logins of the
     * providers in LoginsToRemove are unlinked, those the caller did not name stay.
     */
    private void unlinkIdentity(ObjectNode body) {
        String identityId = body.path("IdentityId").asText();
        Map<String, String> logins = new LinkedHashMap<>();
        body.path("Logins")
                .fields()
                .forEachRemaining(f -> logins.put(f.getKey(), f.getValue().asText()));
        IdentityPools.Proven proven = pools.prove(identityId, logins);
        if (proven.login().isEmpty()) {
            throw IdentityErrors.notAuthorized(IdentityErrors.LOGINS_DONT_MATCH);
        }
        List<String> toRemove = new ArrayList<>();
        body.path("LoginsToRemove").forEach(name -> toRemove.add(pools.canonicalProvider(name.asText())));
        List<Link> links = identities.links(identityId);
        LoginVerifier.Login login = proven.login().get();
        if (!login.providerName().equals(DeveloperIdentities.COGNITO_PROVIDER)) {
            links = withLogin(links, new Link(login.providerName(), login.sub()));
        }
        List<Link> removed = links.stream()
                .filter(link -> toRemove.contains(link.providerName()))
                .toList();
        if (removed.isEmpty()) {
            return;
        }
        if (!identities.unlink(proven.identity(), links, removed, pools.now())) {
            throw concurrentChange();
        }
    }

    private ObjectNode delete(ObjectNode body) {
        ObjectNode out = AwsJson.mapper().createObjectNode();
        ArrayNode unprocessed = out.putArray("UnprocessedIdentityIds");
        for (JsonNode id : body.path("IdentityIdsToDelete")) {
            String identityId = id.asText();
            if (!deleteOne(identityId)) {
                unprocessed.addObject().put("IdentityId", identityId).put("ErrorCode", "InternalServerError");
            }
        }
        return out;
    }

    /** Deletes one identity; an identity that does not exist (any more) counts as deleted. */
    private boolean deleteOne(String identityId) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<Identity> identity = identities.find(identityId);
            if (identity.isEmpty()) {
                return true;
            }
            try {
                if (identities.delete(identity.get(), identities.links(identityId))) {
                    return true;
                }
            } catch (RuntimeException e) {
                return false; // reported as unprocessed, as Cognito reports an internal failure per id
            }
        }
        return false;
    }

    private Identity identityIn(StoredPool pool, String identityId) {
        return identities
                .find(identityId)
                .filter(identity -> identity.identityPoolId().equals(pool.id()))
                .orElseThrow(() -> IdentityErrors.identityNotFound(identityId));
    }

    private static String developerProvider(StoredPool pool) {
        return pool.description().path("DeveloperProviderName").asText("");
    }

    private static String requireProvider(StoredPool pool, String given) {
        String provider = developerProvider(pool);
        if (provider.isEmpty() || !provider.equals(given)) {
            throw IdentityErrors.notAuthorized(IdentityErrors.UNSUPPORTED_DEVELOPER_PROVIDER);
        }
        return provider;
    }

    private static List<Link> withLogin(List<Link> links, Link login) {
        if (links.contains(login)) {
            return links;
        }
        List<Link> all = new ArrayList<>(links);
        all.add(login);
        return List.copyOf(all);
    }

    private static Optional<String> text(ObjectNode body, String member) {
        @Nullable JsonNode node = body.get(member);
        return node == null || node.isNull() ? Optional.empty() : Optional.of(node.asText());
    }

    private static ServiceException conflict(String message) {
        return new ServiceException(AwsError.sender("ResourceConflictException", message));
    }

    private static ServiceException concurrentChange() {
        return new ServiceException(AwsError.sender(
                "ConcurrentModificationException", "The identity was changed by another request; try again."));
    }
}
