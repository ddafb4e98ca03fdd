package dev.streamchat.security;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param bootstrapUser     an account created at start-up if it does not exist (with {@code bootstrapPassword})
 * @param bootstrapPassword its password; never logged
 * @param signup            who may create accounts on the sign-up page
 * @param login             throttling of failed sign-ins
 * @param contentSecurityPolicy the Content-Security-Policy header sent with every response
 */
@ConfigurationProperties("chat.security")
public record SecurityProperties(@Nullable String bootstrapUser, @Nullable String bootstrapPassword,
                                 @DefaultValue("FIRST_USER") Signup signup,
                                 @DefaultValue Login login,
                                 @DefaultValue(SecurityProperties.DEFAULT_CSP) String contentSecurityPolicy) {

    /**
     * What Vaadin needs and no more: its scripts, styles and fonts come from this server (Flow's
     * bootstrap uses inline scripts and eval, Lumo, KaTeX and Mermaid inline styles), the Push
     * websocket goes back to it, and nothing loads from anywhere else: no third-party images, no
     * frames, no plugins, forms post only here.
     */
    public static final String DEFAULT_CSP = "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";

    /**
     * Failed sign-ins: after {@code freeFailuresPerUser} for one user name (or {@code freeFailuresPerAddress}
     * from one client address) the next try waits {@code baseDelay}, doubling per failure up to
     * {@code maxDelay}; earlier tries are answered 429 with Retry-After.
     */
    public record Login(@DefaultValue("5") int freeFailuresPerUser, @DefaultValue("20") int freeFailuresPerAddress,
                        @DefaultValue("1s") java.time.Duration baseDelay, @DefaultValue("15m") java.time.Duration maxDelay) {
    }

    public enum Signup {
        /** Only while no account exists: the first visitor of a fresh install creates it, as self-hosted chat apps do. */
        FIRST_USER,
        /** Anyone may create an account. */
        OPEN
    }

    @Override
    public String toString() {
        return "SecurityProperties[bootstrapUser=" + bootstrapUser + ", signup=" + signup + "]";
    }
}
