package dev.streamchat.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * A TCP proxy on loopback that, once slowed, delays every byte by a latency and limits
 * each direction of each connection to a bandwidth. Chromium's DevTools throttling leaves
 * WebSocket frames alone, so this is how a test gets Vaadin's pushes onto a slow network.
 */
public final class SlowNetworkProxy implements AutoCloseable {

	private final ServerSocket server;

	private final int targetPort;

	private volatile long latencyNanos;

	private volatile int bytesPerSecond;

	public SlowNetworkProxy(int targetPort) throws IOException {
		this.targetPort = targetPort;
		this.server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
		Thread.ofPlatform().daemon().name("slow-proxy-accept").start(this::accept);
	}

	public int port() {
		return server.getLocalPort();
	}

	/**
	 * From now on: this much latency each way, at most this many bytes a second per
	 * direction.
	 */
	public void slowDown(Duration latency, int bytesPerSecond) {
		this.latencyNanos = latency.toNanos();
		this.bytesPerSecond = bytesPerSecond;
	}

	@Override
	public void close() throws IOException {
		server.close();
	}

	private void accept() {
		while (!server.isClosed()) {
			try {
				Socket client = server.accept();
				Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
				client.setTcpNoDelay(true);
				upstream.setTcpNoDelay(true);
				pipe(client, upstream);
				pipe(upstream, client);
			}
			catch (IOException e) {
				// closed
			}
		}
	}

	/**
	 * Reads as it comes, releases each piece after the latency, paced to the bandwidth.
	 */
	private void pipe(Socket from, Socket to) {
		DelayQueue<Piece> queue = new DelayQueue<>();
		Thread.ofVirtual().start(() -> {
			try (InputStream in = from.getInputStream()) {
				byte[] buffer = new byte[16 * 1024];
				int read;
				while ((read = in.read(buffer)) >= 0) {
					byte[] copy = Arrays.copyOf(buffer, read);
					queue.add(new Piece(copy, System.nanoTime() + latencyNanos));
				}
			}
			catch (IOException ignored) {
				// connection closed
			}
			queue.add(new Piece(null, System.nanoTime() + latencyNanos));
		});
		Thread.ofVirtual().start(() -> {
			try (OutputStream out = to.getOutputStream()) {
				while (true) {
					Piece piece = queue.take();
					if (piece.bytes() == null) {
						break;
					}
					int rate = bytesPerSecond;
					int chunk = rate > 0 ? Math.max(1, rate / 20) : piece.bytes().length;
					for (int at = 0; at < piece.bytes().length; at += chunk) {
						int length = Math.min(chunk, piece.bytes().length - at);
						out.write(piece.bytes(), at, length);
						out.flush();
						if (rate > 0) {
							TimeUnit.NANOSECONDS.sleep(length * 1_000_000_000L / rate);
						}
					}
				}
			}
			catch (IOException | InterruptedException ignored) {
				// connection closed
			}
			finally {
				try {
					from.close();
					to.close();
				}
				catch (IOException ignored) {
					// closing anyway
				}
			}
		});
	}

	private record Piece(byte @Nullable [] bytes, long dueNanos) implements Delayed {
		@Override
		public long getDelay(TimeUnit unit) {
			return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
		}

		@Override
		public int compareTo(Delayed other) {
			return Long.compare(dueNanos, ((Piece) other).dueNanos);
		}
	}

}
