package dev.streamchat.model;

/** A model failure, already translated into words a user can act on. */
public class ModelException extends RuntimeException {

    public enum Kind {
        /** The request itself is wrong (400) or the model does not exist (404). */
        BAD_REQUEST(false),
        /** The key was rejected or lacks permission (401, 403). */
        AUTH(false),
        /** Too many requests (429). */
        RATE_LIMITED(true),
        /** The provider failed or is overloaded (5xx). */
        SERVER(true),
        /** No connection could be made. */
        UNREACHABLE(true),
        /** The connection broke or the stream was garbled after it started. */
        BROKEN_STREAM(false),
        /** Nothing arrived for longer than the idle timeout. */
        STALLED(false),
        /** The answer was withheld by the provider's safety filters. */
        BLOCKED(false),
        /** The stream was cancelled on our side. */
        CANCELLED(false);

        private final boolean transientFailure;

        Kind(boolean transientFailure) {
            this.transientFailure = transientFailure;
        }

        /** Whether trying again later could succeed. */
        public boolean isTransient() {
            return transientFailure;
        }
    }

    private final Kind kind;
    private final int httpStatus;

    public ModelException(Kind kind, int httpStatus, String userMessage, Throwable cause) {
        super(userMessage, cause);
        this.kind = kind;
        this.httpStatus = httpStatus;
    }

    public ModelException(Kind kind, String userMessage) {
        this(kind, 0, userMessage, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status behind the failure, or 0. */
    public int httpStatus() {
        return httpStatus;
    }
}
