/**
 * The version of mycli: `mycli --version`, the `--json` documents, and the Cloudflare client's
 * user-agent all read it here.
 */
import { readFileSync } from 'node:fs';

/** Inlined by the build (scripts/build.mjs: esbuild `define`), so dist/ never reads package.json. */
declare const __MYCLI_VERSION__: string | undefined;

let cachedVersion: string | undefined;

/** The package version: inlined by the build; read from package.json when running from source (tests). */
export function packageVersion(): string {
  if (!cachedVersion && typeof __MYCLI_VERSION__ === 'string') cachedVersion = __MYCLI_VERSION__;
  if (!cachedVersion) {
    try {
      // src/version.ts is one level below the package root.
      const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
      cachedVersion = pkg.version;
    } catch {
      cachedVersion = '0.0.0';
    }
  }
  return cachedVersion;
}
