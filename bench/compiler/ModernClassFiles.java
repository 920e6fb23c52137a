import java.io.ByteArrayInputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * An experiment, not part of the build (docs/benchmarks.md, compiler goals, 2026-12-03 afternoon):
 * copies a jar with its pre-Java-6 class files (major version 49: Jython's ~2,600 generated
 * "exposer" classes) rewritten to version 50 with stack maps, so that JDK 25's ahead-of-time
 * cache can keep them loaded and linked. Every other entry is copied as it is. JDK 24+ (the
 * java.lang.classfile API), run as a source file:
 *
 * <pre>java bench/compiler/ModernClassFiles.java IN.jar OUT.jar</pre>
 */
public class ModernClassFiles {
  public static void main(String[] args) throws Exception {
    Path in = Path.of(args[0]);
    Path out = Path.of(args[1]);
    Map<String, byte[]> classes = new HashMap<>();
    try (ZipFile zip = new ZipFile(in.toFile())) {
      for (ZipEntry e : Collections.list(zip.entries())) {
        if (e.getName().endsWith(".class")) {
          classes.put(e.getName(), zip.getInputStream(e).readAllBytes());
        }
      }
    }
    // stack maps need the class hierarchy: the jar's own classes, then the JDK's
    ClassHierarchyResolver inJar =
        ClassHierarchyResolver.ofResourceParsing(
            desc -> {
              String d = desc.descriptorString();
              byte[] b = classes.get(d.substring(1, d.length() - 1) + ".class");
              return b == null ? null : new ByteArrayInputStream(b);
            });
    ClassFile cf =
        ClassFile.of(
            ClassFile.ClassHierarchyResolverOption.of(
                inJar.orElse(ClassHierarchyResolver.defaultResolver())),
            ClassFile.StackMapsOption.GENERATE_STACK_MAPS);
    ClassTransform version =
        (builder, element) -> {
          if (element instanceof ClassFileVersion) {
            builder.withVersion(ClassFile.JAVA_6_VERSION, 0);
          } else {
            builder.with(element);
          }
        };
    // rebuilding each method body is what makes the API write its stack map
    ClassTransform rewrite =
        version.andThen(ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL));
    int old = 0;
    int kept = 0;
    try (ZipFile zip = new ZipFile(in.toFile());
        ZipOutputStream zout = new ZipOutputStream(Files.newOutputStream(out))) {
      for (ZipEntry e : Collections.list(zip.entries())) {
        byte[] bytes = zip.getInputStream(e).readAllBytes();
        // $py.class files are Jython's compiled Python modules, loaded by its own class loader
        if (e.getName().endsWith(".class") && !e.getName().endsWith("$py.class")) {
          int major = ((bytes[6] & 0xff) << 8) | (bytes[7] & 0xff);
          if (major < ClassFile.JAVA_6_VERSION) {
            old++;
            try {
              bytes = cf.transformClass(cf.parse(bytes), rewrite);
            } catch (RuntimeException ex) { // a hierarchy it cannot resolve: left as it was
              kept++;
            }
          }
        }
        ZipEntry copy = new ZipEntry(e.getName());
        copy.setTime(e.getTime());
        zout.putNextEntry(copy);
        zout.write(bytes);
        zout.closeEntry();
      }
    }
    System.err.printf("%d old class files, %d rewritten, %d left as they were%n", old, old - kept, kept);
  }
}
