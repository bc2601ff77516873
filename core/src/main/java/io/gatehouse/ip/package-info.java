@NullMarked
package io.gatehouse.ip;

import org.jspecify.annotations.NullMarked;
