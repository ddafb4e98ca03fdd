package dev.streamchat.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param bootstrapUser     an account created at start-up if it does not exist (with {@code bootstrapPassword})
 * @param bootstrapPassword its password; never logged
 * @param signup            who may create accounts on the sign-up page
 */
@ConfigurationProperties("chat.security")
public record SecurityProperties(String bootstrapUser, String bootstrapPassword,
                                 @DefaultValue("FIRST_USER") Signup signup) {

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
