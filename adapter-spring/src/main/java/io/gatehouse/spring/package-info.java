/**
 * Gatehouse for Spring: translates the framework's requests into the core's neutral inputs and the
 * core's decisions back into responses. All security logic lives in {@code gatehouse-core}.
 */
package io.gatehouse.spring;
