/** Why a generated types file differs from what `mycli types` would write now, line by line. */

interface Located {
  where: string;
  line: string;
}

function located(text: string): Located[] {
  const out: Located[] = [];
  let where = 'file';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const m = /^interface (\w+)/.exec(line);
    if (m) where = m[1];
    if (!line || line === '}' || line.startsWith('//') || line.startsWith('/*') || m) continue;
    out.push({ where, line });
  }
  return out;
}

/** `Env: + NEW_SECRET: string;` / `StagingEnv: - GREETING: "hi";` lines, at most 20. */
export function describeStaleness(existing: string, wanted: string): string[] {
  const a = located(existing);
  const b = located(wanted);
  const key = (l: Located) => `${l.where}\0${l.line}`;
  const inA = new Set(a.map(key));
  const inB = new Set(b.map(key));
  const reasons = [
    ...b.filter((l) => !inA.has(key(l))).map((l) => `${l.where}: + ${l.line}`),
    ...a.filter((l) => !inB.has(key(l))).map((l) => `${l.where}: - ${l.line}`),
  ];
  if (!reasons.length) {
    const h = /\(hash: (\w+)\)/;
    reasons.push(`its header differs (hash ${h.exec(existing)?.[1] ?? 'missing'}, now ${h.exec(wanted)?.[1] ?? '?'}); it was made by another command or edited by hand`);
  }
  return reasons.length > 20 ? [...reasons.slice(0, 20), `… and ${reasons.length - 20} more`] : reasons;
}
