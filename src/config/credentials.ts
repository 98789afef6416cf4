/**
 * "Never put sensitive values in wrangler.toml": spot [vars] entries that look like credentials,
 * by name or by the shape of the value. Returns names only; values are never echoed.
 */
const NAME = /(^|_)(KEY|TOKEN|SECRET|PASSWORD|PASSWD|PWD|CREDENTIALS?|PRIVATE_KEY|API_KEY|AUTH)$|PASSWORD|SECRET|PRIVATE_KEY/i;

const TOKEN_SHAPES = [
  /^sk_(live|test)_[A-Za-z0-9]{16,}$/, // Stripe
  /^(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}$/, // GitHub
  /^github_pat_[A-Za-z0-9_]{40,}$/,
  /^xox[abprs]-[A-Za-z0-9-]{10,}$/, // Slack
  /^AKIA[0-9A-Z]{16}$/, // AWS access key id
  /^AIza[0-9A-Za-z_-]{35}$/, // Google API key
  /^glpat-[A-Za-z0-9_-]{20,}$/, // GitLab
  /^sk-[A-Za-z0-9_-]{20,}$/, // OpenAI-style
  /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, // JWT
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
];

export function looksLikeCredentialValue(value: string): boolean {
  if (TOKEN_SHAPES.some((re) => re.test(value))) return true;
  return value.length >= 32 && !/\s/.test(value) && !/^https?:\/\//.test(value) && entropy(value) >= 4.0;
}

export function looksLikeCredentialName(name: string): boolean {
  return NAME.test(name);
}

export function credentialLookingVars(vars: Record<string, unknown>): string[] {
  return Object.entries(vars)
    .filter(([name, value]) => looksLikeCredentialName(name) || (typeof value === 'string' && looksLikeCredentialValue(value)))
    .map(([name]) => name);
}

/** Shannon entropy in bits per character. */
function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}
