/**
 * Cloudflare's annotations of a version or deployment (`workers/message`, `workers/tag`,
 * `workers/triggered_by`), both directions in one place: read by the cloudflare backend
 * (map.ts), written by it (uploads, versioned secret changes, deployments) and by `mycli serve`
 * (serve/shapes.ts, which answers as the API does). A leaf module: no import of its own.
 */

export const ANNOTATION = {
  message: 'workers/message',
  tag: 'workers/tag',
  triggeredBy: 'workers/triggered_by',
} as const;

/** What the annotations say, in the Backend's words (`source` is the API's `triggered_by`). */
export interface Annotated {
  message?: string;
  tag?: string;
  source?: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Reading: an annotations object (from the API) to message, tag and source; empty strings are absent. */
export function readAnnotations(a: Record<string, unknown> | null | undefined): Annotated {
  const o = a ?? {};
  return { message: str(o[ANNOTATION.message]), tag: str(o[ANNOTATION.tag]), source: str(o[ANNOTATION.triggeredBy]) };
}

/**
 * Writing: message, tag and (for answers, not requests) source as the API's annotations; what
 * is absent is left out. A source is written as Cloudflare's `triggered_by` word.
 */
export function writeAnnotations(v: Annotated): Record<string, string> {
  const a: Record<string, string> = {};
  if (v.message !== undefined) a[ANNOTATION.message] = v.message;
  if (v.tag !== undefined) a[ANNOTATION.tag] = v.tag;
  if (v.source !== undefined) a[ANNOTATION.triggeredBy] = triggeredBy(v.source);
  return a;
}

/** The Backend's `source` words (the local store's) to Cloudflare's `workers/triggered_by` values. */
export function triggeredBy(source: string): string {
  switch (source) {
    case 'secret':
      return 'secret';
    case 'rollback':
      return 'rollback';
    case 'deployment':
    case 'deploy':
      // `versions deploy`: wrangler shows Cloudflare's "promotion" as "Promotion".
      return 'promotion';
    default:
      return 'upload';
  }
}
