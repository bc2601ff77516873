@NullMarked
package io.gatehouse.proxy;

import org.jspecify.annotations.NullMarked;
