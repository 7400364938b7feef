package dev.gatehouse.server;

/**
 * The jar's entry point ({@code java -jar gatehouse.jar}). On Linux it first replaces its own JVM, in the same process
 * (same pid, same standard streams and signals), by one started with the settings a small server wants — the serial
 * collector and a small initial heap, and the jar's class-data archive once one exists — then {@link Main} runs there;
 * elsewhere, or when that is not possible, {@link Main} runs in this JVM as it is. Only JDK classes are loaded before
 * the switch, so it costs one bare JVM start. {@code -Dgatehouse.relaunch=false} turns it off; docs/server.md explains
 * each setting and how an option given on the command line wins.
 */
public final class Launcher {

    private Launcher() {}

    public static void main(String[] args) {
        JvmRelaunch.execIfUseful(args);
        Main.main(args);
    }
}
