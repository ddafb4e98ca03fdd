package dev.streamchat.chat;

public enum Role {

	USER, ASSISTANT

}
