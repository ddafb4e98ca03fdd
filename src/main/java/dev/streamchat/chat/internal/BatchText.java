package dev.streamchat.chat.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

/**
 * A streaming reply's batch as its {@code message_chunk} row holds it: deflated (raw
 * DEFLATE of its UTF-8) in {@code packed} when that is smaller, else as text in
 * {@code content} (then {@code packed} is empty, or null in rows written before it
 * existed). Issue 15: the batches are the first of the two copies of a reply's text that
 * the database writes (the second is {@code message.content} when the reply ends), and
 * PostgreSQL's own compression of a 4 000-character batch (pglz, each row alone, and only
 * over 2 KB) kept 0.65 of prose where DEFLATE keeps 0.42; that copy's WAL and pages were
 * most of the gap to 3 bytes written per answer byte. Each batch is packed alone, so any
 * one row reads without the others. Packing runs on the batcher's thread, before the
 * statement, so neither the screen nor the fence waits for it.
 * <p>
 * Only on PostgreSQL ({@link #packsOn}): H2 keeps a text column's long values apart from
 * the row, written once, but a binary column's in the table's B-tree leaf, which it
 * rewrites whole at every background store while a reply streams, and a BLOB cost more
 * still (s3v on H2: 2.0–2.3 bytes written per answer byte as text, 3.6 packed in
 * VARBINARY, 10.9 in a BLOB). Rows of either kind read back alike on both.
 */
public final class BatchText implements RowMapper<String> {

	/** What a row's {@code packed} holds when its text is in {@code content}. */
	public static final byte[] NOT_PACKED = new byte[0];

	/** Whether batches are stored packed on this database: on PostgreSQL only. */
	public static boolean packsOn(DataSource database) {
		try {
			return "PostgreSQL"
				.equals(JdbcUtils.extractDatabaseMetaData(database, DatabaseMetaData::getDatabaseProductName));
		}
		catch (MetaDataAccessException e) {
			// not known: text, which every database stores
			return false;
		}
	}

	/**
	 * The batch deflated, or an empty array when that is not smaller than its UTF-8
	 * (short batches): then the row keeps the text.
	 */
	public static byte[] pack(String text) {
		byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
		if (utf8.length < 64) {
			return NOT_PACKED;
		}
		Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
		try {
			deflater.setInput(utf8);
			deflater.finish();
			// no bigger than the text, or it is not worth it
			byte[] out = new byte[utf8.length];
			int length = 0;
			while (!deflater.finished() && length < out.length) {
				length += deflater.deflate(out, length, out.length - length);
			}
			return deflater.finished() && length < utf8.length ? Arrays.copyOf(out, length) : NOT_PACKED;
		}
		finally {
			deflater.end();
		}
	}

	/** What the row's text column holds for a batch packed as {@code packed}. */
	public static String content(String text, byte[] packed) {
		return packed.length == 0 ? text : "";
	}

	/** The batch's text from its row's two columns. */
	public static String unpack(String content, byte @Nullable [] packed) {
		if (packed == null || packed.length == 0) {
			return content;
		}
		Inflater inflater = new Inflater(true);
		try {
			inflater.setInput(packed);
			ByteArrayOutputStream utf8 = new ByteArrayOutputStream(packed.length * 3);
			byte[] buffer = new byte[8192];
			while (!inflater.finished()) {
				int n = inflater.inflate(buffer);
				if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
					throw new IllegalStateException("a stored batch ends before its text does");
				}
				utf8.write(buffer, 0, n);
			}
			return content + utf8.toString(StandardCharsets.UTF_8);
		}
		catch (DataFormatException e) {
			throw new IllegalStateException("a stored batch is not DEFLATE data", e);
		}
		finally {
			inflater.end();
		}
	}

	/** Reads a row's {@code content} and {@code packed} into its text. */
	@Override
	public String mapRow(ResultSet rs, int rowNum) throws SQLException {
		String content = rs.getString("content");
		return unpack(content == null ? "" : content, rs.getBytes("packed"));
	}

}
