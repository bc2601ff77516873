@NullMarked
package io.gatehouse.secret;

import org.jspecify.annotations.NullMarked;
