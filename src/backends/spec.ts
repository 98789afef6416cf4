/**
 * Which backend a command uses: `--backend <spec>` > MYCLI_BACKEND > `[mycli] backend` in the
 * config > 'local'. The one home of that precedence (the CLI context, `backend check` and
 * `serve` ask here). No imports: choosing a backend must not load one.
 */

export interface BackendChoice {
  spec: string;
  /** Folder a relative module path resolves from: where it was given (the working directory for the flag and the variable, the project for the config). */
  baseDir: string;
  /** Where the spec came from. */
  from: 'flag' | 'env' | 'config' | 'default';
}

export interface BackendChoiceInput {
  /** `--backend` (or an argument that stands for it); an empty string counts as given. */
  flag?: string;
  /** MYCLI_BACKEND is read from here; empty counts as unset. */
  env: Record<string, string | undefined>;
  /** `[mycli] backend` of the config, if any (empty counts as unset). */
  config?: string;
  cwd: string;
  projectDir: string;
}

export function chooseBackend(o: BackendChoiceInput): BackendChoice {
  if (o.flag !== undefined) return { spec: o.flag, baseDir: o.cwd, from: 'flag' };
  if (o.env.MYCLI_BACKEND) return { spec: o.env.MYCLI_BACKEND, baseDir: o.cwd, from: 'env' };
  if (o.config) return { spec: o.config, baseDir: o.projectDir, from: 'config' };
  return { spec: 'local', baseDir: o.projectDir, from: 'default' };
}
