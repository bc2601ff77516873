package io.gatehouse.kafka;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * A command line for the load script ({@code benchmarks/load/kafka.sh}):
 * {@code create <bootstrap> <topic> <partitions>} makes a topic; {@code count <bootstrap> <topic>}
 * prints how many records it holds (the sum of its partitions' end offsets).
 */
public final class KafkaTool {
    private KafkaTool() {
    }

    /**
     * Runs one command.
     *
     * @param args {@code create|count}, the bootstrap servers, the topic, and for create the partitions
     * @throws Exception when the broker refuses
     */
    public static void main(String[] args) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[1]))) {
            String topic = args[2];
            if (args[0].equals("create")) {
                admin.createTopics(List.of(new NewTopic(topic, Integer.parseInt(args[3]), (short) 1))).all()
                        .get(30, TimeUnit.SECONDS);
                return;
            }
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> ask = new java.util.HashMap<>();
            for (int p = 0; p < partitions; p++) {
                ask.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            long sum = 0;
            for (var e : admin.listOffsets(ask).all().get(30, TimeUnit.SECONDS).values()) {
                sum += e.offset();
            }
            System.out.println(sum);
        }
    }
}
