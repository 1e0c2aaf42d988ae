package io.thanosj.store.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.ThanosException;
import io.thanosj.store.InfoService;
import io.thanosj.store.StoreInfo;
import io.thanosj.store.StoreTarget;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class TestEndpointSet {
    private final List<Server> servers = new ArrayList<>();
    private final MutableClock clock = new MutableClock();

    @AfterEach
    void stopServers() throws InterruptedException {
        for (Server s : servers) {
            s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** An Info-only server (enough for the endpoint set) announcing one label set. */
    private Server serve(int port, String replica) throws IOException {
        StoreInfo info = new StoreInfo(List.of(Labels.of("replica", replica)), 1000, 2000, true);
        Server s = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .addService(new InfoService("sidecar", () -> info)).build().start();
        servers.add(s);
        return s;
    }

    private static String addr(Server s) {
        return "127.0.0.1:" + s.getPort();
    }

    private EndpointSetOptions.Builder opts() {
        return EndpointSetOptions.builder().clock(clock).infoTimeout(Duration.ofSeconds(5));
    }

    private static List<String> names(List<StoreTarget> ts) {
        return ts.stream().map(StoreTarget::name).toList();
    }

    @Test
    void staticEndpointsGoDownAndComeBack() throws Exception {
        Server a = serve(0, "a"), b = serve(0, "b");
        int portA = a.getPort();
        try (EndpointSet set = new EndpointSet(opts().endpoints(List.of(addr(a), addr(b))).build())) {
            set.update();
            assertThat(names(set.targets())).containsExactlyInAnyOrder(addr(a), addr(b));
            StoreTarget ta = set.targets().stream().filter(t -> t.name().equals(addr(a))).findFirst().orElseThrow();
            assertThat(ta.info().labelSets()).containsExactly(Labels.of("replica", "a"));
            assertThat(ta.info().minTime()).isEqualTo(1000);
            EndpointStatus sa = set.status().get(set.status().get(0).name().equals(addr(a)) ? 0 : 1);
            assertThat(sa.componentType()).isEqualTo("sidecar");
            assertThat(sa.lastError()).isNull();
            assertThat(sa.lastCheck()).isEqualTo(clock.instant());

            a.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            Instant goodCheck = clock.instant();
            clock.advance(Duration.ofSeconds(5));
            set.update();
            assertThat(names(set.targets())).containsExactly(addr(b));
            EndpointStatus down = set.status().stream().filter(s -> s.name().equals("127.0.0.1:" + portA)).findFirst().orElseThrow();
            assertThat(down.healthy()).isFalse();
            assertThat(down.lastError()).startsWith("fetch info from 127.0.0.1:" + portA + ": unavailable");
            assertThat(down.lastCheck()).isEqualTo(goodCheck);
            assertThat(down.labelSets()).containsExactly(Labels.of("replica", "a"));

            serve(portA, "a2");
            clock.advance(Duration.ofSeconds(5));
            set.update();
            assertThat(names(set.targets())).containsExactlyInAnyOrder("127.0.0.1:" + portA, addr(b));
            assertThat(set.targets().stream().filter(t -> t.name().equals("127.0.0.1:" + portA)).findFirst()
                    .orElseThrow().info().labelSets()).containsExactly(Labels.of("replica", "a2"));
        }
    }

    @Test
    void unhealthyEndpointsAreForgottenAfterTheTimeout() throws Exception {
        Server a = serve(0, "a");
        String dead = addr(a);
        try (EndpointSet set = new EndpointSet(opts().endpoints(List.of(dead)).unhealthyTimeout(Duration.ofMinutes(1)).build())) {
            set.update();
            a.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            clock.advance(Duration.ofSeconds(30));
            set.update();
            assertThat(set.targets()).isEmpty();
            assertThat(set.status()).hasSize(1);
            clock.advance(Duration.ofSeconds(31)); // 61s since the last good check
            set.update();
            assertThat(set.status()).isEmpty();
            clock.advance(Duration.ofSeconds(5)); // still configured: tried again as new
            set.update();
            assertThat(set.status()).singleElement().satisfies(s -> assertThat(s.lastCheck()).isNull());
        }
    }

    @Test
    void fileSdIsReloadedOnChange(@TempDir Path dir) throws Exception {
        Server a = serve(0, "a"), b = serve(0, "b");
        Path yml = dir.resolve("stores.yml");
        Files.writeString(yml, "- targets: ['" + addr(a) + "']\n  labels: {team: x}\n");
        Path json = dir.resolve("more.json");
        Files.writeString(json, "[]");
        try (EndpointSet set = new EndpointSet(opts().sdFiles(List.of(dir + "/*.yml", json.toString())).build())) {
            set.update();
            assertThat(names(set.targets())).containsExactly(addr(a));

            Files.writeString(json, "[{\"targets\": [\"" + addr(b) + "\"]}]");
            Files.writeString(yml, "- targets: []\n");
            Files.setLastModifiedTime(yml, FileTime.fromMillis(System.currentTimeMillis() + 5000));
            set.update();
            assertThat(names(set.targets())).containsExactly(addr(b));
            assertThat(set.status()).extracting(EndpointStatus::name).containsExactly(addr(b));

            // A broken file keeps its last good targets and reports why.
            Files.writeString(json, "{\"targets\": 1}");
            Files.setLastModifiedTime(json, FileTime.fromMillis(System.currentTimeMillis() + 10000));
            set.update();
            assertThat(names(set.targets())).containsExactly(addr(b));
            assertThat(set.discoveryErrors()).singleElement().asString()
                    .isEqualTo("read file SD file " + json + ": want a list of target groups, got a map");
        }
    }

    @Test
    void dnsAndSrvPrefixes() throws Exception {
        Server a = serve(0, "a"), b = serve(0, "b");
        Map<String, List<String>> hosts = new java.util.concurrent.ConcurrentHashMap<>(Map.of(
                "stores.local", List.of("127.0.0.1"), "localhost", List.of("127.0.0.1")));
        Resolver fake = new Resolver() {
            @Override
            public List<String> lookupHost(String host) throws IOException {
                List<String> r = hosts.get(host);
                if (r == null) {
                    throw new IOException("no such host " + host);
                }
                return r;
            }

            @Override
            public List<Srv> lookupSrv(String name) throws IOException {
                if (!name.equals("_grpc._tcp.stores.local")) {
                    throw new IOException("no such name " + name);
                }
                return List.of(new Srv("localhost", b.getPort()));
            }
        };
        EndpointSetOptions o = opts().resolver(fake).dnsInterval(Duration.ofSeconds(30))
                .endpoints(List.of("dns+stores.local:" + a.getPort(), "dnssrv+_grpc._tcp.stores.local",
                        "dnssrvnoa+_grpc._tcp.stores.local"))
                .build();
        try (EndpointSet set = new EndpointSet(o)) {
            set.update();
            // dnssrvnoa+ keeps the SRV target's name for gRPC to resolve.
            assertThat(names(set.targets())).containsExactlyInAnyOrder(addr(a), addr(b), "localhost:" + b.getPort());
            // A failed lookup keeps the previous answer.
            hosts.remove("stores.local");
            clock.advance(Duration.ofSeconds(31));
            set.update();
            assertThat(names(set.targets())).contains(addr(a));
            assertThat(set.discoveryErrors()).singleElement().asString()
                    .isEqualTo("resolve endpoint \"dns+stores.local:" + a.getPort() + "\": no such host stores.local");
        }
    }

    @Test
    void badEndpointsAreRejectedWithTheirFlag() {
        for (String[] c : new String[][] {
            {"", "empty address"},
            {"dns+host", "missing port"},
            {"host:http", "invalid port \"http\""},
            {"dnssrv+_grpc._tcp.x:10901", "an SRV name takes no port"},
            {"srv+x:1", "unknown prefix \"srv+\" (want dns+, dnssrv+ or dnssrvnoa+)"},
            {"::1:10901", "IPv6 addresses must be in brackets, e.g. [::1]:10901"},
            {"h:70000", "port 70000 out of range"}}) {
            assertThatThrownBy(() -> EndpointSetOptions.builder().endpoints(List.of(c[0])).build())
                    .isInstanceOfSatisfying(ThanosException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.BAD_DATA);
                        assertThat(e.getMessage()).isEqualTo("invalid endpoint \"" + c[0] + "\" in --endpoint: " + c[1]);
                    });
        }
        assertThat(EndpointSpec.parse("[::1]:10901", "x").host()).isEqualTo("::1");
        assertThat(EndpointSpec.address("::1", 10901)).isEqualTo("[::1]:10901");
    }

    @Test
    void jdkResolverResolvesLocalhost() throws IOException {
        assertThat(Resolver.jdk().lookupHost("localhost")).isNotEmpty().allSatisfy(ip ->
                assertThat(ip).isIn("127.0.0.1", "0:0:0:0:0:0:0:1"));
    }

    @Test
    void startRunsUpdatesInTheBackground() throws Exception {
        Server a = serve(0, "a");
        try (EndpointSet set = new EndpointSet(EndpointSetOptions.builder().endpoints(List.of(addr(a)))
                .refreshInterval(Duration.ofMillis(50)).build())) {
            set.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (set.targets().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(names(set.targets())).containsExactly(addr(a));
        }
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2024-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
