@NullMarked
package io.gatehouse.kafka;

import org.jspecify.annotations.NullMarked;
