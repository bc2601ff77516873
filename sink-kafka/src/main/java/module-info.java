/** Gatehouse's CSP events to a Kafka topic: one record per event, keyed by distinct_id. */
module io.gatehouse.kafka {
    requires transitive io.gatehouse.core;
    // kafka-clients has no descriptor; its automatic name comes from the jar name.
    requires kafka.clients;

    exports io.gatehouse.kafka;
}
