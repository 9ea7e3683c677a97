package dev.ratequeue.testing.openai;

/** A request OpenAI would answer with {@code 400 invalid_request_error}; the message says what was wrong. */
public final class InvalidRequestException extends Exception {

    /** The request field at fault, or null. */
    public final String param;

    public InvalidRequestException(String message, String param) {
        super(message);
        this.param = param;
    }
}
