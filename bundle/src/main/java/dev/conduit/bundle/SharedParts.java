package dev.conduit.bundle;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
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
   * The top-level parts shared, each with what names it within a bundle: a read part is compared
   * with the served part of the same name only. A connection (its APIs in it) is the unit a commit
   * changes; smaller parts would cost a comparison each for little more sharing.
   */
  private static final Map<Class<?>, Function<Object, Object>> NAMES =
      Map.of(
          Organization.class, o -> ((Organization) o).id(),
          Member.class, m -> ((Member) m).login(),
          Connection.class, c -> ((Connection) c).id(),
          Application.class, a -> ((Application) a).id(),
          ThirdPartyApp.class, t -> ((ThirdPartyApp) t).id(),
          LibraryEntry.class, e -> ((LibraryEntry) e).id() + "@" + ((LibraryEntry) e).version());

  /** A part's kind and name. */
  private record Name(Class<?> kind, Object name) {
    static Name of(Object part) {
      return new Name(part.getClass(), NAMES.get(part.getClass()).apply(part));
    }
  }

  /** Each record class's component accessors, looked up once, as {@code (Object)Object}. */
  private static final ClassValue<MethodHandle[]> ACCESSORS =
      new ClassValue<>() {
        @Override
        protected MethodHandle[] computeValue(Class<?> type) {
          RecordComponent[] components = type.getRecordComponents();
          MethodHandle[] handles = new MethodHandle[components.length];
          MethodHandles.Lookup lookup = MethodHandles.lookup();
          for (int i = 0; i < components.length; i++) {
            try {
              handles[i] =
                  lookup
                      .unreflect(components[i].getAccessor())
                      .asType(MethodType.methodType(Object.class, Object.class));
            } catch (IllegalAccessException e) {
              throw new IllegalStateException("a bundle record's accessor is readable here", e);
            }
          }
          return handles;
        }
      };

  private final Map<Name, Object> parts = new HashMap<>();

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
      parts.putIfAbsent(Name.of(part), part);
    }
  }

  /** The previous bundle's part that is the same as {@code read}, or {@code read}. */
  Object shared(Object read) {
    Object served = parts.get(Name.of(read));
    return served != null && same(served, read) ? served : read;
  }

  /**
   * Whether two parts are equal with their maps in the same order. Equality of maps ignores order,
   * but a bundle's maps (headers, query, form and JSON bodies, auth parameters) are written in
   * their source order and hashed so: a commit that only reorders headers must not be served in the
   * old order (and would then fail the bundle's content hash).
   */
  static boolean same(Object a, Object b) {
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
        if (!Objects.equals(e.getKey(), f.getKey()) || !same(e.getValue(), f.getValue())) {
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
        if (!same(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a != null && b != null && a.getClass().isRecord() && a.getClass() == b.getClass()) {
      for (MethodHandle accessor : ACCESSORS.get(a.getClass())) {
        if (!same(value(accessor, a), value(accessor, b))) {
          return false;
        }
      }
      return true;
    }
    return Objects.equals(a, b);
  }

  private static Object value(MethodHandle accessor, Object record) {
    try {
      return (Object) accessor.invokeExact(record);
    } catch (Throwable e) {
      throw new IllegalStateException("a record's accessor returns its field", e);
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
                return NAMES.containsKey(bean.getBeanClass())
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
