/**
 * Where a log line's header ends and its message begins, from the masked tokens alone, with one
 * general rule set (no per-system log formats). Most logs print `timestamp [level] [thread]
 * [component:] message` (log4j, logback, Python logging, Go's log, syslog's `host prog[pid]:`);
 * the header's constant words (level, component, host) name the statement's origin, its
 * variable parts (times, pids, thread names) are noise, and neither should count when two
 * messages are compared for similarity.
 */

const LEVELS = new Set([
  'TRACE', 'DEBUG', 'INFO', 'NOTICE', 'WARN', 'WARNING', 'ERROR', 'ERR', 'SEVERE', 'FATAL', 'CRITICAL', 'CRIT', 'ALERT',
  'EMERG', 'FINE', 'FINER', 'FINEST', 'CONFIG',
]);
/** A level word is looked for only this far into the line: past it, it is message text. */
const LEVEL_WINDOW = 10;
/** A thread or context in brackets after the level spans at most this many tokens. */
const BRACKET_WINDOW = 8;

function isPlaceholder(tok: string): boolean {
  return tok.length > 2 && tok.charCodeAt(0) === 60 && tok.charCodeAt(tok.length - 1) === 62 && tok.indexOf('<', 1) < 0;
}

function isLevel(tok: string): boolean {
  let a = 0;
  let b = tok.length;
  while (a < b && '[<('.includes(tok[a]!)) a++;
  while (b > a && ']>):'.includes(tok[b - 1]!)) b--;
  return b - a >= 3 && LEVELS.has(tok.slice(a, b));
}

/** `dfs.DataNode$PacketResponder:`, `sshd[<NUM>]:`, `org.apache.hadoop.ipc.Client:`. */
function isComponent(tok: string): boolean {
  return tok.length >= 3 && tok.endsWith(':') && /^[A-Za-z][\w.$<>[\]/-]*:$/.test(tok);
}

export interface HeaderSplit {
  /** Index of the first message token. */
  start: number;
  /** The header's constant words (level, component, host), for routing; '' when none. */
  key: string;
}

/** Split masked `tokens` into header and message. A line without a recognizable header is all message. */
export function splitHeader(tokens: readonly string[]): HeaderSplit {
  const n = tokens.length;
  let level = -1;
  for (let i = 0; i < n && i < LEVEL_WINDOW; i++) {
    if (isLevel(tokens[i]!)) {
      level = i;
      break;
    }
  }
  let start: number;
  let bracketFrom = -1;
  let bracketTo = -1;
  if (level >= 0) {
    start = level + 1;
    if (start < n && tokens[start]!.startsWith('[')) {
      for (let j = start; j < n && j < start + BRACKET_WINDOW; j++) {
        if (tokens[j]!.endsWith(']')) {
          bracketFrom = start;
          bracketTo = j;
          start = j + 1;
          break;
        }
      }
    }
    if (start < n && (tokens[start] === '-' || tokens[start] === ':')) start++;
    if (start < n - 1 && isComponent(tokens[start]!)) start++;
  } else {
    // syslog and friends: `<TS> host prog[pid]: message`.
    let i = 0;
    while (i < n && isPlaceholder(tokens[i]!)) i++;
    const stamped = i > 0;
    if (stamped) {
      for (let j = i; j < n - 1 && j < i + 3; j++) {
        if (isComponent(tokens[j]!)) {
          i = j + 1;
          break;
        }
      }
    }
    start = i;
  }
  if (start >= n) start = 0;
  let key = '';
  for (let i = 0; i < start; i++) {
    // Neither the thread nor the level: the same statement is printed from several threads,
    // and some systems log one statement at several levels.
    if ((i >= bracketFrom && i <= bracketTo) || i === level) continue;
    const t = tokens[i]!;
    if (isPlaceholder(t) || /\d/.test(t)) continue;
    key = key === '' ? t : `${key} ${t}`;
  }
  return { start, key };
}
