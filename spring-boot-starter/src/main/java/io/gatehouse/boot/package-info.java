@NullMarked
package io.gatehouse.boot;

import org.jspecify.annotations.NullMarked;
