package dev.conduit.bundle;

import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * The parts of a bundle already in memory that a read of the next bundle takes instead of its own
 * equal copies ({@link BundleCodec#read(java.io.InputStream, Bundle)}).
 *
 * <p>Why: a commit usually changes one connection of many. Read alone, the next bundle of a
 * 10,000-API organization is 35 MB of new small objects, live from the read to the swap and long
 * after; the collector then copies them between survivor spaces and into the old generation while
 * calls wait (docs/benchmarks.md, "Invoke latency while a 10,000-API repository reconciles"). Taken
 * from the bundle being served, each unchanged part read is garbage as soon as it is compared, and
 * only what the commit changed is new. Equal parts are interchangeable: the bundle records are
 * values.
 */
final class SharedParts {

  /** The reader attribute under which a read finds the parts to share. */
  static final Object ATTRIBUTE = SharedParts.class;

  /**
   * The top-level parts compared whole: a connection (its APIs in it) is the unit a commit changes;
   * smaller parts would cost a comparison each for little more sharing.
   */
  private static final Set<Class<?>> SHARED =
      Set.of(
          Organization.class,
          Member.class,
          Connection.class,
          Application.class,
          ThirdPartyApp.class,
          LibraryEntry.class);

  private final Map<Object, Object> parts = new HashMap<>();

  private SharedParts(Bundle previous) {
    add(previous.organization());
    previous.members().forEach(this::add);
    previous.connections().forEach(this::add);
    previous.applications().forEach(this::add);
    previous.thirdPartyApps().forEach(this::add);
    previous.library().forEach(this::add);
  }

  static SharedParts of(Bundle previous) {
    return new SharedParts(previous);
  }

  private void add(Object part) {
    if (part != null) {
      parts.putIfAbsent(part, part);
    }
  }

  /** The previous bundle's part that is the same as {@code read}, or {@code read}. */
  Object shared(Object read) {
    Object same = parts.get(read);
    return same != null && inTheSameOrder(same, read) ? same : read;
  }

  /**
   * Whether two equal parts also list their maps in the same order. Equality of maps ignores order,
   * but a bundle's maps (headers, query, form and JSON bodies, auth parameters) are written in
   * their source order and hashed so: a commit that only reorders headers must not be served in the
   * old order (and would then fail the bundle's content hash).
   */
  static boolean inTheSameOrder(Object a, Object b) {
    if (a == b) {
      return true;
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      Iterator<? extends Map.Entry<?, ?>> ys = y.entrySet().iterator();
      for (Map.Entry<?, ?> e : x.entrySet()) {
        Map.Entry<?, ?> f = ys.next();
        if (!Objects.equals(e.getKey(), f.getKey())
            || !inTheSameOrder(e.getValue(), f.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!inTheSameOrder(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a != null && b != null && a.getClass().isRecord() && a.getClass() == b.getClass()) {
      for (RecordComponent c : a.getClass().getRecordComponents()) {
        if (!inTheSameOrder(value(c, a), value(c, b))) {
          return false;
        }
      }
      return true;
    }
    return Objects.equals(a, b);
  }

  private static Object value(RecordComponent component, Object record) {
    try {
      return component.getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("a bundle record's accessor is public", e);
    }
  }

  /** The module that lets a read share: a no-op for reads without the attribute. */
  static SimpleModule module() {
    return new SimpleModule("conduit-shared-parts")
        .setDeserializerModifier(
            new ValueDeserializerModifier() {
              @Override
              public ValueDeserializer<?> modifyDeserializer(
                  DeserializationConfig config,
                  BeanDescription.Supplier bean,
                  ValueDeserializer<?> deserializer) {
                return SHARED.contains(bean.getBeanClass())
                    ? new Sharing(deserializer)
                    : deserializer;
              }
            });
  }

  /** Reads a part as usual, then hands back the previous bundle's equal part if there is one. */
  private static final class Sharing extends DelegatingDeserializer {
    Sharing(ValueDeserializer<?> delegatee) {
      super(delegatee);
    }

    @Override
    protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> delegatee) {
      return new Sharing(delegatee);
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) {
      Object read = super.deserialize(p, ctxt);
      return ctxt.getAttribute(ATTRIBUTE) instanceof SharedParts parts && read != null
          ? parts.shared(read)
          : read;
    }
  }
}
