/** A user of Gatehouse on the module path: requires the core and the Netty adapter, nothing else. */
module io.gatehouse.consumer {
    requires io.gatehouse.core;
    requires io.gatehouse.netty;
    requires io.netty.buffer; // the application writes its own ByteBufs
}
