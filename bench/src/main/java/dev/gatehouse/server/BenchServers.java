package dev.gatehouse.server;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/** The load driver's second server: the app a template describes, on free ports, as {@code --template} runs it. */
public final class BenchServers {

    private BenchServers() {}

    /** A server (not started) running {@code template} in stage dev, its data under {@code dataDir}. */
    public static GatehouseServer ofTemplate(Path dataDir, Path template) {
        return new GatehouseServer(
                ServerConfig.defaults(dataDir).withAwsPort(0),
                Clock.systemUTC(),
                StoreFactory.SQLITE,
                new StackConfig(Optional.of(template.toAbsolutePath().normalize()), Map.of(), "dev"));
    }
}
