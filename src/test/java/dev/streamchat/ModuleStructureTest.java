package dev.streamchat;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/** Top-level packages are modules; their internal parts stay internal, and no cycles form. */
class ModuleStructureTest {

    @Test
    void modulesRespectTheirBoundaries() {
        ApplicationModules.of(StreamChatApplication.class).verify();
    }
}
