package dev.streamchat.model;

import java.util.List;

/**
 * The models a pane may pick from. {@code demo} is true when no API key is configured and
 * the offline demo model answers instead of Gemini; the UI must say so.
 */
public record ModelCatalog(List<String> models, String defaultModel, boolean demo) {

	public ModelCatalog {
		models = List.copyOf(models);
		if (!models.contains(defaultModel)) {
			throw new IllegalArgumentException("default model " + defaultModel + " is not in " + models);
		}
	}

	/**
	 * The model to use for a pane that remembers {@code wanted}, which may no longer be
	 * offered.
	 */
	public String resolve(String wanted) {
		return models.contains(wanted) ? wanted : defaultModel;
	}
}
