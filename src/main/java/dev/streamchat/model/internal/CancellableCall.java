package dev.streamchat.model.internal;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import okhttp3.Call;
import okhttp3.Interceptor;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lets another thread abort the HTTP call a stream is blocked in. Closing the SDK's
 * stream from another thread waits for the next chunk, which a silent model may never
 * send; cancelling the OkHttp call closes the socket at once and the reading thread fails
 * fast.
 * <p>
 * The SDK executes the call on the thread that asks for the stream, so that thread binds
 * its handle and the interceptor picks it up. The interceptor also keeps what an error
 * response says about retrying, which the SDK's exceptions do not carry.
 */
final class CancellableCall {

	private static final ThreadLocal<CancellableCall> CURRENT = new ThreadLocal<>();

	/**
	 * The interceptor of a model's OkHttp client: attaches each call to the handle bound
	 * to its thread, and reads error bodies with {@code json}.
	 */
	static Interceptor interceptor(JsonMapper json) {
		return chain -> {
			CancellableCall handle = CURRENT.get();
			if (handle != null) {
				handle.attach(chain.call());
			}
			Response response = chain.proceed(chain.request());
			if (handle != null && !response.isSuccessful()) {
				handle.errorDetails = ErrorDetails.of(response, json);
			}
			return response;
		};
	}

	private final AtomicReference<Call> call = new AtomicReference<>();

	private volatile boolean cancelled;

	/** What the last error response said beyond its status; null if none. */
	private volatile @Nullable ErrorDetails errorDetails;

	/**
	 * Runs {@code action} (which starts the HTTP call) with this handle bound to the
	 * current thread.
	 */
	<T> T bind(Supplier<T> action) {
		CURRENT.set(this);
		try {
			return action.get();
		}
		finally {
			CURRENT.remove();
		}
	}

	void cancel() {
		cancelled = true;
		Call current = call.get();
		if (current != null) {
			current.cancel();
		}
	}

	boolean isCancelled() {
		return cancelled;
	}

	@Nullable ErrorDetails errorDetails() {
		return errorDetails;
	}

	private void attach(Call newCall) {
		call.set(newCall);
		if (cancelled) {
			newCall.cancel();
		}
	}

}
