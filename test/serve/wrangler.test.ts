/**
 * The real wrangler 4.80 against `mycli serve` (the suite is wrangler-suite.ts, shared with
 * wrangler 4.164): users on an older wrangler keep working. It runs on this Node (4.80 needs 18+).
 */
import { wranglerSuite } from './wrangler-suite.js';

wranglerSuite({ label: '4.80', pkg: 'wrangler', node: process.execPath, modern: false });
