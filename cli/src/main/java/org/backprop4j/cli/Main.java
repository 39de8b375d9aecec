package org.backprop4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.backprop4j.backend.BackendUnavailableException;
import org.backprop4j.data.DataFormatException;
import org.backprop4j.nn.TrainingDivergedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code backprop4j} command. Every subcommand is its own class; this one holds the options
 * that apply to all of them and turns failures into one-line messages and exit codes:
 * 0 success, 1 bad input or a failed run (one line {@code backprop4j: error: ...} on stderr),
 * 2 a usage error (picocli's message and a hint to use --help).
 */
@Command(name = "backprop4j",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Trains and runs deep fully connected neural networks on the JVM.",
        subcommands = {
            TrainCommand.class,
            EvaluateCommand.class,
            PredictCommand.class,
            GradCheckCommand.class,
            DiagnoseCommand.class,
            CrossCheckCommand.class,
            DoctorCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class
        },
        footer = {"",
            "Examples:",
            "  backprop4j train                       # a 64-32-10 network on the digits",
            "  backprop4j train --data moons --hidden 16,16 --save moons.bp4j",
            "  backprop4j evaluate --model moons.bp4j --data moons",
            "  backprop4j predict --model moons.bp4j --data new.csv --output out.csv",
            "  backprop4j doctor                      # which backends load, and why not",
            "",
            "The backend comes from --backend, -Dbackprop4j.backend or BACKPROP4J_BACKEND",
            "(default auto: the best available). Exit codes: 0 success, 1 error, 2 usage."})
public final class Main implements Runnable {

    /** Exit code of a bad input or a failed run. */
    static final int EXIT_ERROR = 1;

    static final String LOG_FORMAT_PROPERTY = "java.util.logging.SimpleFormatter.format";

    // Read from the parse result (see wantsStacktrace), so it works before or after the subcommand name.
    @Option(names = "--stacktrace", scope = CommandLine.ScopeType.INHERIT,
            description = "Print the full stack trace of an error, not only its message.")
    boolean stacktrace;

    @Spec
    CommandSpec spec;

    /** True when the progress bar may draw: stderr is the real, interactive stderr. */
    final boolean interactive;

    public Main() {
        this(false);
    }

    Main(boolean interactive) {
        this.interactive = interactive;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(),
                "missing command: use one of train, evaluate, predict, gradcheck, doctor");
    }

    public static void main(String[] args) {
        configureLogging();
        System.exit(run(args, System.out, System.err, Terminal.isStderrInteractive()));
    }

    /** Runs one command line with output to {@code out} and {@code err}; returns the exit code. No progress bar. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, false);
    }

    static int run(String[] args, PrintStream out, PrintStream err, boolean interactive) {
        configureLogging();
        PrintWriter errWriter = new PrintWriter(err, true);
        try {
            return commandLine(new PrintWriter(out, true), errWriter, interactive).execute(args);
        } catch (OutOfMemoryError e) {
            // An Error passes picocli's handlers; the arrays that filled the heap are gone by now.
            errWriter.println("backprop4j: error: out of memory (max heap " + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MB): use a smaller batch size or data set, or raise the heap, e.g. java -Xmx4g -jar backprop4j.jar");
            return EXIT_ERROR;
        }
    }

    /** The configured command line: output writers, error handling and exit codes. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, boolean interactive) {
        Main main = new Main(interactive);
        CommandLine cl = new CommandLine(main);
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler(Main::handleUsageError);
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> handleFailure(ex, cmd, wantsStacktrace(parseResult)));
        return cl;
    }

    /**
     * Backends log through java.util.logging; its default format takes two lines with a timestamp.
     * Must run before anything logs, because SimpleFormatter reads the property once.
     */
    static void configureLogging() {
        if (System.getProperty(LOG_FORMAT_PROPERTY) == null) {
            System.setProperty(LOG_FORMAT_PROPERTY, "%5$s%n");
        }
    }

    private static int handleUsageError(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("backprop4j: " + ex.getMessage());
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** True if --stacktrace was given before or after the subcommand name. */
    private static boolean wantsStacktrace(ParseResult result) {
        for (ParseResult r = result; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--stacktrace")) {
                return true;
            }
        }
        return false;
    }

    private static int handleFailure(Exception ex, CommandLine cmd, boolean stacktrace) {
        PrintWriter err = cmd.getErr();
        if (stacktrace) {
            ex.printStackTrace(err);
        }
        String message = userMessage(ex);
        if (message == null) {
            // Not a problem with the input: a bug. Say so rather than dress it up.
            message = "internal error: " + ex + (stacktrace ? "" : " (run with --stacktrace for details)");
        }
        err.println("backprop4j: error: " + oneLine(message));
        err.flush();
        return EXIT_ERROR;
    }

    /** The message for a failure caused by the input or the environment, or null for anything else. */
    static String userMessage(Throwable ex) {
        if (ex instanceof UncheckedIOException && ex.getCause() != null) {
            return userMessage(ex.getCause());
        }
        if (ex instanceof NoSuchFileException) {
            return "no such file: " + ((NoSuchFileException) ex).getFile();
        }
        if (ex instanceof AccessDeniedException) {
            return "permission denied: " + ((AccessDeniedException) ex).getFile();
        }
        if (ex instanceof NotDirectoryException) {
            return "not a directory: " + ((NotDirectoryException) ex).getFile();
        }
        if (ex instanceof FileAlreadyExistsException) {
            return "file already exists: " + ((FileAlreadyExistsException) ex).getFile();
        }
        if (ex instanceof FileSystemException) {
            FileSystemException f = (FileSystemException) ex;
            return f.getFile() + ": " + (f.getReason() != null ? f.getReason() : ex.getClass().getSimpleName());
        }
        if (ex instanceof IOException) {
            // ModelFormatException included: its message names the file and the problem.
            return ex.getMessage() != null ? ex.getMessage() : ex.toString();
        }
        if (ex instanceof IllegalArgumentException || ex instanceof DataFormatException
                || ex instanceof BackendUnavailableException || ex instanceof TrainingDivergedException) {
            return ex.getMessage() != null ? ex.getMessage() : ex.toString();
        }
        return null;
    }

    private static String oneLine(String message) {
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
