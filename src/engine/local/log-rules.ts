/**
 * What a failure line looks like in a build log, across tool chains: one ordered table of
 * patterns with a score and a category. Scores say how much a line alone tells a reader why the
 * build broke: a compiler or assertion error says a lot, `The command "…" exited with 1.` says
 * almost nothing. The strongest matching rule wins.
 */

export type FailureCategory = 'compile' | 'test' | 'dependency' | 'timeout' | 'oom' | 'exit' | 'error';

export interface LineSignal {
  score: number;
  category: FailureCategory;
  /** A non-zero exit status the line reports, if any. */
  exitCode?: number;
  /** Boilerplate or context (stack frames, "see the log"): joins a group, never names it. */
  weak: boolean;
  /** A count of failures ("3 failing", "Tests: 1 failed"): points at the details, is not one. */
  summary?: boolean;
  /** Tool or CI epilogue (`npm ERR!` footer, `make: ***`, "exited with 1"): its own block, never context. */
  boiler?: boolean;
}

interface Rule {
  re: RegExp;
  score: number;
  category: FailureCategory;
  weak?: boolean;
  summary?: boolean;
  boiler?: boolean;
}

// Ordered: the first matching rule wins, so specific shapes come before generic words.
const RULES: Rule[] = [
  // A line a tool marks as a warning stays a warning whatever words follow.
  { re: /^\s*(?:npm WARN|warning\b|WARN(?:ING)?\b|\[WARN(?:ING)?\]|W: )|UNMET PEER DEPENDENCY|^\S+:\d+(?::\d+)?:\s*[Ww]arning:/i, score: 1, category: 'error', weak: true },
  // Informational lines of package managers: "info … failed compatibility check" is not a failure.
  { re: /^\s*(?:info|notice|debug|verbose)\b/i, score: 0.5, category: 'error', weak: true },
  // Epilogues of tools and CI: they say that something failed, never what.
  {
    re: /^\s*npm ERR!(?! code E(?!LIFECYCLE)| missing:| peer dep| notarget| 404| Cannot| Could not| ERESOLVE)|^\s*make(?:\[\d+\])?: \*\*\*|recipe for target .* failed|^\s*\[ERROR\]\s*(?:$|->|Re-run Maven|For more information|To see the full stack|\[Help \d+\])|^error Command failed with exit code|^\s*Error: (?:Process exited with code|Command failed)|^\s*ERROR: Job failed/,
    score: 1,
    category: 'error',
    weak: true,
    boiler: true,
  },
  // Counts of failures from test runners and linters: the details are elsewhere.
  {
    re: /^\s*(?:Tests?|Test Suites|Suites|Specs?|Examples?):?\s.*\b[1-9]\d* (?:failed|failures?|failing|errors?)\b|^\s*\d+ (?:examples?|tests?|specs?|doctests?|assertions?)\b.*\b[1-9]\d* (?:failures?|failed|errors?)\b|\b[1-9]\d* (?:failing|failed|failures?)\b|Tests run: \d+, Failures: \d+|\*\*\* FAILED test case|^\s*\W?\s*[1-9]\d* problems? \(|\bExecuted \d+ tests?, with [1-9]\d* failures?|\*\* (?:TEST|BUILD) FAILED \*\*|^\s*FAILURES!|^\s*Tests? Passed: \d+, Failed: [1-9]|^\s*(?:BUILD|Build) FAIL(?:ED|URE)\b|^\s*FAILED\s*\(|^\s*FAILED\s+\S+\s*$|^\s*=+ .*\b[1-9]\d* failed\b.* =+\s*$/,
    score: 3,
    category: 'test',
    summary: true,
  },
  // Compilers.
  { re: /\berror TS\d+\b|\berror\[E\d+\]|\berror CS\d+\b/, score: 8, category: 'compile' },
  { re: /\S:\d+(?::\d+)?:\s*(?:fatal )?error\b/, score: 8, category: 'compile' },
  { re: /\bCompileError\b|\bCOMPILATION ERROR\b|\bcompilation (?:failed|terminated)|\bcannot find symbol\b|\bundefined reference to\b/i, score: 7, category: 'compile' },
  { re: /\bCMake Error\b|\bfatal error\b/, score: 7, category: 'error' },
  // Dependencies.
  {
    re: /Could not resolve|Could not find artifact|\bERESOLVE\b|unable to resolve dependency|Could not find a version that satisfies|No matching distribution found|Failed to resolve|Failed to collect dependencies|Could not transfer artifact|unmet peer dependency|Package required but not available|Unable to find a matching version|version solving failed|Cannot find module\b|ModuleNotFoundError|No module named\b/i,
    score: 7,
    category: 'dependency',
  },
  // Resources and time.
  { re: /\bOutOfMemoryError\b|JavaScript heap out of memory|\bOut of memory\b|Cannot allocate memory|\bKilled\b|\bOOM\b/, score: 7, category: 'oom' },
  { re: /No output has been received in the last|\btimed out\b|\bTimeout of \d+ ?ms exceeded|\bdeadline exceeded\b|\bTimeoutError\b/i, score: 6, category: 'timeout' },
  // Tests.
  { re: /\bAssertionError\b|\bAssertionFailedError\b|\bassertion failed\b|\bComparisonFailure\b/i, score: 7, category: 'test' },
  { re: /^\s*(?:---\s*)?FAIL(?:ED)?\b|\bFAIL(?:ED)?\s*[:!]|\bFAIL(?:ED)?\s*$|\bFAILED\b|\bFAIL\s+\S/, score: 6, category: 'test' },
  { re: /[✗✖✘❌](?!\s*\d)|^\s*not ok \d+/, score: 6, category: 'test' },
  { re: /\bexpected\b.{1,200}\bbut\b|^\s*Expected\b.*\b(?:got|received|actual)\b/i, score: 5, category: 'test' },
  { re: /Tests run: \d+, Failures: [1-9]|Tests run: \d+, Failures: \d+, Errors: [1-9]/, score: 5, category: 'test' },
  { re: /^\s*Failures?:\s*$|^There (?:was|were) \d+ failures?|^\s*Failed tests:|\btests? failed\b|\b[1-9]\d* (?:failing|failed|failures?)\b/i, score: 5, category: 'test' },
  { re: /\bpanicked at\b/, score: 7, category: 'error' },
  // Numbered failure heads of test reporters (mocha, phpunit, ExUnit, rspec): "1) test …".
  { re: /^\s*\d+\) (?:test\b|\S+(?:::|\.|#)\S+|\S.*\(.*\)\s*$)/, score: 4, category: 'test' },
  // Exceptions and stack traces (Python, Java, JS).
  { re: /^\s*(?:E\s+)?(?:[A-Za-z_][\w$]*\.)*[A-Z][\w$]*(?:Error|Exception)\b(?::|$)/, score: 7, category: 'error' },
  { re: /\bException in thread\b|^\s*Caused by:/, score: 7, category: 'error' },
  { re: /^Traceback \(most recent call last\)/, score: 4, category: 'error' },
  { re: /^\s+at [\w$.<>[\]/-]+ ?\(.*\)\s*$|^\s+at [\w$./<>-]+:\d+|^\s+File ".*", line \d+/, score: 1, category: 'error', weak: true },
  // Tools' own error reports.
  { re: /^\s*\[ERROR\] (?:Failed to execute goal|.*\bFAILURE\b)/, score: 7, category: 'error' },
  {
    re: /^\s*\[ERROR\]\s*(?:$|->|Re-run Maven|For more information|To see the full stack|\[Help \d+\])|npm ERR! (?:A complete log|This is probably not|Exit status|Failed at the|errno|Tell the author|You can get|$)|^\s*npm ERR! code ELIFECYCLE/,
    score: 0.5,
    category: 'error',
    weak: true,
  },
  { re: /npm ERR! code E\w+|^\s*\[ERROR\]/, score: 6, category: 'error' },
  { re: /npm ERR!/, score: 4, category: 'error' },
  { re: /(?:^|\s)fatal:|\bFATAL\b/, score: 7, category: 'error' },
  { re: /\bERROR\b|(?:^|\s)\w*Error:|(?:^|\s)error:/, score: 5, category: 'error' },
  { re: /\bcommand not found\b|No such file or directory|\bPermission denied\b|\bnot found\b|\bnot installed\b/i, score: 5, category: 'error' },
  { re: /\bNo \w+ found\b|\bexceeded\b|\bis not defined\b|\bundefined\b/i, score: 4, category: 'error' },
  { re: /\bBUILD FAILURE\b|\bBUILD FAILED\b|\bBuild failed\b/i, score: 4, category: 'error' },
  { re: /\bfailed\b|\bfailure\b|\bcannot\b|\bunable to\b|\bViolation\b|\bOffenses:/i, score: 2.5, category: 'error' },
  { re: /\bwarning\b|\bWARN\b/i, score: 1, category: 'error' },
];

// A line that reports success or zero failures must not count as a failure line.
const CLEAN = /\b(?:0|no) (?:errors?|failures?|failed|failing)\b|\bFailures: 0, Errors: 0\b|\berrors?=0\b|\bfailed=0\b|-Werror\b|--no-error/i;

const EXIT_PATTERNS: RegExp[] = [
  /\bexit(?:ed)? (?:with )?(?:code|status)?:? ?(\d+)\b/i,
  /\bexited with (\d+)\b/i,
  /\breturned (?:a )?non-zero exit (?:status|code):? ?(\d+)/i,
  /\*\*\* \[.*\] Error (\d+)/,
];

// CI boilerplate that reports an exit status without saying why: a weak signal on its own.
const EXIT_BOILERPLATE = /^error Command failed with exit code|^The command ".*" (?:exited|failed) with|^Done\. Your build exited with|Process completed with exit code|^ERROR: Job failed|^\s*npm ERR!|make(?:\[\d+\])?: \*\*\*/;

/** The CI's closing summary of the whole build: not the end of the step that failed. */
export const FINAL_EXIT = /^Done\. Your build exited with|^Finished: FAILURE/;

// Lines that never carry a failure: CI fold markers, timing, and echoed shell commands whose
// arguments happen to hold words such as "error".
const IGNORED = /^travis_(?:fold|time)|^\$ |^\+ |^##\[(?:group|endgroup|command)\]|^\s*$/;

/** A shell command echoed by CI (`$ npm test`, GitHub's `##[group]Run npm test`): a step starts. */
export function isCommandEcho(line: string): boolean {
  return /^\$ \S|^##\[group\]Run /.test(line);
}

/** Prefixes a CI adds before a line's text (GitHub Actions timestamps, job/step columns). */
const CI_PREFIX = /^(?:[^\t\n]*\t[^\t\n]*\t)?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z ?|^##\[(?:error|warning)\]/;

/** The text to classify: visible text without CI prefixes. */
export function cleanLine(visible: string): string {
  // Fast path: both prefixes start with a digit, a tab-separated column or `##[`.
  const c = visible.charCodeAt(0);
  if (!(c >= 48 && c <= 57) && c !== 35 && visible.indexOf('\t') < 0) return visible;
  let out = visible;
  for (let i = 0; i < 3; i++) {
    const next = out.replace(CI_PREFIX, '');
    if (next === out) break;
    out = next;
  }
  return out;
}

export function exitCodeOf(line: string): number | undefined {
  for (const re of EXIT_PATTERNS) {
    const m = re.exec(line);
    if (m) {
      const code = Number(m[1]);
      return Number.isFinite(code) && code !== 0 ? code : undefined;
    }
  }
  return undefined;
}

/**
 * Every rule above needs one of these words or shapes; testing them first keeps the common
 * case (a line that says nothing about failure) to a single regex pass.
 */
const TRIGGER =
  /err|fail|fatal|exception|assert|expect|warn|not ok|panic|kill|oom|out of memory|allocate|time(?:d )?out|deadline|exit|returned|denied|not found|no such|not installed|not defined|undefined|cannot|can't|unable|could not|couldn't|missing|violation|offense|traceback|caused by|no module|no matching|resolve|unmet|not available|version solving|exceeded|problem|no output|terminated|\bno \w+ found|[✗✖✘❌]|^\s*\d+\)|^W: /i;

/** Only this much of a line is classified: a 50 MB line costs no more than a short one. */
export const MAX_CLASSIFIED = 4096;

/** Classify one cleaned line; null when it carries no failure signal. */
export function classifyLine(full: string): LineSignal | null {
  const line = full.length > MAX_CLASSIFIED ? full.slice(0, MAX_CLASSIFIED) : full;
  if (!TRIGGER.test(line) || IGNORED.test(line)) return null;
  const exitCode = exitCodeOf(line);
  if (exitCode !== undefined) {
    const oom = exitCode === 137;
    // An exit status says that a step failed, never why: unless it names a signal (137, OOM
    // kill), it is an epilogue of the failure above it.
    const boiler = EXIT_BOILERPLATE.test(line) || /^\W*(?:\w+:\s*)?(?:"[^"]*"|'[^']*'|\S+)?\s*(?:exited|failed) with (?:exit )?(?:code )?\d+\.?\s*$/i.test(line);
    return {
      score: oom ? 6 : boiler ? 1.5 : 3,
      category: oom ? 'oom' : 'exit',
      exitCode,
      weak: boiler && !oom,
      ...(boiler && !oom ? { boiler: true } : {}),
    };
  }
  // "not ok 6 no errors" is a failed TAP test whose name says "no errors".
  if (CLEAN.test(line) && !/^\s*not ok\b/.test(line)) return null;
  for (const rule of RULES) {
    if (rule.re.test(line)) {
      const signal: LineSignal = { score: rule.score, category: rule.category, weak: rule.weak ?? false };
      if (rule.summary) signal.summary = true;
      if (rule.boiler) signal.boiler = true;
      return signal;
    }
  }
  return null;
}
