package dev.ratequeue.coordination.redis;

/** One operation in a script call: a code and up to three fields (see the header of ratequeue.lua). */
final class Op {
  static final String SEED = "S";
  static final String UPDATE = "U";
  static final String HEARTBEAT = "H";
  static final String ENQUEUE = "E";
  static final String TRY = "T";
  static final String CANCEL = "C";
  static final String RELEASE = "R";
  static final String RECONCILE = "D";
  static final String PAUSE = "P";
  static final String RESUME = "O";
  static final String ACK = "A";
  static final String CHECK = "K";
  static final String READ_LIMITS = "L";
  static final String SNAPSHOT = "N";
  static final String HOLD_BACK = "B";
  static final String OVERLOADED = "Y";
  static final String RESET = "V";

  final String code;
  final String id;
  final String a;
  final String b;

  private Op(String code, String id, String a, String b) {
    this.code = code;
    this.id = id;
    this.a = a;
    this.b = b;
  }

  static Op of(String code) {
    return new Op(code, "", "", "");
  }

  static Op of(String code, String id) {
    return new Op(code, id, "", "");
  }

  static Op of(String code, String id, Object a, Object b) {
    return new Op(code, id, String.valueOf(a), String.valueOf(b));
  }

  /** Ops whose effect must not be lost when a call fails: replayed once the coordinator is back. */
  boolean mustReach() {
    return code.equals(CANCEL) || code.equals(RELEASE) || code.equals(RECONCILE);
  }

  @Override
  public String toString() {
    return code + " " + id + " " + a + " " + b;
  }
}
