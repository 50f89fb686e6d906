package newsgraph.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

/**
 * Runs Neo4j Community in this JVM with only the Bolt connector, bound to 127.0.0.1.
 *
 * Usage: EmbeddedNeo4j --data DIR [--port 7687] [--host 127.0.0.1] [--pagecache 256m]
 *
 * Prints "NEWSGRAPH_NEO4J_READY bolt://host:port" once the database is available.
 * Stops cleanly on SIGINT/SIGTERM, and also when its standard input closes: the Node
 * process that started it holds the other end of that pipe, so if Node dies for any
 * reason (even SIGKILL) the database still shuts down instead of lingering.
 */
public final class EmbeddedNeo4j {
    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of("./.data/neo4j");
        String host = "127.0.0.1";
        int port = 7687;
        String pageCache = "256m";
        boolean watchStdin = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> dataDir = Path.of(args[++i]);
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--host" -> host = args[++i];
                case "--pagecache" -> pageCache = args[++i];
                case "--no-stdin-watch" -> watchStdin = false;
                default -> {
                    System.err.println("unknown argument: " + args[i]);
                    System.exit(2);
                }
            }
        }

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(dataDir.toAbsolutePath())
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(host, port))
                .setConfig(HttpConnector.enabled, false)
                // Local, loopback-only development database: no auth, like `neo4j` with auth disabled.
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(pageCache))
                .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofSeconds(60))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean shuttingDown = new AtomicBoolean(false);
        Runnable shutdown = () -> {
            if (shuttingDown.compareAndSet(false, true)) {
                System.out.println("NEWSGRAPH_NEO4J_STOPPING");
                System.out.flush();
                dbms.shutdown();
                stopped.countDown();
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            shutdown.run();
            try { stopped.await(); } catch (InterruptedException ignored) { }
        }, "newsgraph-neo4j-shutdown"));

        // Touch the default database so "ready" means queries can run.
        dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");
        System.out.println("NEWSGRAPH_NEO4J_READY bolt://" + host + ":" + port);
        System.out.flush();

        if (watchStdin) {
            Thread watcher = new Thread(() -> {
                InputStream in = System.in;
                byte[] buf = new byte[256];
                try {
                    while (in.read(buf) >= 0) { /* parent still alive */ }
                } catch (IOException ignored) { }
                System.exit(0); // runs the shutdown hook
            }, "newsgraph-parent-watch");
            watcher.setDaemon(true);
            watcher.start();
        }
        stopped.await();
    }
}
