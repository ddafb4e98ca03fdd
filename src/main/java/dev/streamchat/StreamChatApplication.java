package dev.streamchat;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class StreamChatApplication {

	public static void main(String[] args) {
		SpringApplication.run(StreamChatApplication.class, args);
	}

}
