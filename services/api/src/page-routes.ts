/**
 * The built-in page (services/api/public) and the chart library it uses, served from
 * node_modules (no CDN). A strict Content-Security-Policy: the page loads only its own files,
 * runs no inline script or style, and talks only to this API.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const PUBLIC = fileURLToPath(new URL('../public/', import.meta.url));
const require = createRequire(import.meta.url);

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** path → [file, content type] */
const FILES: Record<string, [string, string]> = {
  '/': [`${PUBLIC}index.html`, 'text/html; charset=utf-8'],
  '/app.js': [`${PUBLIC}app.js`, 'text/javascript; charset=utf-8'],
  '/app.css': [`${PUBLIC}app.css`, 'text/css; charset=utf-8'],
  '/vendor/uplot.js': [require.resolve('uplot/dist/uPlot.iife.min.js'), 'text/javascript; charset=utf-8'],
  '/vendor/uplot.css': [require.resolve('uplot/dist/uPlot.min.css'), 'text/css; charset=utf-8'],
};

export function registerPageRoutes(app: FastifyInstance): void {
  for (const [path, [file, type]] of Object.entries(FILES)) {
    app.get(path, async (_req, reply) =>
      reply
        .type(type)
        .header('content-security-policy', CSP)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', 'no-cache')
        .send(await readFile(file)),
    );
  }
}
