package dev.streamchat.attachments;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import javax.imageio.ImageIO;

import dev.streamchat.chat.NewAttachment;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a user sees when a file comes in: accepted with its type and pixel size, or
 * refused with the reason.
 */
class AttachmentIntakeTest {

	static final AttachmentIntake intake = new AttachmentIntake(new AttachmentProperties(DataSize.ofKilobytes(100),
			DataSize.ofKilobytes(150), 3,
			List.of("image/png", "image/jpeg", "image/gif", "application/pdf", "text/plain"), Duration.ofHours(1)));

	static byte[] image(String format, int width, int height) throws IOException {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		image.setRGB(0, 0, 0xFF0000);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ImageIO.write(image, format, out);
		return out.toByteArray();
	}

	@Test
	void imagesAreRecognisedByTheirContentWithTheirPixelSize() throws IOException {
		NewAttachment png = intake.check("screenshot.png", image("png", 640, 480));
		NewAttachment jpeg = intake.check("photo", image("jpg", 33, 17));
		NewAttachment gif = intake.check("anim.gif", image("gif", 5, 7));

		assertThat(png.mimeType()).isEqualTo("image/png");
		assertThat(png.width()).isEqualTo(640);
		assertThat(png.height()).isEqualTo(480);
		assertThat(jpeg.mimeType()).as("no extension needed").isEqualTo("image/jpeg");
		assertThat(jpeg.width()).isEqualTo(33);
		assertThat(jpeg.height()).isEqualTo(17);
		assertThat(gif.width()).isEqualTo(5);
		assertThat(gif.height()).isEqualTo(7);
	}

	@Test
	void textAndCodeFilesArePlainTextAndAPdfIsAPdf() {
		NewAttachment code = intake.check("Main.java",
				"class Main { String s = \"ü\"; }\n".getBytes(StandardCharsets.UTF_8));
		NewAttachment pdf = intake.check("paper.pdf",
				"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));

		assertThat(code.mimeType()).isEqualTo("text/plain");
		assertThat(code.width()).isNull();
		assertThat(pdf.mimeType()).isEqualTo("application/pdf");
	}

	@Test
	void aProgramNamedLikeAnImageIsRefusedForWhatItIs() {
		byte[] program = new byte[200];
		program[0] = 'M';
		program[1] = 'Z';

		assertThatThrownBy(() -> intake.check("cute-cat.png", program)).isInstanceOf(AttachmentRejectedException.class)
			.hasMessageContaining("cute-cat.png cannot be attached")
			.hasMessageContaining("Windows program")
			.hasMessageContaining("image/png");
	}

	@Test
	void binaryOfNoKnownKindIsRefused() {
		byte[] noise = new byte[100];
		Arrays.fill(noise, (byte) 0x01);

		assertThatThrownBy(() -> intake.check("data.bin", noise)).hasMessageContaining("unknown kind of file");
	}

	@Test
	void anEmptyFileIsRefusedBeforeAndAfterItsUpload() {
		assertThatThrownBy(() -> intake.admit("empty.txt", 0, 0, 0)).hasMessage("empty.txt is empty.");
		assertThatThrownBy(() -> intake.check("empty.txt", new byte[0])).hasMessage("empty.txt is empty.");
	}

	@Test
	void aFileTooLargeIsRefusedByItsDeclaredSizeBeforeAByteTravels() {
		assertThatThrownBy(() -> intake.admit("movie.png", 5 * 1024 * 1024, 0, 0))
			.hasMessage("movie.png is too large: 5.0 MB, at most 100 KB per file.");
	}

	@Test
	void aFileLargerThanItClaimedIsCutOffAtTheLimitNotReadToTheEnd() {
		CountingStream endless = new CountingStream(new byte[10 * 1024 * 1024]);

		assertThatThrownBy(() -> intake.receive("liar.png", 10, endless))
			.hasMessage("liar.png is too large: more than 100 KB per file.");
		assertThat(endless.read).isLessThan(200 * 1024);
	}

	@Test
	void theFilesOfOneMessageAreLimitedInNumberAndTotal() {
		assertThatThrownBy(() -> intake.admit("fourth.png", 10, 30, 3))
			.hasMessage("At most 3 files can be attached to one message.");
		assertThatThrownBy(() -> intake.admit("big.png", 90 * 1024, 90 * 1024, 1))
			.hasMessageContaining("big.png does not fit: the files of one message may total at most 150 KB");
	}

	@Test
	void aDamagedImageIsRefused() throws IOException {
		byte[] png = image("png", 20, 20);
		byte[] truncated = Arrays.copyOf(png, png.length - 20);

		assertThatThrownBy(() -> intake.check("broken.png", truncated))
			.hasMessage("broken.png looks damaged or incomplete (a PNG image without its end); it was not attached.");
	}

	@Test
	void anUploadCutOffHalfwayIsRefusedAndSaysHowFarItGot() throws IOException {
		byte[] png = image("png", 50, 50);
		InputStream breaks = new InputStream() {
			int at;

			@Override
			public int read() throws IOException {
				if (at >= png.length / 2) {
					throw new IOException("connection reset");
				}
				return png[at++] & 0xFF;
			}
		};

		assertThatThrownBy(() -> intake.receive("half.png", png.length, breaks))
			.hasMessageStartingWith("The upload of half.png was cut off after ")
			.hasMessageEndingWith("; nothing was kept. Try again.");
	}

	@Test
	void anUploadThatEndsBeforeItsDeclaredSizeIsCutOff() throws IOException {
		byte[] png = image("png", 50, 50);

		assertThatThrownBy(() -> intake.receive("short.png", png.length + 1000, new ByteArrayInputStream(png)))
			.hasMessageContaining("was cut off after");
	}

	@Test
	void aFileNameLosesItsPathAndControlCharacters() {
		assertThat(AttachmentIntake.cleanName("C:\\Users\\me\\notes\u0007.txt")).isEqualTo("notes.txt");
		assertThat(AttachmentIntake.cleanName("../../etc/passwd")).isEqualTo("passwd");
		assertThat(AttachmentIntake.cleanName("")).isEqualTo("file");
	}

	static final class CountingStream extends ByteArrayInputStream {

		long read;

		CountingStream(byte[] bytes) {
			super(bytes);
		}

		@Override
		public synchronized int read(byte[] b, int off, int len) {
			int n = super.read(b, off, len);
			read += Math.max(n, 0);
			return n;
		}

	}

}
