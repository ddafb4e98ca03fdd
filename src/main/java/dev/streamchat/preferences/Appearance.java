package dev.streamchat.preferences;

/**
 * The colour scheme a user chose: follow the operating system's setting, or always light
 * or dark.
 */
public enum Appearance {

	SYSTEM, LIGHT, DARK

}
