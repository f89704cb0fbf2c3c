package org.bevt4j.nn.fused;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal writer for Python pickle protocol 2, covering exactly the opcodes libtorch's
 * TorchScript unpickler ({@code torch/csrc/jit/serialization/unpickler.cpp}) needs to rebuild a
 * parameter-free {@code torch.jit.ScriptModule} object and an empty constants tuple.
 *
 * <p>A scripted module object is written the way libtorch's own pickler writes one:
 *
 * <pre>
 *   PROTO 2
 *   GLOBAL '__torch__' '&lt;Class&gt;'     (the TorchScript class, compiled from code/__torch__.py)
 *   EMPTY_TUPLE NEWOBJ                 (libtorch ignores the constructor call)
 *   EMPTY_DICT MARK key value ... SETITEMS   (one entry per declared attribute)
 *   BUILD                              (calls the loader: dict entries -> object slots)
 *   STOP
 * </pre>
 *
 * Strings are BINUNICODE (UTF-8, little-endian 4-byte length), booleans NEWTRUE/NEWFALSE, ints
 * BININT or LONG1 (8 bytes). No memo (BINPUT) is written; the unpickler does not require one.
 */
final class PickleWriter {
  // Opcodes (Python's pickletools names).
  private static final int PROTO = 0x80;
  private static final int STOP = '.';
  private static final int GLOBAL = 'c';
  private static final int EMPTY_TUPLE = ')';
  private static final int NEWOBJ = 0x81;
  private static final int EMPTY_DICT = '}';
  private static final int MARK = '(';
  private static final int SETITEMS = 'u';
  private static final int BUILD = 'b';
  private static final int BINUNICODE = 'X';
  private static final int NEWTRUE = 0x88;
  private static final int NEWFALSE = 0x89;
  private static final int BININT = 'J';
  private static final int LONG1 = 0x8a;
  private static final int NONE = 'N';

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** Starts a protocol-2 pickle (the only protocol libtorch reads). */
  PickleWriter() {
    out.write(PROTO);
    out.write(2);
  }

  /** {@code GLOBAL module\nname\n}: pushes a class reference. */
  PickleWriter global(String module, String name) {
    out.write(GLOBAL);
    writeLine(module);
    writeLine(name);
    return this;
  }

  PickleWriter emptyTuple() {
    out.write(EMPTY_TUPLE);
    return this;
  }

  PickleWriter newObj() {
    out.write(NEWOBJ);
    return this;
  }

  PickleWriter emptyDict() {
    out.write(EMPTY_DICT);
    return this;
  }

  PickleWriter mark() {
    out.write(MARK);
    return this;
  }

  PickleWriter setItems() {
    out.write(SETITEMS);
    return this;
  }

  PickleWriter build() {
    out.write(BUILD);
    return this;
  }

  /** Writes a str, bool, int/long or null (None) value. */
  PickleWriter value(Object v) {
    if (v == null) {
      out.write(NONE);
    } else if (v instanceof String s) {
      string(s);
    } else if (v instanceof Boolean b) {
      out.write(b ? NEWTRUE : NEWFALSE);
    } else if (v instanceof Integer || v instanceof Long) {
      long x = ((Number) v).longValue();
      if (x >= Integer.MIN_VALUE && x <= Integer.MAX_VALUE) {
        out.write(BININT);
        writeLe(x, 4);
      } else {
        out.write(LONG1);
        out.write(8);
        writeLe(x, 8);
      }
    } else {
      throw new IllegalArgumentException(
          "pickle value of type " + v.getClass().getName() + " is not supported (str, bool, int)");
    }
    return this;
  }

  PickleWriter string(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write(BINUNICODE);
    writeLe(b.length, 4);
    out.write(b, 0, b.length);
    return this;
  }

  /** Ends the pickle and returns its bytes. */
  byte[] stop() {
    out.write(STOP);
    return out.toByteArray();
  }

  private void writeLine(String s) {
    if (s.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("GLOBAL names cannot contain a newline: " + s);
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write(b, 0, b.length);
    out.write('\n');
  }

  private void writeLe(long v, int bytes) {
    for (int i = 0; i < bytes; i++) {
      out.write((int) (v >>> (8 * i)) & 0xff);
    }
  }
}
