package dev.gatehouse.server;

import dev.gatehouse.functions.FunctionRegistry;
import dev.gatehouse.gateway.Gateway;
import dev.gatehouse.store.ItemStore;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a started {@link GatehouseServer} holds: each start-up step adds to it (the setters return what they were
 * given), and {@link #release} lets go of everything acquired, in reverse order, whatever step start-up reached.
 */
final class Held {

    private static final Logger LOG = LoggerFactory.getLogger(Held.class);

    private @Nullable DataDirectoryLock lock;
    private @Nullable ItemStore store;
    private @Nullable WorkerPool workers;
    private @Nullable Vertx vertx;
    private @Nullable HttpListener aws;
    private @Nullable HttpListener api;
    /** Listeners of the stack's further APIs (each API has its own endpoint, as each has its own host on AWS). */
    private final List<HttpListener> moreApis = new CopyOnWriteArrayList<>();

    private @Nullable HttpListener web;
    private volatile @Nullable AwsEndpoint awsEndpoint;
    private final List<ApiEndpoint> apiEndpoints = new CopyOnWriteArrayList<>();
    private final List<Gateway> gateways = new CopyOnWriteArrayList<>();
    private @Nullable String apiId;
    private @Nullable FunctionRegistry functions;
    private volatile @Nullable LocalAttachments attachments;

    DataDirectoryLock lock(DataDirectoryLock value) {
        lock = value;
        return value;
    }

    ItemStore store(ItemStore value) {
        store = value;
        return value;
    }

    WorkerPool workers(WorkerPool value) {
        workers = value;
        return value;
    }

    WorkerPool workers() {
        return Objects.requireNonNull(workers, "the worker pool is not started");
    }

    Vertx vertx(Vertx value) {
        vertx = value;
        return value;
    }

    Vertx vertx() {
        return Objects.requireNonNull(vertx, "Vert.x is not started");
    }

    HttpListener aws(HttpListener value) {
        aws = value;
        return value;
    }

    HttpListener aws() {
        return Objects.requireNonNull(aws, "the server is not started");
    }

    HttpListener api(HttpListener value) {
        api = value;
        return value;
    }

    HttpListener api() {
        return Objects.requireNonNull(api, "the server is not started");
    }

    HttpListener web(HttpListener value) {
        web = value;
        return value;
    }

    HttpListener web() {
        return Objects.requireNonNull(web, "the server is not started");
    }

    AwsEndpoint awsEndpoint(AwsEndpoint value) {
        awsEndpoint = value;
        return value;
    }

    /** The listener of the stack's {@code index}-th API: the API endpoint's for the first. */
    HttpListener apiListener(int index) {
        return index == 0 ? api() : moreApis.get(index - 1);
    }

    HttpListener moreApi(HttpListener value) {
        moreApis.add(value);
        return value;
    }

    /** The listener of the stack's {@code index}-th API (index ≥ 1), bound by {@code bind} the first time. */
    synchronized HttpListener moreApi(int index, java.util.function.Supplier<HttpListener> bind) {
        while (moreApis.size() < index) {
            moreApis.add(bind.get());
        }
        return moreApis.get(index - 1);
    }

    ApiEndpoint apiEndpoint(ApiEndpoint value) {
        apiEndpoints.add(value);
        return value;
    }

    /** How many API listeners serve an endpoint (the first API's listener is number 0). */
    int apiEndpointCount() {
        return apiEndpoints.size();
    }

    ApiEndpoint apiEndpointAt(int index) {
        return apiEndpoints.get(index);
    }

    List<ApiEndpoint> apiEndpoints() {
        return List.copyOf(apiEndpoints);
    }

    Gateway gateway(Gateway value, String servedApiId) {
        if (gateways.isEmpty()) {
            apiId = servedApiId;
        }
        gateways.add(value);
        return value;
    }

    FunctionRegistry functions(FunctionRegistry value) {
        functions = value;
        return value;
    }

    Optional<FunctionRegistry> functions() {
        return Optional.ofNullable(functions);
    }

    Optional<String> apiId() {
        return Optional.ofNullable(apiId);
    }

    void attachments(LocalAttachments value) {
        attachments = value;
    }

    /** The stack bucket's attachments, once the stack has been applied with a bucket. */
    Optional<LocalAttachments> attachments() {
        return Optional.ofNullable(attachments);
    }

    /** Requests on the AWS and API endpoints accepted and not yet answered. */
    int inFlight() {
        AwsEndpoint endpoint = awsEndpoint;
        return (endpoint == null ? 0 : endpoint.inFlight())
                + apiEndpoints.stream().mapToInt(ApiEndpoint::inFlight).sum();
    }

    /** New requests are refused from now on; those in flight finish. */
    void drain() {
        AwsEndpoint endpoint = awsEndpoint;
        if (endpoint != null) {
            endpoint.drain();
        }
        apiEndpoints.forEach(ApiEndpoint::drain);
    }

    /**
     * Closes the listeners, the gateways, the functions' workers, the worker pool (waiting up to {@code grace}), Vert.x,
     * the store and the data directory's lock.
     */
    void release(Duration grace) {
        List<HttpListener> listeners = new ArrayList<>();
        for (HttpListener listener : new HttpListener[] {aws, api, web}) {
            if (listener != null) {
                listeners.add(listener);
            }
        }
        listeners.addAll(moreApis);
        listeners.forEach(listener -> listener.close(Duration.ofSeconds(5)));
        gateways.forEach(Gateway::close);
        if (functions != null) {
            functions.close();
        }
        if (workers != null) {
            workers.shutdown(grace);
        }
        if (vertx != null) {
            closeVertx(vertx);
        }
        if (store != null) {
            store.close();
        }
        if (lock != null) {
            lock.close();
        }
    }

    private static void closeVertx(Vertx runtime) {
        try {
            runtime.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Vert.x did not close cleanly: {}", e.toString());
        }
    }
}
