@NullMarked
package io.gatehouse.netty;

import org.jspecify.annotations.NullMarked;
