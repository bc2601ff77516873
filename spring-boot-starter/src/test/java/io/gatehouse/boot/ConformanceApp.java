package io.gatehouse.boot;

import io.gatehouse.spring.ConformanceController;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The conformance kit's application as a Boot application: auto-configuration and the kit's one
 * controller (shared with the Spring MVC adapter's tests), nothing else. The kit's {@code App} is a
 * bean the test registers.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ConformanceController.class)
class ConformanceApp {
}
