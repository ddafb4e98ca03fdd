package dev.streamchat.security.internal;

import dev.streamchat.security.AccountRole;
import dev.streamchat.security.SecurityProperties;
import dev.streamchat.security.UserAccounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Creates the configured account, an admin, at start-up if it does not exist yet (its
 * password is never logged).
 */
@Component
class BootstrapUser implements SmartInitializingSingleton {

	private static final Logger log = LoggerFactory.getLogger(BootstrapUser.class);

	private final SecurityProperties properties;

	private final UserAccounts accounts;

	BootstrapUser(SecurityProperties properties, UserAccounts accounts) {
		this.properties = properties;
		this.accounts = accounts;
	}

	@Override
	public void afterSingletonsInstantiated() {
		String user = properties.bootstrapUser();
		if (user == null || user.isBlank()) {
			if (accounts.signupAllowed()) {
				log.info("No accounts yet: the first visitor creates one on the sign-up page");
			}
			return;
		}
		if (accounts.find(user).isEmpty()) {
			accounts.create(user, properties.bootstrapPassword(), AccountRole.ADMIN);
			log.info("Created the bootstrap account '{}'", user);
		}
	}

}
