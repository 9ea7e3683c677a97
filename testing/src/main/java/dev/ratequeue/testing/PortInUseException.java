package dev.ratequeue.testing;

/** redis-server could not bind its port: the caller decides whether to try again or pick another port. */
final class PortInUseException extends IllegalStateException {

    PortInUseException(String message) {
        super(message);
    }
}
