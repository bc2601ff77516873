/** Gatehouse's counters as Micrometer meters. */
module io.gatehouse.micrometer {
    requires transitive io.gatehouse.core;
    requires transitive micrometer.core;

    exports io.gatehouse.micrometer;
}
