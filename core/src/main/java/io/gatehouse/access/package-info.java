@NullMarked
package io.gatehouse.access;

import org.jspecify.annotations.NullMarked;
