@NullMarked
package io.gatehouse.micrometer;

import org.jspecify.annotations.NullMarked;
