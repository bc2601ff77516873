package io.gatehouse.boot;

import io.gatehouse.spring.ConformanceController;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The conformance application behind Spring Security as an application would set it up: form login and CSRF
 * protection on, an area that needs a login, the kit's routes public.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ConformanceController.class)
class SecuredConformanceApp {
    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(a -> a.requestMatchers("/admin/**").authenticated().anyRequest().permitAll())
                .formLogin(Customizer.withDefaults());
        return http.build();
    }
}
