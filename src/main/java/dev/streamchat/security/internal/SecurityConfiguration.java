package dev.streamchat.security.internal;

import dev.streamchat.security.AccountPrincipal;
import dev.streamchat.security.AccountRole;
import dev.streamchat.security.SecurityProperties;
import dev.streamchat.security.UserId;
import dev.streamchat.security.ui.LoginView;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;

import static com.vaadin.flow.spring.security.VaadinSecurityConfigurer.vaadin;

/** Form login through Vaadin's LoginForm; views declare their own access (@PermitAll, @AnonymousAllowed). */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, SignInThrottling throttling,
                                            SecurityProperties properties) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                .requestMatchers("/actuator/health").permitAll()
                // component details, metrics and every other endpoint: operations data, for admins only
                .requestMatchers("/actuator/**").hasRole(AccountRole.ADMIN.name())
                .requestMatchers("/styles/**").permitAll());
        http.addFilterBefore(throttling.filter(), UsernamePasswordAuthenticationFilter.class);
        http.headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(properties.contentSecurityPolicy())));
        http.with(vaadin(), vaadin -> vaadin.loginView(LoginView.class));
        return http.build();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    UserDetailsService userDetailsService(UserRepository users) {
        return username -> users.findByUsername(username)
                .map(row -> new AccountPrincipal(new UserId(row.id()), row.username(), row.passwordHash(),
                        AccountRole.valueOf(row.role()), row.enabled()))
                .orElseThrow(() -> new UsernameNotFoundException("no such user"));
    }
}
