@NullMarked
package io.gatehouse.servlet;

import org.jspecify.annotations.NullMarked;
