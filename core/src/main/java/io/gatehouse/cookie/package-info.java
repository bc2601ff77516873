@NullMarked
package io.gatehouse.cookie;

import org.jspecify.annotations.NullMarked;
