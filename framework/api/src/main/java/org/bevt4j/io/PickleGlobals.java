package org.bevt4j.io;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The security policy of the restricted unpickler: which Python globals a checkpoint may name.
 *
 * <p>A global is allowed when it is
 *
 * <ol>
 *   <li>one of the data-building functions and values of {@link TorchGlobals} (tensor and parameter
 *       rebuilding, storage types, {@code collections.OrderedDict}, {@code builtins.set}, numpy
 *       scalars, ...), each implemented in Java; or
 *   <li>a <em>class</em> ({@code CapitalisedName}) of a known model package: {@code torch.nn},
 *       {@code torch.ao.nn}, {@code dall_e}, {@code taming}, {@code mmaction}, {@code mmcv},
 *       {@code timesformer}, {@code slowfast}, {@code timm}, and the metadata classes real training
 *       checkpoints carry (Lightning callbacks, {@code omegaconf}, {@code argparse.Namespace}, yacs
 *       {@code CfgNode}, {@code datetime}, {@code pathlib} paths) (e.g. {@code torch.nn.modules.linear.Linear},
 *       {@code dall_e.encoder.Encoder}), or a class or package prefix the user allowed explicitly with
 *       {@code -Dbevt4j.pickle.allowed-classes=argparse.Namespace,mylab.models.} (comma-separated;
 *       names in the denied packages below can never be allowed). Such a class is only ever recorded
 *       as an inert {@link PyObject} (class name, arguments, attribute state); no Python code exists or
 *       runs in this reader, so it cannot do anything but carry data. Unknown classes are refused all
 *       the same, so that a tampered file is noticed.
 * </ol>
 *
 * Everything else is refused with a {@link DisallowedGlobalException} naming it: functions such as
 * {@code posix.system}, {@code builtins.eval} or {@code functools.partial}, and any name (class or not)
 * in the Python standard library's process, file, network, import, code and serialisation modules
 * ({@code os}, {@code subprocess}, {@code builtins}, {@code sys}, {@code io}, {@code socket},
 * {@code pickle}, {@code importlib}, {@code runpy}, ...), in private modules ({@code _codecs} apart
 * from its allowed function), and in {@code torch} outside {@code torch.nn} / {@code torch.ao.nn}.
 * The refusal happens when the pickle names the global (GLOBAL, STACK_GLOBAL, INST), before it
 * could be called.
 */
final class PickleGlobals {
  private static final Pattern MODULE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");
  private static final Pattern CLASS_NAME = Pattern.compile("[A-Z][A-Za-z0-9_]*(\\.[A-Z][A-Za-z0-9_]*)*");

  /** Top-level packages whose names are never treated as inert classes. */
  static final Set<String> DENIED_PACKAGES =
      Set.of(
          "os", "posix", "nt", "posixpath", "ntpath", "subprocess", "sys", "builtins", "__builtin__",
          "exceptions", "io", "shutil", "socket", "pickle", "cPickle", "marshal", "functools", "operator",
          "importlib", "imp", "runpy", "webbrowser", "code", "codeop", "ctypes", "pty", "multiprocessing",
          "threading", "thread", "concurrent", "asyncio", "signal", "types", "copyreg", "copy_reg", "copy",
          "inspect", "pdb", "bdb", "trace", "timeit", "platform", "tempfile", "glob", "fileinput",
          "urllib", "urllib2", "urllib3", "requests", "http", "httplib", "ftplib", "smtplib", "poplib",
          "imaplib", "telnetlib", "xmlrpc", "xmlrpclib", "socketserver", "ssl", "select", "selectors",
          "zipimport", "pkgutil", "site", "sysconfig", "distutils", "setuptools", "pip", "pkg_resources",
          "sqlite3", "dbm", "shelve", "gc", "weakref", "atexit", "tty", "termios", "resource", "fcntl",
          "mmap", "pydoc", "logging", "ensurepip", "venv", "zipfile", "tarfile", "lzma", "gzip", "bz2",
          "zlib", "codecs", "encodings", "base64", "binascii", "tkinter", "turtle", "idlelib", "cgi",
          "wsgiref", "email", "mailbox", "ast", "dis", "compileall", "py_compile", "unittest", "doctest",
          "dill", "cloudpickle", "joblib", "numpy", "scipy", "torch", "torchvision", "jax", "tensorflow",
          "keras", "yaml", "jinja2", "IPython", "ipykernel", "pytest", "nose");

  /** Namespaces of {@code torch} whose classes (modules, hooks) may be recorded inertly. */
  private static final List<String> TORCH_CLASS_NAMESPACES = List.of("torch.nn.", "torch.ao.nn.");

  private final Map<String, PickleGlobal> explicit;

  PickleGlobals(Map<String, PickleGlobal> explicit) {
    this.explicit = explicit;
  }

  /** The standard policy: {@link TorchGlobals} plus inert classes. */
  static PickleGlobals standard() {
    return new PickleGlobals(TorchGlobals.ALL);
  }

  /** Resolves a global or refuses it. */
  PickleGlobal resolve(String module, String name) {
    String q = module + "." + name;
    PickleGlobal g = explicit.get(q);
    if (g != null) {
      return g;
    }
    if (isInertClass(module, name)) {
      return new PickleGlobal(module, name, PickleGlobal.Kind.CLASS, null, null);
    }
    throw new DisallowedGlobalException(
        q,
        "disallowed global '" + q + "': a checkpoint may only refer to tensor-rebuilding functions, storage"
            + " types, plain containers and classes (recorded as inert data); nothing was executed");
  }

  static boolean isInertClass(String module, String name) {
    if (!MODULE.matcher(module).matches() || !CLASS_NAME.matcher(name).matches()) {
      return false;
    }
    String top = module.contains(".") ? module.substring(0, module.indexOf('.')) : module;
    if (top.equals("torch")) {
      return TORCH_CLASS_NAMESPACES.stream().anyMatch(module::startsWith);
    }
    if ((top.startsWith("_") && !top.equals("__main__")) || DENIED_PACKAGES.contains(top)) {
      return false;
    }
    String qualified = module + "." + name;
    String dotted = module + ".";
    for (String prefix : allowedClassPrefixes()) {
      if (prefix.endsWith(".") ? dotted.startsWith(prefix) : qualified.equals(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** Model packages whose classes are recorded inertly, plus {@code -Dbevt4j.pickle.allowed-classes}. */
  static List<String> allowedClassPrefixes() {
    List<String> out = new java.util.ArrayList<>(MODEL_PACKAGES);
    String extra = System.getProperty("bevt4j.pickle.allowed-classes", "");
    for (String s : extra.split(",")) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return out;
  }

  /** Packages of the upstream model code whose pickled modules bevt4j reads. */
  static final List<String> MODEL_PACKAGES =
      List.of(
          "dall_e.", "taming.", "mmaction.", "mmcv.", "timesformer.", "slowfast.", "timm.",
          // metadata classes found in real training checkpoints (Lightning, yacs/argparse configs)
          "pytorch_lightning.", "lightning.", "omegaconf.", "argparse.Namespace", "yacs.config.CfgNode",
          "datetime.datetime", "datetime.date", "datetime.timedelta", "pathlib.PosixPath", "pathlib.WindowsPath",
          "pathlib.PurePosixPath", "pathlib.PureWindowsPath");
}
