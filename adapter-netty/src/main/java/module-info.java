/** Gatehouse for Netty 4.2 HTTP servers: one channel handler that runs the core's exchange. */
module io.gatehouse.netty {
    requires transitive io.gatehouse.core;
    requires transitive io.netty.codec.http;
    requires transitive io.netty.transport;
    requires io.netty.buffer;
    requires io.netty.codec;
    requires transitive io.netty.common;
    requires io.netty.handler;

    exports io.gatehouse.netty;
}
