/** The {@code Content-Security-Policy} header builder, with the reporting headers that suit the page's scheme. */
@NullMarked
package io.gatehouse.csp.header;

import org.jspecify.annotations.NullMarked;
