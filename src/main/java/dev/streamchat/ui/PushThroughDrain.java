package dev.streamchat.ui;

import java.lang.reflect.Field;

import jakarta.servlet.ServletContext;
import org.atmosphere.cpr.AtmosphereConfig;
import org.atmosphere.cpr.AtmosphereFramework;
import org.atmosphere.cpr.BroadcasterFactory;
import org.atmosphere.cpr.DefaultBroadcasterFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps Vaadin Push working while the node drains on shutdown. Atmosphere (Vaadin's push
 * library) registers a JVM shutdown hook of its own that destroys its broadcasters at
 * once on SIGTERM; the JVM runs it beside Spring's, so every push during the drain failed
 * ("Push failed: RejectedExecutionException") and the tabs of a draining node stopped
 * streaming. Removing that hook leaves Atmosphere to be destroyed with its servlet, when
 * the web server stops: after the streaming service has drained. Found on a real SIGTERM
 * (MultiNodeBrowserTest); Atmosphere offers no setting for it, hence the reflection,
 * which only logs if Atmosphere changes.
 */
@Component
class PushThroughDrain {

	private static final Logger log = LoggerFactory.getLogger(PushThroughDrain.class);

	private final ServletContext servletContext;

	PushThroughDrain(ServletContext servletContext) {
		this.servletContext = servletContext;
	}

	@EventListener(ApplicationReadyEvent.class)
	void keepPushUntilTheWebServerStops() {
		try {
			if (!(servletContext
				.getAttribute(BroadcasterFactory.class.getName()) instanceof DefaultBroadcasterFactory factory)) {
				log.debug("No Atmosphere broadcaster factory (push not initialised yet)");
				return;
			}
			Field config = DefaultBroadcasterFactory.class.getDeclaredField("config");
			config.setAccessible(true);
			AtmosphereFramework framework = ((AtmosphereConfig) config.get(factory)).framework();
			Field hook = AtmosphereFramework.class.getDeclaredField("shutdownHook");
			hook.setAccessible(true);
			if (hook.get(framework) instanceof Thread thread && Runtime.getRuntime().removeShutdownHook(thread)) {
				// Atmosphere's own destroy (servlet destroy) would try to remove it again
				hook.set(framework, null);
				log.info("Push stays up while this node drains on shutdown (Atmosphere's shutdown hook removed)");
			}
		}
		catch (ReflectiveOperationException | RuntimeException e) {
			log.warn("Could not keep Atmosphere's push alive through a drain (tabs of a draining node may stop "
					+ "updating until they reconnect): {}", e.toString());
		}
	}

}
