/**
 * Durations on the command line (`versions rollout --wait 5m`, `store gc --grace 1h`): one
 * syntax and one error for every flag that takes one, and the same words when one is printed.
 */
import { UsageError } from '../errors.js';

/** `30s`, `5m`, `1h`, `1m30s` or plain seconds -> milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(t);
  if (!m || t === '') {
    throw new UsageError(`${flag} "${text}" is not a duration`, { hint: `write e.g. ${flag} 30s, 5m, 1h or a number of seconds` });
  }
  return ((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 1000;
}

/** 90000 -> "1m30s"; 0 -> "0s". */
export function formatDuration(ms: number): string {
  let s = Math.ceil(ms / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const out = `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s || (!h && !m) ? `${s}s` : ''}`;
  return out;
}
