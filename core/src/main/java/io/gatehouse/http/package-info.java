@NullMarked
package io.gatehouse.http;

import org.jspecify.annotations.NullMarked;
