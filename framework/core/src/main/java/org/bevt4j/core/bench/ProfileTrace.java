package org.bevt4j.core.bench;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Summary of a libtorch profiler trace (the Chrome-trace JSON that DJL's {@code
 * JniUtils.startProfile} / {@code stopProfile} write): where the native ops ran and the gaps
 * between them.
 *
 * <p>Top-level ops are the complete events ({@code "ph": "X"}) not nested in another one. Their
 * union is the time spent inside libtorch; the rest of the traced span, {@link #gapMs()}, is spent
 * between native ops: Java code, JNI transitions, garbage collection and the profiler's own
 * bookkeeping (so the gap is an upper bound on the JVM/JNI overhead). Backward ops appear as
 * {@code autograd::engine::evaluate_function: ...} events run by libtorch itself; the other
 * top-level ops were each started by a call from Java ({@link #javaCalls()}).
 *
 * @param events complete events in the trace
 * @param topLevel top-level events
 * @param javaCalls top-level events not run by the autograd engine
 * @param spanMs first start to last end
 * @param busyMs union of the top-level events
 * @param byName busy time per top-level op name in ms, largest first
 */
public record ProfileTrace(int events, int topLevel, int javaCalls, double spanMs, double busyMs, Map<String, Double> byName) {
  /** Prefix of the events libtorch's autograd engine runs during backward. */
  public static final String AUTOGRAD_PREFIX = "autograd::engine::";

  /** Time between top-level native ops, in ms. */
  public double gapMs() {
    return spanMs - busyMs;
  }

  /** {@link #gapMs()} as a fraction of the span (0 for an empty trace). */
  public double gapFraction() {
    return spanMs > 0 ? gapMs() / spanMs : 0;
  }

  /** One complete event, times in µs. */
  record Event(String name, double ts, double dur) {}

  /** Reads a trace file (a JSON array of events, or an object with {@code traceEvents}). */
  public static ProfileTrace read(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return summarize(parse(r));
    } catch (IllegalStateException | NumberFormatException e) {
      throw new IOException("not a Chrome trace: " + file + " (" + e.getMessage() + ")", e);
    }
  }

  static List<Event> parse(Reader reader) throws IOException {
    List<Event> out = new ArrayList<>();
    JsonReader r = new JsonReader(reader);
    r.setLenient(true);
    if (r.peek() == JsonToken.BEGIN_OBJECT) {
      r.beginObject();
      while (r.hasNext()) {
        if (r.nextName().equals("traceEvents")) {
          events(r, out);
        } else {
          r.skipValue();
        }
      }
      r.endObject();
    } else {
      events(r, out);
    }
    return out;
  }

  private static void events(JsonReader r, List<Event> out) throws IOException {
    r.beginArray();
    while (r.hasNext()) {
      String name = null;
      String ph = null;
      double ts = Double.NaN;
      double dur = Double.NaN;
      r.beginObject();
      while (r.hasNext()) {
        switch (r.nextName()) {
          case "name" -> name = r.nextString();
          case "ph" -> ph = r.nextString();
          case "ts" -> ts = r.nextDouble();
          case "dur" -> dur = r.nextDouble();
          default -> r.skipValue();
        }
      }
      r.endObject();
      if ("X".equals(ph) && name != null && Double.isFinite(ts) && Double.isFinite(dur) && dur >= 0) {
        out.add(new Event(name, ts, dur));
      }
    }
    r.endArray();
  }

  static ProfileTrace summarize(List<Event> events) {
    List<Event> sorted = new ArrayList<>(events);
    sorted.sort(Comparator.comparingDouble(Event::ts).thenComparing(Comparator.comparingDouble(Event::dur).reversed()));
    int top = 0;
    int java = 0;
    double busy = 0;
    double end = Double.NEGATIVE_INFINITY;
    double first = Double.POSITIVE_INFINITY;
    double last = Double.NEGATIVE_INFINITY;
    Map<String, Double> byName = new LinkedHashMap<>();
    for (Event e : sorted) {
      first = Math.min(first, e.ts());
      last = Math.max(last, e.ts() + e.dur());
      if (e.ts() >= end) {
        top++;
        if (!e.name().startsWith(AUTOGRAD_PREFIX)) {
          java++;
        }
        busy += e.dur();
        byName.merge(e.name(), e.dur() / 1000, Double::sum);
        end = e.ts() + e.dur();
      } else if (e.ts() + e.dur() > end) {
        // overlaps the current top-level op without nesting (another thread): extend the union
        busy += e.ts() + e.dur() - end;
        end = e.ts() + e.dur();
      }
    }
    double span = sorted.isEmpty() ? 0 : (last - first) / 1000;
    Map<String, Double> ranked = new LinkedHashMap<>();
    byName.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .forEach(e -> ranked.put(e.getKey(), e.getValue()));
    return new ProfileTrace(events.size(), top, java, span, busy / 1000, ranked);
  }
}
