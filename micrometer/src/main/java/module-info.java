/** Gatehouse's counters as Micrometer meters. */
module io.gatehouse.micrometer {
    requires transitive io.gatehouse.core;
    requires transitive micrometer.core;
    requires static transitive org.jspecify; // nullness annotations only

    exports io.gatehouse.micrometer;
}
