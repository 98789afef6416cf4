/**
 * The one redaction rule. Every secret value the process has seen (prompt, stdin, files, bulk
 * input, a value a plugin returned by mistake) and every credential (CLOUDFLARE_API_TOKEN,
 * CLOUDFLARE_API_KEY, MYCLI_SERVE_TOKEN, MYCLI_LOCAL_KEY) is remembered here, and everything
 * mycli prints passes through `redact()` (the Output class and the crash handlers are the choke
 * points). A value is removed in its raw, JSON-escaped (once and twice), URL-encoded and base64
 * forms, and so is ANY run of 8 or more consecutive characters of any of those forms: a prefix,
 * a suffix, one line of a PEM, a fragment a server echoed. Values shorter than 8 characters are
 * removed where they appear whole (from 4 characters on; shorter ones would erase ordinary words).
 *
 * How: the 8-character windows of every form are hashed (two 32-bit hashes packed in one
 * number) into a set; a text is scanned window by window and each window found is blanked. Over-
 * redaction (a hash collision, an ordinary word that is also part of a value) costs a
 * "[redacted]" in a message; under-redaction would leak, so the rule errs that way.
 */

const WINDOW = 8;
const MIN_WHOLE = 4;
export const MARK = '[redacted]';

function key(s: string, at: number): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x1505;
  for (let i = at; i < at + WINDOW; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = (Math.imul(h2, 33) + c) | 0;
  }
  // 32 + 21 bits: exact in a double, so the set compares numbers, not strings.
  return (h1 >>> 0) * 0x200000 + (h2 & 0x1fffff);
}

/** The printable forms a value may take in someone else's text. */
export function formsOf(value: string): string[] {
  const forms = new Set<string>([value]);
  const json = JSON.stringify(value).slice(1, -1);
  forms.add(json);
  forms.add(JSON.stringify(json).slice(1, -1));
  try {
    forms.add(encodeURIComponent(value));
    forms.add(encodeURIComponent(value).replace(/%20/g, '+'));
  } catch {
    // lone surrogates cannot be URL-encoded; the other forms still apply
  }
  const bytes = Buffer.from(value, 'utf8');
  // base64 of the value from each of the three byte alignments, so that the base64 of any part
  // of a value (inside a larger base64 text) shares windows with one of them.
  for (let k = 0; k < 3 && k < bytes.length; k++) {
    const b64 = bytes.subarray(k).toString('base64');
    forms.add(b64.replace(/=+$/, ''));
    forms.add(bytes.subarray(k).toString('base64url'));
  }
  for (const line of value.split(/\r?\n/)) if (line !== value && line.length > 0) forms.add(line);
  return [...forms];
}

export class Redactor {
  private readonly windows = new Set<number>();
  private readonly whole = new Set<string>();
  private readonly seen = new Set<string>();

  /** Remember a secret value or credential. Empty and very short strings are ignored. */
  add(value: string | null | undefined): void {
    if (typeof value !== 'string' || value.length < MIN_WHOLE || this.seen.has(value)) return;
    this.seen.add(value);
    for (const form of formsOf(value)) {
      if (form.length < MIN_WHOLE) continue;
      if (form.length < WINDOW) {
        this.whole.add(form);
        continue;
      }
      for (let i = 0; i + WINDOW <= form.length; i++) this.windows.add(key(form, i));
    }
  }

  /** Forget everything (a new run of main() in the same process, as tests do). */
  reset(): void {
    this.windows.clear();
    this.whole.clear();
    this.seen.clear();
  }

  get size(): number {
    return this.seen.size;
  }

  /** `text` with every known value, and every 8-character run of one, replaced by [redacted]. */
  redact(text: string): string {
    if (typeof text !== 'string' || text.length < MIN_WHOLE || this.seen.size === 0) return text;
    let out = text;
    if (this.windows.size && out.length >= WINDOW) {
      const hit = new Uint8Array(out.length);
      if (this.markWindows(out, (from, to) => hit.fill(1, from, to))) out = blankRuns(out, hit);
    }
    for (const w of this.whole) if (out.includes(w)) out = out.split(w).join(MARK);
    return out;
  }

  /** Calls `mark(from, to)` for each 8-character run of `text` that is a run of a known value; whether any was. */
  private markWindows(text: string, mark: (from: number, to: number) => void): boolean {
    let any = false;
    for (let i = 0; i + WINDOW <= text.length; i++) {
      if (this.windows.has(key(text, i))) {
        mark(i, i + WINDOW);
        any = true;
      }
    }
    return any;
  }

  /**
   * `redact()` over a stream that may have cut a value into pieces: every known value (and
   * every 8-character run of one) is also found across line breaks, as `fold -w 7` or
   * `fold -w 1` would print it, and blanked with the breaks between its pieces. For output that
   * mycli did not write itself (a rollout gate's).
   */
  redactAcrossLines(text: string): string {
    if (typeof text !== 'string' || this.seen.size === 0) return text;
    // The text without its line breaks, and where each of its characters came from.
    const at: number[] = [];
    let joined = '';
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '\n' || c === '\r') continue;
      at.push(i);
      joined += c;
    }
    const hit = new Uint8Array(text.length);
    // from..to are positions in `joined`; blank the original span, breaks included.
    const mark = (from: number, to: number) => hit.fill(1, at[from], at[to - 1] + 1);
    let any = this.markWindows(joined, mark);
    for (const w of this.whole) {
      for (let i = joined.indexOf(w); i >= 0; i = joined.indexOf(w, i + 1)) {
        mark(i, i + w.length);
        any = true;
      }
    }
    return this.redact(any ? blankRuns(text, hit) : text);
  }

  /** A JSON-able value with every string (keys included) redacted; the structure stays valid. */
  redactDeep<T>(value: T): T {
    if (this.seen.size === 0) return value;
    const walk = (v: unknown, depth: number): unknown => {
      if (typeof v === 'string') return this.redact(v);
      if (v === null || typeof v !== 'object' || depth > 64) return v;
      if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[this.redact(k)] = walk(x, depth + 1);
      return out;
    };
    return walk(value, 0) as T;
  }
}

/** `text` with each run of marked characters (`hit[i]` set) replaced by one [redacted]. */
function blankRuns(text: string, hit: Uint8Array): string {
  let result = '';
  for (let i = 0; i < text.length; ) {
    const start = i;
    const marked = hit[i];
    while (i < text.length && hit[i] === marked) i++;
    result += marked ? MARK : text.slice(start, i);
  }
  return result;
}

/** The process-wide redactor. */
export const redactor = new Redactor();

/** Remember a secret value (or credential) for the rest of the process. */
export function rememberSecret(value: string | null | undefined): void {
  redactor.add(value);
}

export function redact(text: string): string {
  return redactor.redact(text);
}

/** The credentials mycli may hold, from the environment it was given. */
export const CREDENTIAL_VARIABLES = ['CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_API_KEY', 'MYCLI_SERVE_TOKEN', 'MYCLI_LOCAL_KEY'] as const;

/**
 * Variables a child process mycli starts (a rollout gate) never inherits unless the user passes
 * them on purpose: the credentials above, and the account identity that goes with an API key.
 */
export const WITHHELD_FROM_CHILDREN: readonly string[] = [...CREDENTIAL_VARIABLES, 'CLOUDFLARE_EMAIL'];

export function rememberCredentials(env: Record<string, string | undefined>): void {
  for (const name of CREDENTIAL_VARIABLES) {
    const v = env[name];
    if (v) {
      redactor.add(v);
      if (v.trim() !== v) redactor.add(v.trim());
    }
  }
}

/** One line, redacted, for a crash handler: the message of an error, never its stack. */
export function crashLine(e: unknown): string {
  let message: string;
  try {
    message = e instanceof Error ? `${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message}` : String(e);
  } catch {
    message = 'an unprintable value was thrown';
  }
  const first = redact(message).split(/\r?\n/)[0].slice(0, 500);
  return first;
}
