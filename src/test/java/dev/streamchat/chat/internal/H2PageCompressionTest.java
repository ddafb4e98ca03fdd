package dev.streamchat.chat.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class H2PageCompressionTest {

	@Test
	void anH2DatabaseOnDiskStoresItsPagesCompressed() {
		assertThat(H2PageCompression.compressed("jdbc:h2:file:./data/streamchat"))
			.isEqualTo("jdbc:h2:file:./data/streamchat;COMPRESS=TRUE");
		assertThat(H2PageCompression.compressed("jdbc:h2:./data/chat;DB_CLOSE_ON_EXIT=FALSE"))
			.isEqualTo("jdbc:h2:./data/chat;DB_CLOSE_ON_EXIT=FALSE;COMPRESS=TRUE");
	}

	@Test
	void anOperatorsOwnChoiceAndOtherDatabasesAreLeftAlone() {
		assertThat(H2PageCompression.compressed("jdbc:h2:file:/srv/chat;compress=false"))
			.isEqualTo("jdbc:h2:file:/srv/chat;compress=false");
		assertThat(H2PageCompression.compressed("jdbc:h2:mem:test")).isEqualTo("jdbc:h2:mem:test");
		assertThat(H2PageCompression.compressed("jdbc:postgresql://db/chat")).isEqualTo("jdbc:postgresql://db/chat");
	}

}
