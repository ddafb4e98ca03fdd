package dev.streamchat.chat.internal;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

@Table("pane")
public record PaneRow(@Id Long id, Long ownerId, String title, String model, int position, boolean open,
                      Instant createdAt, String systemInstruction, Double temperature) {

    public PaneRow withModel(String newModel) {
        return new PaneRow(id, ownerId, title, newModel, position, open, createdAt, systemInstruction, temperature);
    }

    public PaneRow withSettings(String newInstruction, Double newTemperature) {
        return new PaneRow(id, ownerId, title, model, position, open, createdAt, newInstruction, newTemperature);
    }

    public PaneRow closed() {
        return new PaneRow(id, ownerId, title, model, position, false, createdAt, systemInstruction, temperature);
    }
}
