package dev.conduit.compiler.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Which command has which subcommands, and the picocli tree of one run built from it: only the
 * branch the arguments name. picocli builds a command's model by reflection (its options,
 * parameters, mixins, help texts) as it is added to the tree; with every command declared in
 * {@code @Command(subcommands = ...)} each run paid for all of them, so {@code conduit library
 * search} built thirty models to run one. The commands' names stay in their own annotations.
 *
 * <p>A level whose next argument names none of its subcommands (help, a typo, a command's own
 * arguments, nothing) gets its whole branch: the usage lists the subcommands, picocli's "did you
 * mean" knows them all, and {@code conduit help COMMAND} finds any of them.
 */
final class CommandTree {

  /** The tree: a command and its subcommands, in the order help lists them. */
  static final Map<Class<?>, List<Class<?>>> SUBCOMMANDS =
      Map.of(
          Conduit.class,
          List.of(
              ValidateCommand.class,
              CompileCommand.class,
              DiffCommand.class,
              SealCommand.class,
              KeysCommand.class,
              CredentialCommand.class,
              LibraryCommand.class,
              ExportCommand.class,
              ImportCommand.class,
              CommandLine.HelpCommand.class),
          LibraryCommand.class,
          List.of(
              LibraryListCommand.class,
              LibrarySearchCommand.class,
              LibraryShowCommand.class,
              LibraryInstallCommand.class,
              LibraryUpgradeCommand.class,
              LibrarySubmitCommand.class,
              LibraryVersionsCommand.class,
              LibraryIndexCommand.class),
          KeysCommand.class,
          List.of(KeysCommand.Init.class, KeysReseal.class),
          CredentialCommand.class,
          List.of(CredentialCommand.Application.class, CredentialCommand.ThirdPartyApp.class),
          ImportCommand.class,
          List.of(ImportCurlCommand.class, ImportOpenApiCommand.class, ImportPostmanCommand.class));

  private CommandTree() {}

  /** The tree for these arguments: the commands they name, and whole branches where they stop. */
  static CommandLine forArguments(CommandLine.IFactory factory, String[] args) {
    CommandLine root = new CommandLine(new Conduit(), factory);
    CommandLine at = root;
    int next = 0;
    while (true) {
      List<Class<?>> children = SUBCOMMANDS.getOrDefault(at.getCommand().getClass(), List.of());
      if (children.isEmpty()) {
        return root;
      }
      // the groups have no options that take a value: the first word that is not an option is
      // where a subcommand's name would be
      while (next < args.length && args[next].startsWith("-")) {
        next++;
      }
      Class<?> named = next < args.length ? named(children, args[next]) : null;
      if (named == null || named == CommandLine.HelpCommand.class) {
        addBranch(at, children, factory);
        return root;
      }
      CommandLine child = new CommandLine(named, factory);
      at.addSubcommand(child);
      at = child;
      next++;
    }
  }

  /** The whole tree: what help lists and what the tests walk. */
  static CommandLine full(CommandLine.IFactory factory) {
    return forArguments(factory, new String[0]);
  }

  private static void addBranch(
      CommandLine at, List<Class<?>> children, CommandLine.IFactory factory) {
    for (Class<?> type : children) {
      CommandLine child = new CommandLine(type, factory);
      at.addSubcommand(child);
      addBranch(child, SUBCOMMANDS.getOrDefault(type, List.of()), factory);
    }
  }

  private static Class<?> named(List<Class<?>> children, String word) {
    for (Class<?> type : children) {
      Command command = type.getAnnotation(Command.class);
      if (command.name().equals(word) || List.of(command.aliases()).contains(word)) {
        return type;
      }
    }
    return null;
  }
}
