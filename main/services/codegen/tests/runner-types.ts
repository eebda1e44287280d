// Shapes shared by the pytest and node --test runners: what to put in the sandbox, and what came back before mapping.

/** Files, command, environment and mounts of one runner's sandboxed run (besides the candidate and test files). */
export interface RunnerPlan {
  files: Record<string, string>;
  argv: string[];
  env: Record<string, string>;
  readOnlyPaths: string[];
}

/** A runner's outcomes keyed by its own case id (pytest node id / "file::name"), before origins are attached. */
export interface RawOutcome {
  /** The runner itself started (printed its version line): a run without it never got to the tests. */
  started: boolean;
  version?: string;
  /** The runner module is missing in the interpreter (e.g. pytest uninstalled from the venv since it was found). */
  missingRunner?: string;
  results: Map<string, { passed: boolean; message?: string }>;
  /** Test files that could not be loaded (syntax or import error in the candidate or the test). */
  loadErrors: { file: string; message: string }[];
  /** The last case that started: when the run is killed without its result, that is the one that hung. */
  lastStarted: string | undefined;
  /**
   * Whether lastStarted is exactly the case that hung. pytest reports each outcome as it happens (true); node --test
   * relays a child's results through a stream that a synchronous endless loop stops, so there the hang is in
   * lastStarted or a later test of its file (false).
   */
  hangExact: boolean;
  /** node --test: the test files whose run ended (the others were still running when the run was killed). */
  filesDone?: Set<string>;
  /** node --test: the last test of each file that reported a result. */
  lastByFile?: Map<string, string>;
  exitCode?: number;
}
