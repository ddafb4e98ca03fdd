package dev.streamchat.sharing;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A share link's id, which is also its secret: 128 random bits from a
 * {@link SecureRandom}, base64url without padding (22 characters), so links cannot be
 * guessed or enumerated.
 */
public record ShareId(String value) {

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final Pattern FORM = Pattern.compile("[A-Za-z0-9_-]{22}");

	public ShareId {
		if (!FORM.matcher(value).matches()) {
			throw new IllegalArgumentException("not a share id");
		}
	}

	static ShareId random() {
		byte[] bits = new byte[16];
		RANDOM.nextBytes(bits);
		return new ShareId(Base64.getUrlEncoder().withoutPadding().encodeToString(bits));
	}

	/**
	 * The id in a link's path, if it has the form of one; anything else finds nothing.
	 */
	public static Optional<ShareId> parse(String text) {
		return text != null && FORM.matcher(text).matches() ? Optional.of(new ShareId(text)) : Optional.empty();
	}

	@Override
	public String toString() {
		return value;
	}
}
