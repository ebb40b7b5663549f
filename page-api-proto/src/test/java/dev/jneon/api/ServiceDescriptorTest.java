package dev.jneon.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.api.broker.BrokerServiceGrpc;
import dev.jneon.api.page.PageServiceGrpc;
import dev.jneon.api.safekeeper.SafekeeperWalGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServiceDescriptor;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
  * The full service names and RPC names are on the wire (HTTP/2 path {@code /service/method}), so
  * they must be exactly Neon's for the page service and the broker, and exactly the spec's for the
  * safekeeper. Call types are checked too: a unary RPC where Neon streams would not interoperate.
  */
class ServiceDescriptorTest {

    private static Map<String, MethodType> methods(ServiceDescriptor service) {
        return service.getMethods().stream()
                .collect(Collectors.toMap(MethodDescriptor::getFullMethodName, MethodDescriptor::getType));
    }

    @Test
    void pageServiceHasNeonsRpcs() {
        ServiceDescriptor service = PageServiceGrpc.getServiceDescriptor();

        assertThat(service.getName()).isEqualTo("page_api.PageService");
        assertThat(methods(service))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "page_api.PageService/GetBaseBackup", MethodType.SERVER_STREAMING,
                                "page_api.PageService/GetDbSize", MethodType.UNARY,
                                "page_api.PageService/GetPages", MethodType.BIDI_STREAMING,
                                "page_api.PageService/GetRelSize", MethodType.UNARY,
                                "page_api.PageService/GetSlruSegment", MethodType.UNARY,
                                "page_api.PageService/LeaseLsn", MethodType.UNARY));
    }

    @Test
    void brokerServiceHasNeonsRpcs() {
        ServiceDescriptor service = BrokerServiceGrpc.getServiceDescriptor();

        assertThat(service.getName()).isEqualTo("storage_broker.BrokerService");
        assertThat(methods(service))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "storage_broker.BrokerService/SubscribeSafekeeperInfo", MethodType.SERVER_STREAMING,
                                "storage_broker.BrokerService/PublishSafekeeperInfo", MethodType.CLIENT_STREAMING,
                                "storage_broker.BrokerService/SubscribeByFilter", MethodType.SERVER_STREAMING,
                                "storage_broker.BrokerService/PublishOne", MethodType.UNARY));
    }

    @Test
    void safekeeperServiceHasTheSpecsRpcs() {
        ServiceDescriptor service = SafekeeperWalGrpc.getServiceDescriptor();

        assertThat(service.getName()).isEqualTo("jneon.safekeeper.v1.SafekeeperWal");
        assertThat(methods(service))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "jneon.safekeeper.v1.SafekeeperWal/WalPush", MethodType.BIDI_STREAMING,
                                "jneon.safekeeper.v1.SafekeeperWal/StreamWal", MethodType.BIDI_STREAMING,
                                "jneon.safekeeper.v1.SafekeeperWal/GetTimelineStatus", MethodType.UNARY));
    }
}
