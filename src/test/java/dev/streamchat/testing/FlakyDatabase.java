package dev.streamchat.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;

import javax.sql.DataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Wraps the application's DataSource so a test can make statements fail as if the
 * database connection were lost: either only the appends of streamed text, or every
 * write.
 */
@TestConfiguration(proxyBeanMethods = false)
public class FlakyDatabase {

	public enum Outage {

		NONE, APPENDS, ALL_WRITES

	}

	private volatile Outage outage = Outage.NONE;

	public void fail(Outage what) {
		outage = what;
	}

	public void recover() {
		outage = Outage.NONE;
	}

	@Bean
	static BeanPostProcessor flakyDataSource(FlakyDatabase flaky) {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String name) {
				return bean instanceof DataSource dataSource ? flaky.wrap(dataSource) : bean;
			}
		};
	}

	private DataSource wrap(DataSource target) {
		return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { DataSource.class },
				(proxy, method, args) -> {
					Object result = invoke(target, method, args);
					return result instanceof Connection connection ? wrap(connection) : result;
				});
	}

	private Connection wrap(Connection target) {
		return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Connection.class },
				(proxy, method, args) -> {
					if (method.getName().startsWith("prepare") && args != null && args[0] instanceof String sql
							&& fails(sql.toLowerCase(Locale.ROOT))) {
						throw new SQLTransientConnectionException("connection lost (simulated outage)");
					}
					return invoke(target, method, args);
				});
	}

	private boolean fails(String sql) {
		return switch (outage) {
			case NONE -> false;
			case APPENDS -> sql.contains("insert into message_chunk");
			case ALL_WRITES -> sql.startsWith("insert") || sql.startsWith("update") || sql.startsWith("delete");
		};
	}

	private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException e) {
			throw e.getCause();
		}
	}

}
