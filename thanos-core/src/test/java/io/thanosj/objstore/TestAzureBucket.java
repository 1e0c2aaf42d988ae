package io.thanosj.objstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;
import java.io.StringReader;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** Azure against Azurite (npm install -g azurite); fails on CI if Azurite is missing. */
@Tag("integration")
class TestAzureBucket extends BucketContract {
    private static AzuriteServer server;
    private static final AtomicInteger SEQ = new AtomicInteger();

    @BeforeAll
    static void start() {
        server = new AzuriteServer();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static ConfigNode config(String yaml) {
        var root = (org.yaml.snakeyaml.nodes.MappingNode) new Yaml().compose(new StringReader(yaml));
        return ConfigNode.of(AzureBucket.TYPE, root.getValue().get(1).getValueNode());
    }

    @Override
    protected Bucket newBucket() {
        return AzureFactory.create(config(server.yaml("cont-" + SEQ.incrementAndGet(), "")), d -> { }, true, 50, 1024 * 1024);
    }

    @Override
    protected int listPageSize() {
        return 50;
    }

    @Override
    protected long multipartSize() {
        return 3L * 1024 * 1024 + 5;
    }

    @Test
    void factoryCreatesTheContainerByDefault() throws Exception {
        try (Bucket b = BucketFactory.createUninstrumented(server.yaml("made-" + SEQ.incrementAndGet(), ""), d -> { }, true)) {
            b.upload("x", text("1"));
            assertThat(read(b.get("x"))).isEqualTo("1");
        }
    }

    @Test
    void missingContainerFailsWhenNotCreating() {
        assertThatThrownBy(() -> BucketFactory.createUninstrumented(
                server.yaml("absent", "  storage_create_container: false\n"), d -> { }, true))
                .isInstanceOf(ThanosException.class)
                .hasMessage("azure: container absent in storage account devstoreaccount1 at " + server.endpoint()
                        + "/absent: container does not exist (set storage_create_container: true to create it)");
    }

    @Test
    void wrongKeyFailsAtCreation() {
        String yaml = server.yaml("keys", "").replace(AzuriteServer.KEY, "d3Jvbmcta2V5LXdyb25nLWtleQ==");
        assertThatThrownBy(() -> BucketFactory.createUninstrumented(yaml, d -> { }, true))
                .isInstanceOf(ThanosException.class)
                .hasMessageStartingWith("azure: container keys in storage account devstoreaccount1 at " + server.endpoint()
                        + "/keys: access denied (")
                .satisfies(e -> assertThat(((ThanosException) e).code()).isEqualTo(ErrorCode.BAD_DATA));
    }

    @Test
    void unreachableEndpointFailsFast() throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String yaml = server.yaml("cont", "").replace(server.endpoint(), "http://127.0.0.1:" + port + "/" + AzuriteServer.ACCOUNT);
        long start = System.nanoTime();
        assertThatThrownBy(() -> BucketFactory.createUninstrumented(yaml, d -> { }, true))
                .isInstanceOf(ThanosException.class)
                .hasMessageStartingWith("azure: container cont in storage account devstoreaccount1 at http://127.0.0.1:" + port)
                .hasMessageContaining("cannot reach endpoint");
        assertThat(System.nanoTime() - start).isLessThan(15_000_000_000L);
    }
}
