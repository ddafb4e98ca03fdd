package dev.streamchat.attachments.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * What a file is, from its content (magic bytes and structure), never from its name or
 * what the browser claims: a renamed program stays a program. For images also the pixel
 * size, read from the header; and whether the file is whole (a cut-off or damaged file
 * lacks its end marker).
 */
public final class ContentTypes {

	/**
	 * The type found, a word for the user, pixel size (images) and whether the file looks
	 * whole.
	 */
	public record Found(String mimeType, String label, @Nullable Integer width, @Nullable Integer height,
			boolean whole) {

		static Found of(String mimeType, String label, boolean whole) {
			return new Found(mimeType, label, null, null, whole);
		}
	}

	public static final String UNKNOWN = "application/octet-stream";

	private ContentTypes() {
	}

	public static Found sniff(byte[] b) {
		if (starts(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
			boolean whole = b.length >= 24 && ends(b, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82);
			return b.length >= 24 ? new Found("image/png", "PNG image", int32(b, 16), int32(b, 20), whole)
					: Found.of("image/png", "PNG image", false);
		}
		if (starts(b, 0, 0xFF, 0xD8, 0xFF)) {
			int[] size = jpegSize(b);
			boolean whole = ends(b, 0xFF, 0xD9) && size != null;
			return new Found("image/jpeg", "JPEG image", size == null ? null : size[0], size == null ? null : size[1],
					whole);
		}
		if (starts(b, 0, 'G', 'I', 'F', '8') && b.length >= 10) {
			return new Found("image/gif", "GIF image", le16(b, 6), le16(b, 8), b[b.length - 1] == 0x3B);
		}
		if (starts(b, 0, 'R', 'I', 'F', 'F') && starts(b, 8, 'W', 'E', 'B', 'P')) {
			int[] size = webpSize(b);
			return new Found("image/webp", "WebP image", size == null ? null : size[0], size == null ? null : size[1],
					riffWhole(b) && size != null);
		}
		if (starts(b, 0, 'R', 'I', 'F', 'F') && starts(b, 8, 'W', 'A', 'V', 'E')) {
			return Found.of("audio/wav", "WAV audio", riffWhole(b));
		}
		if (starts(b, 0, '%', 'P', 'D', 'F', '-')) {
			return Found.of("application/pdf", "PDF document", tailContains(b, "%%EOF"));
		}
		if (starts(b, 0, 'I', 'D', '3') || (b.length > 1 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xE0) == 0xE0)) {
			return Found.of("audio/mpeg", "MP3 audio", true);
		}
		if (starts(b, 0, 'O', 'g', 'g', 'S')) {
			return Found.of("audio/ogg", "OGG audio", true);
		}
		if (starts(b, 0, 'f', 'L', 'a', 'C')) {
			return Found.of("audio/flac", "FLAC audio", true);
		}
		// things people try that are not allowed by default, named so the message can say
		// what they are
		if (starts(b, 0, 'P', 'K', 3, 4)) {
			return Found.of("application/zip", "ZIP archive (or an Office document)", true);
		}
		if (starts(b, 0, 'M', 'Z')) {
			return Found.of("application/x-msdownload", "Windows program", true);
		}
		if (starts(b, 0, 0x7F, 'E', 'L', 'F')) {
			return Found.of("application/x-executable", "program", true);
		}
		if (isUtf8Text(b)) {
			return Found.of("text/plain", "text", true);
		}
		return Found.of(UNKNOWN, "unknown kind of file", true);
	}

	/**
	 * UTF-8 (a BOM allowed) without NUL or other control characters than tab, line breaks
	 * and form feed.
	 */
	static boolean isUtf8Text(byte[] b) {
		for (byte x : b) {
			int c = x & 0xFF;
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1B) {
				return false;
			}
		}
		try {
			StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(b));
			return true;
		}
		catch (CharacterCodingException e) {
			return false;
		}
	}

	private static boolean starts(byte[] b, int at, int... magic) {
		if (b.length < at + magic.length) {
			return false;
		}
		for (int i = 0; i < magic.length; i++) {
			if ((b[at + i] & 0xFF) != magic[i]) {
				return false;
			}
		}
		return true;
	}

	private static boolean ends(byte[] b, int... magic) {
		return b.length >= magic.length && starts(b, b.length - magic.length, magic);
	}

	private static boolean tailContains(byte[] b, String marker) {
		byte[] tail = Arrays.copyOfRange(b, Math.max(0, b.length - 1024), b.length);
		return new String(tail, StandardCharsets.ISO_8859_1).contains(marker);
	}

	/** A RIFF file's declared length matches what arrived. */
	private static boolean riffWhole(byte[] b) {
		return b.length >= 12 && le32(b, 4) + 8L <= b.length;
	}

	private static int int32(byte[] b, int at) {
		return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
	}

	private static int le16(byte[] b, int at) {
		return (b[at] & 0xFF) | ((b[at + 1] & 0xFF) << 8);
	}

	private static long le32(byte[] b, int at) {
		return (b[at] & 0xFFL) | ((b[at + 1] & 0xFFL) << 8) | ((b[at + 2] & 0xFFL) << 16) | ((b[at + 3] & 0xFFL) << 24);
	}

	/** Width and height from the first start-of-frame marker; null if there is none. */
	private static int @Nullable [] jpegSize(byte[] b) {
		int i = 2;
		while (i + 9 < b.length) {
			if ((b[i] & 0xFF) != 0xFF) {
				return null;
			}
			int marker = b[i + 1] & 0xFF;
			if (marker == 0xFF) {
				i++;
				continue;
			}
			int length = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
			boolean startOfFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8
					&& marker != 0xCC;
			if (startOfFrame) {
				int height = ((b[i + 5] & 0xFF) << 8) | (b[i + 6] & 0xFF);
				int width = ((b[i + 7] & 0xFF) << 8) | (b[i + 8] & 0xFF);
				return new int[] { width, height };
			}
			i += 2 + length;
		}
		return null;
	}

	private static int @Nullable [] webpSize(byte[] b) {
		if (b.length < 30) {
			return null;
		}
		if (starts(b, 12, 'V', 'P', '8', 'X')) {
			int w = 1 + ((b[24] & 0xFF) | ((b[25] & 0xFF) << 8) | ((b[26] & 0xFF) << 16));
			int h = 1 + ((b[27] & 0xFF) | ((b[28] & 0xFF) << 8) | ((b[29] & 0xFF) << 16));
			return new int[] { w, h };
		}
		if (starts(b, 12, 'V', 'P', '8', ' ')) {
			return new int[] { le16(b, 26) & 0x3FFF, le16(b, 28) & 0x3FFF };
		}
		if (starts(b, 12, 'V', 'P', '8', 'L')) {
			long bits = le32(b, 21);
			return new int[] { (int) (bits & 0x3FFF) + 1, (int) ((bits >> 14) & 0x3FFF) + 1 };
		}
		return null;
	}

}
