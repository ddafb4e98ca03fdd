package dev.streamchat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;
import org.springframework.modulith.docs.Documenter.DiagramOptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Top-level packages are modules; their internal parts stay internal, and no cycles form.
 */
class ModuleStructureTest {

	static final ApplicationModules MODULES = ApplicationModules.of(StreamChatApplication.class);

	@Test
	void modulesRespectTheirBoundaries() {
		MODULES.verify();
	}

	/**
	 * Writes the module diagram the README links ({@code docs/modules/components.puml},
	 * PlantUML) and one diagram per module, so they follow the code: a change of the
	 * modules shows in the diff of the commit that makes it.
	 */
	@Test
	void writesTheModuleDiagramIntoDocs() throws IOException {
		new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder("docs/modules"))
			.writeModulesAsPlantUml(DiagramOptions.defaults().withStyle(DiagramOptions.DiagramStyle.UML))
			.writeIndividualModulesAsPlantUml(DiagramOptions.defaults().withStyle(DiagramOptions.DiagramStyle.UML));

		sortRelationships(Path.of("docs/modules"));

		assertThat(Path.of("docs/modules/components.puml")).exists();
		assertThat(Files.exists(Path.of("docs/modules/module-streaming.puml"))).isTrue();
	}

	/**
	 * The Documenter writes the arrows in hash order, which differs from run to run:
	 * every build left the diagrams changed with nothing changed in the modules. Sorted,
	 * a diff means a change.
	 */
	private static void sortRelationships(Path folder) throws IOException {
		try (Stream<Path> files = Files.list(folder)) {
			for (Path file : files.filter(f -> f.toString().endsWith(".puml")).toList()) {
				List<String> lines = Files.readAllLines(file);
				List<String> arrows = lines.stream().filter(l -> l.contains(" --> ")).sorted().toList();
				List<String> sorted = new ArrayList<>();
				int next = 0;
				for (String line : lines) {
					sorted.add(line.contains(" --> ") ? arrows.get(next++) : line);
				}
				Files.write(file, sorted);
			}
		}
	}

}
