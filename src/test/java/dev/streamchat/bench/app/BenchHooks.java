package dev.streamchat.bench.app;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.Conversation;
import dev.streamchat.chat.ConversationId;
import dev.streamchat.chat.ConversationStore;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Messages;
import dev.streamchat.chat.Outcome;
import dev.streamchat.chat.ReplyWriter;
import dev.streamchat.chat.Usage;
import dev.streamchat.security.UserAccounts;
import dev.streamchat.security.UserId;
import dev.streamchat.streaming.ReplyStorage;
import dev.streamchat.streaming.StreamingService;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

import static java.util.Objects.requireNonNull;

/**
 * Benchmark-only additions to the application, loaded into the app's JVM by the benchmark
 * ({@code --spring.main.sources=dev.streamchat.bench.app.BenchHooks}) and never part of
 * the jar:
 * <ul>
 * <li>{@code bench.strategy=naive}: the seed plan's streaming loop (1.1.1 + 1.2.1): every
 * chunk is stored by reading the whole reply and writing it back, before it is
 * published;</li>
 * <li>a count of the JDBC statements the app executes, by kind;</li>
 * <li>a tiny control server on {@code bench.control-port} (loopback only) to set up
 * panes, start replies without typing, and read counters and the heap after GC.</li>
 * </ul>
 * Not annotated on purpose: component scanning must never pick it up in tests.
 */
public class BenchHooks {

	static final Map<String, LongAdder> STATEMENTS = new ConcurrentHashMap<>();

	/**
	 * Seed plan 1.2.1 ({@code appendMessageContent}): read the message, write back
	 * content + chunk, per chunk.
	 */
	@Bean
	@Primary
	@ConditionalOnProperty(name = "bench.strategy", havingValue = "naive")
	ReplyStorage naiveReplyStorage(DataSource dataSource) {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		return reply -> new ReplyStorage.Writer() {
			private int writes;

			@Override
			public void append(int offset, String text) {
				String content = jdbc.queryForObject("select content from message where id = ?", String.class,
						reply.value());
				jdbc.update("update message set content = ? where id = ?", content + text, reply.value());
				writes++;
			}

			@Override
			public void appendThought(int offset, String text) {
				String thinking = jdbc.queryForObject("select thinking from message where id = ?", String.class,
						reply.value());
				jdbc.update("update message set thinking = ? where id = ?", thinking + text, reply.value());
			}

			@Override
			public boolean close(Duration timeout) {
				return true;
			}

			@Override
			public int writes() {
				return writes;
			}
		};
	}

	/**
	 * Counts executed statements by their first word (select, insert, update, delete,
	 * ...).
	 */
	@Bean
	static BeanPostProcessor countingDataSource() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				return bean instanceof DataSource ds ? proxy(DataSource.class, ds, null) : bean;
			}
		};
	}

	@SuppressWarnings("unchecked")
	private static <T> T proxy(Class<T> type, T target, @Nullable String sql) {
		InvocationHandler handler = (p, method, args) -> {
			String name = method.getName();
			if (name.startsWith("execute") && target instanceof Statement) {
				String text = sql != null ? sql
						: args != null && args.length > 0 && args[0] instanceof String s ? s : "?";
				String kind = text.strip().split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
				STATEMENTS.computeIfAbsent(kind, k -> new LongAdder()).increment();
			}
			try {
				Object result = method.invoke(target, args);
				if (result instanceof Connection c && !(result instanceof Proxy)) {
					return proxy(Connection.class, c, null);
				}
				if (result instanceof CallableStatement s) {
					return proxy(CallableStatement.class, s, (String) args[0]);
				}
				if (result instanceof PreparedStatement s) {
					return proxy(PreparedStatement.class, s, (String) args[0]);
				}
				if (result instanceof Statement s && name.equals("createStatement")) {
					return proxy(Statement.class, s, null);
				}
				return result;
			}
			catch (InvocationTargetException e) {
				throw e.getCause();
			}
		};
		return (T) Proxy.newProxyInstance(BenchHooks.class.getClassLoader(), new Class<?>[] { type }, handler);
	}

	@Bean
	ControlServer benchControlServer(Environment env, ConversationStore paneStore, Messages messageStore,
			ReplyWriter replyWriter, StreamingService streaming, DataSource dataSource, UserAccounts accounts,
			MeterRegistry meters) {
		return new ControlServer(env.getProperty("bench.control-port", Integer.class, 0), paneStore, messageStore,
				replyWriter, streaming, new JdbcTemplate(dataSource), accounts, meters,
				env.getRequiredProperty("chat.security.bootstrap-user"),
				env.getRequiredProperty("chat.security.bootstrap-password"));
	}

	/** Loopback HTTP: {@code GET /path?a=b} answers a small JSON or text body. */
	static final class ControlServer implements SmartLifecycle {

		private final int port;

		private final ConversationStore paneStore;

		private final Messages messageStore;

		private final ReplyWriter replyWriter;

		private final StreamingService streaming;

		/** Whose each reply sent here is: its live text is asked for as its owner. */
		private final Map<MessageId, UserId> owners = new ConcurrentHashMap<>();

		private final JdbcTemplate jdbc;

		private final UserAccounts accounts;

		private final MeterRegistry meters;

		private final String username;

		/**
		 * The benchmark's one password, also for the accounts it adds (one per tab in
		 * scenario 6).
		 */
		private final String password;

		private @Nullable HttpServer server;

		ControlServer(int port, ConversationStore paneStore, Messages messageStore, ReplyWriter replyWriter,
				StreamingService streaming, JdbcTemplate jdbc, UserAccounts accounts, MeterRegistry meters,
				String username, String password) {
			this.port = port;
			this.paneStore = paneStore;
			this.messageStore = messageStore;
			this.replyWriter = replyWriter;
			this.streaming = streaming;
			this.jdbc = jdbc;
			this.accounts = accounts;
			this.meters = meters;
			this.username = username;
			this.password = password;
		}

		/**
		 * The one user the benchmark's browser signs in as (created at start-up from
		 * chat.security.bootstrap-*).
		 */
		private UserId user() {
			return accounts.find(username).orElseThrow();
		}

		@Override
		public void start() {
			HttpServer http;
			try {
				http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
			}
			catch (IOException e) {
				throw new IllegalStateException(e);
			}
			server = http;
			http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
			route(http, "/stats", q -> stats());
			route(http, "/heap", q -> Long.toString(heapAfterGc()));
			route(http, "/push-latency", q -> histogram("chat.ui.push-latency"));
			route(http, "/push-lock-held", q -> histogram("chat.ui.push-lock-held"));
			route(http, "/panes", q -> panes(Integer.parseInt(q.get("count")), q.getOrDefault("user", username)));
			route(http, "/open", q -> {
				jdbc.update("update pane set open = true where id in (" + ids(requireNonNull(q.get("ids"))) + ")");
				return "ok";
			});
			route(http, "/send", q -> send(requireNonNull(q.get("panes")), requireNonNull(q.get("prompt"))));
			route(http, "/status", q -> status(requireNonNull(q.get("ids"))));
			route(http, "/seed", q -> seed(Integer.parseInt(q.get("panes")), Integer.parseInt(q.get("messages")),
					Integer.parseInt(q.get("chars"))));
			http.start();
		}

		private void route(HttpServer http, String path, Function<Map<String, String>, String> handler) {
			http.createContext(path, exchange -> {
				int code = 200;
				String body;
				try {
					body = handler.apply(query(exchange));
				}
				catch (RuntimeException e) {
					code = 500;
					body = e.toString();
				}
				byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
				exchange.sendResponseHeaders(code, bytes.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(bytes);
				}
			});
		}

		private static Map<String, String> query(HttpExchange exchange) {
			Map<String, String> result = new LinkedHashMap<>();
			String raw = exchange.getRequestURI().getRawQuery();
			if (raw != null) {
				for (String pair : raw.split("&")) {
					int eq = pair.indexOf('=');
					result.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
							URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
				}
			}
			return result;
		}

		private static String ids(String csv) {
			return Arrays.stream(csv.split(","))
				.map(Long::parseLong)
				.map(String::valueOf)
				.collect(Collectors.joining(","));
		}

		private String stats() {
			String statements = STATEMENTS.entrySet()
				.stream()
				.map(e -> "\"" + e.getKey() + "\":" + e.getValue().sum())
				.collect(Collectors.joining(","));
			return "{\"statements\":{" + statements + "}}";
		}

		/**
		 * One of the app's own timer histograms, cumulative per bucket:
		 * {@code [[ms, count], …]}. chat.ui.push-latency (an update's arrival at a tab →
		 * its push, lock wait included) is the server's share of the latency, whatever
		 * the browser does with the push; chat.ui.push-lock-held how long each push held
		 * its session's lock (absent before it existed).
		 */
		private String histogram(String name) {
			var timer = meters.find(name).timer();
			if (timer == null) {
				return "[]";
			}
			return Arrays.stream(timer.takeSnapshot().histogramCounts())
				.map(b -> "[" + b.bucket(TimeUnit.MILLISECONDS) + "," + (long) b.count() + "]")
				.collect(Collectors.joining(",", "[", "]"));
		}

		/**
		 * The heap in use once full collections stop freeing anything (two in a row
		 * within 1 %, at most ten): what is still reachable, without waiting a fixed
		 * time. A {@code System.gc()} is a full, synchronous collection with G1.
		 */
		private static long heapAfterGc() {
			var memory = ManagementFactory.getMemoryMXBean();
			System.gc();
			long used = memory.getHeapMemoryUsage().getUsed();
			for (int i = 0; i < 10; i++) {
				System.gc();
				long now = memory.getHeapMemoryUsage().getUsed();
				boolean settled = now >= used * 0.99;
				used = Math.min(used, now);
				if (settled) {
					break;
				}
			}
			return used;
		}

		/**
		 * Hides every open pane of {@code name} (an account created with the benchmark's
		 * password if new) and creates {@code count} new ones: a tab of theirs opened now
		 * shows exactly these.
		 */
		private String panes(int count, String name) {
			UserId owner = accounts.find(name).orElseGet(() -> accounts.create(name, password));
			jdbc.update("update pane set open = false where open = true and owner_id = ?", owner.value());
			List<String> ids = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				ids.add(paneStore.create(owner, "gemini-2.5-flash").id().toString());
			}
			return String.join(",", ids);
		}

		/**
		 * Sends {@code prompt + "#" + i} to the i-th pane, as the Send button would;
		 * answers the reply ids.
		 */
		private String send(String panes, String prompt) {
			List<String> replies = new ArrayList<>();
			String[] ids = panes.split(",");
			for (int i = 0; i < ids.length; i++) {
				ConversationId pane = new ConversationId(Long.parseLong(ids[i]));
				UserId owner = new UserId(requireNonNull(
						jdbc.queryForObject("select owner_id from pane where id = ?", Long.class, pane.value())));
				ChatMessage reply = streaming.send(owner, pane, prompt + "#" + i);
				owners.put(reply.id(), owner);
				replies.add(reply.id().toString());
			}
			return String.join(",", replies);
		}

		/**
		 * Replies still generating are answered from memory, so polling adds no
		 * statements to the counts.
		 */
		private String status(String replies) {
			return Arrays.stream(replies.split(","))
				.map(id -> new MessageId(Long.parseLong(id)))
				.map(id -> live(id) ? "STREAMING"
						: messageStore.stored(id).map(m -> m.status().name()).orElse("MISSING"))
				.collect(Collectors.joining(","));
		}

		private boolean live(MessageId reply) {
			UserId owner = owners.get(reply);
			return owner != null && streaming.liveText(owner, reply).isPresent();
		}

		/**
		 * Panes with finished conversations (user prompt, markdown answer), for the
		 * memory scenario.
		 */
		private String seed(int paneCount, int messages, int chars) {
			List<String> ids = new ArrayList<>();
			jdbc.update("update pane set open = false where open = true");
			for (int p = 0; p < paneCount; p++) {
				Conversation pane = paneStore.create(user(), "gemini-2.5-flash");
				ids.add(pane.id().toString());
				for (int m = 0; m < messages / 2; m++) {
					messageStore.addUserMessage(pane.owner(), pane.id(),
							"Question " + m + ": how does streaming work here?");
					ChatMessage reply = replyWriter.startReply(pane.id(), "gemini-2.5-flash");
					replyWriter.finish(reply.id(), answer(m, chars),
							new Outcome(MessageStatus.COMPLETE, null, "STOP", new Usage(10, chars / 4, 0)));
				}
			}
			return String.join(",", ids);
		}

		private static String answer(int seed, int chars) {
			StringBuilder text = new StringBuilder("## Answer " + seed + "\n\n");
			int word = 0;
			while (text.length() < chars) {
				text.append(word % 9 == 0 ? "**bold** " : "word").append(word).append(word % 40 == 39 ? ".\n\n" : " ");
				word++;
			}
			return text.toString();
		}

		@Override
		public void stop() {
			if (server != null) {
				server.stop(0);
			}
		}

		@Override
		public boolean isRunning() {
			return server != null;
		}

	}

}
