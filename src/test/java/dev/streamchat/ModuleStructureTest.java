package dev.streamchat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;
import org.springframework.modulith.docs.Documenter.DiagramOptions;

import static org.assertj.core.api.Assertions.assertThat;

/** Top-level packages are modules; their internal parts stay internal, and no cycles form. */
class ModuleStructureTest {

    static final ApplicationModules MODULES = ApplicationModules.of(StreamChatApplication.class);

    @Test
    void modulesRespectTheirBoundaries() {
        MODULES.verify();
    }

    /**
     * Writes the module diagram the README links ({@code docs/modules/components.puml}, PlantUML)
     * and one diagram per module, so they follow the code: a change of the modules shows in the
     * diff of the commit that makes it.
     */
    @Test
    void writesTheModuleDiagramIntoDocs() {
        new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder("docs/modules"))
                .writeModulesAsPlantUml(DiagramOptions.defaults().withStyle(DiagramOptions.DiagramStyle.UML))
                .writeIndividualModulesAsPlantUml(DiagramOptions.defaults().withStyle(DiagramOptions.DiagramStyle.UML));

        assertThat(Path.of("docs/modules/components.puml")).exists();
        assertThat(Files.exists(Path.of("docs/modules/module-streaming.puml"))).isTrue();
    }
}
