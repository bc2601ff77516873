@NullMarked
package io.gatehouse.config;

import org.jspecify.annotations.NullMarked;
