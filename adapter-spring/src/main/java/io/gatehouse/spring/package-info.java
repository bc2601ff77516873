@NullMarked
package io.gatehouse.spring;

import org.jspecify.annotations.NullMarked;
