import type { Flag } from './types.ts';
import { excerptOf, lineAt } from './excerpt.ts';

/**
 * Links that would carry data out when an agent (or a Markdown renderer) follows them: images
 * on remote hosts (fetched with no click), known request-capture / paste / webhook hosts, and
 * query strings built to be filled with data (`?d={secret}`, `?q=$(env)`, `?data=<conversation>`)
 * or already carrying a long encoded payload. Ordinary links (docs, issues, `?q=is:open`) pass.
 */
const URL_RE = /\bhttps?:\/\/[^\s<>"'`)\]]+/giu;
const MD_IMAGE = /!\[[^\]\n]*\]\(\s*<?(https?:\/\/[^)\s>]+)/giu;
const HTML_IMAGE = /<img\b[^>\n]*\bsrc\s*=\s*["']?(https?:\/\/[^"'\s>]+)/giu;
const LOCAL_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[?::1\]?|0\.0\.0\.0)$/i;
const EXFIL_HOST =
  /(?:^|\.)(?:webhook\.site|requestbin\.(?:com|net)|pipedream\.net|(?:[\w-]+\.)?ngrok(?:-free)?\.(?:io|app|dev)|burpcollaborator\.net|oastify\.com|interact\.sh|oast\.(?:fun|pro|live|site|online|me)|requestcatcher\.com|beeceptor\.com|canarytokens\.com|pastebin\.com|paste\.ee|hastebin\.com|ghostbin\.\w+|dpaste\.(?:com|org)|termbin\.com|transfer\.sh|0x0\.st|file\.io|hookbin\.com|postb\.in|mockbin\.org)$/i;
const PLACEHOLDER =
  /\{\{?[^}]*\}\}?|\$\{[^}]*\}|\$\([^)]*\)?|`[^`]*`|\$[A-Z_][A-Z0-9_]*|%7B[^&]*%7D|<[^>]*>|\[[A-Z_ ]{3,}\]/i;
const DATA_WORD =
  /data|payload|secret|token|key|pass|pwd|cred|env|cookie|session|chat|conversation|history|memory|prompt|context|content|message|msg|leak|exfil|dump|info|q$|^d$/i;
const LONG_PAYLOAD = /[A-Za-z0-9+/_%-]{48,}={0,2}/;

function flag(text: string, at: number, len: number, rule: string, reason: string): Flag {
  const line = lineAt(text, at);
  return {
    category: 'exfil_link',
    rule,
    reason,
    line: line.line,
    excerpt: excerptOf(line.text, at - line.start, at - line.start + len),
  };
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}

export function findExfilLinks(text: string): Flag[] {
  const flags: Flag[] = [];
  for (const re of [MD_IMAGE, HTML_IMAGE]) {
    for (const m of text.matchAll(re)) {
      const host = hostOf(m[1]!);
      if (host !== null && LOCAL_HOST.test(host)) continue;
      flags.push(
        flag(
          text,
          m.index,
          m[0].length,
          'remote_image',
          `image on a remote host (${host ?? 'unparsable URL'}): rendering it sends a request with no click`,
        ),
      );
    }
  }
  for (const m of text.matchAll(URL_RE)) {
    const url = m[0].replace(/[.,;:!?]+$/, '');
    const host = hostOf(url);
    if (host !== null && EXFIL_HOST.test(host)) {
      flags.push(
        flag(
          text,
          m.index,
          url.length,
          'exfil_host',
          `link to a request-capture, paste or webhook host (${host})`,
        ),
      );
      continue;
    }
    const q = url.indexOf('?');
    if (q === -1) continue;
    const params = url
      .slice(q + 1)
      .split('#')[0]!
      .split('&');
    for (const p of params) {
      const eq = p.indexOf('=');
      const name = eq === -1 ? p : p.slice(0, eq);
      const value = eq === -1 ? '' : p.slice(eq + 1);
      const placeholder = PLACEHOLDER.exec(value);
      if (
        placeholder &&
        (/^\$\(|^`/.test(placeholder[0]) || DATA_WORD.test(name) || DATA_WORD.test(placeholder[0]))
      ) {
        flags.push(
          flag(
            text,
            m.index,
            url.length,
            'data_in_query',
            `link whose query parameter ${JSON.stringify(name)} is a slot for data (${placeholder[0].slice(0, 40)})`,
          ),
        );
        break;
      }
      if (LONG_PAYLOAD.test(value) && !/^[0-9a-f]+$/i.test(value)) {
        flags.push(
          flag(
            text,
            m.index,
            url.length,
            'payload_in_query',
            `link whose query parameter ${JSON.stringify(name)} carries a long encoded value`,
          ),
        );
        break;
      }
    }
  }
  return flags;
}
