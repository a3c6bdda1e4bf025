package io.tidings.routing.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConnectorChannelsTest {

    @Test
    void oneChannelPerAddress() {
        ConnectorChannels channels = new ConnectorChannels(Duration.ofMinutes(5));
        try {
            assertThat(channels.stub("127.0.0.1:7101")).isSameAs(channels.stub("127.0.0.1:7101"));
            assertThat(channels.stub("127.0.0.1:7102")).isNotSameAs(channels.stub("127.0.0.1:7101"));
            assertThat(channels.size()).isEqualTo(2);
        } finally {
            channels.close();
        }
    }

    @Test
    void idleChannelsAreClosed() throws InterruptedException {
        ConnectorChannels channels = new ConnectorChannels(Duration.ofMillis(1));
        try {
            channels.stub("127.0.0.1:7101");
            Thread.sleep(20);
            channels.evictIdle();
            assertThat(channels.size()).isZero();

            channels.stub("127.0.0.1:7101");
            assertThat(channels.size()).isEqualTo(1);
        } finally {
            channels.close();
        }
    }
}
