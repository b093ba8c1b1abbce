// A small static server for the built site: the README's run command and the browser tests.
// Serves folders under URL prefixes on loopback only, with the Content-Security-Policy the site
// must work under (no 'unsafe-eval', no inline scripts). GET and HEAD only; no directory listings;
// paths cannot leave their folder.
//
// Usage: node scripts/web_serve.mjs [--port 8080] [--host 127.0.0.1]
//          [--mount PREFIX=DIR]...  (served with the CSP; default /=site/dist)
//          [--plain PREFIX=DIR]...  (served without it: the browser tests' host pages)
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const maxHeaderBytes = 4 * 1024 * 1024;
export const contentSecurityPolicy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
};

function parseArgs(argv) {
  const options = { port: 8080, host: '127.0.0.1', mounts: [] };
  for (let i = 0; i < argv.length; ++i) {
    const arg = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === '--port') options.port = Number(next());
    else if (arg === '--host') options.host = next();
    else if (arg === '--mount' || arg === '--plain') {
      const [prefix, dir] = next().split('=');
      if (!prefix?.startsWith('/') || !prefix.endsWith('/') || !dir) throw new Error(`${arg} takes /prefix/=folder`);
      options.mounts.push({ prefix, dir: resolve(root, dir), csp: arg === '--mount' });
    } else throw new Error(`unknown option ${arg}`);
  }
  if (options.mounts.length === 0) options.mounts.push({ prefix: '/', dir: join(root, 'site/dist'), csp: true });
  // Longest prefix first, so /fixtures/ wins over /.
  options.mounts.sort((a, b) => b.prefix.length - a.prefix.length);
  return options;
}

function send(response, status, headers, body) {
  response.writeHead(status, { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache', ...headers });
  response.end(body);
}

export function handler(mounts) {
  return (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, { Allow: 'GET, HEAD' }, 'method not allowed\n');
    let path;
    try {
      path = decodeURIComponent(new URL(request.url, 'http://server').pathname);
    } catch {
      return send(response, 400, {}, 'bad request\n');
    }
    const mount = mounts.find((m) => path.startsWith(m.prefix) || path + '/' === m.prefix);
    if (!mount) return send(response, 404, { 'Content-Type': 'text/plain' }, 'not found\n');
    if (path + '/' === mount.prefix) return send(response, 301, { Location: mount.prefix }, '');
    let file = resolve(mount.dir, '.' + path.slice(mount.prefix.length - 1));
    if (file !== mount.dir && !file.startsWith(mount.dir + sep)) return send(response, 403, {}, 'forbidden\n');
    let stat = statSync(file, { throwIfNoEntry: false });
    if (stat?.isDirectory()) {
      file = join(file, 'index.html');
      stat = statSync(file, { throwIfNoEntry: false });
    }
    if (!stat?.isFile()) return send(response, 404, { 'Content-Type': 'text/plain' }, 'not found\n');
    const headers = { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' };
    if (mount.csp) headers['Content-Security-Policy'] = contentSecurityPolicy;
    // A validator, as static hosts send: a browser that asks again (Chromium refetches the icon
    // when the page rewrites its URL) gets 304 and no body.
    const { size, mtimeMs } = stat;
    headers['ETag'] = `"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`;
    if (request.headers['if-none-match'] === headers['ETag']) return send(response, 304, { ETag: headers['ETag'] }, undefined);
    const body = readFileSync(file);
    headers['Content-Length'] = body.length;
    send(response, 200, headers, request.method === 'HEAD' ? undefined : body);
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`web_serve: ${error.message}`);
    process.exit(2);
  }
  for (const mount of options.mounts) {
    if (!existsSync(join(mount.dir, mount.csp ? 'index.html' : '.'))) {
      console.error(`web_serve: ${mount.dir} has no index.html; build the site first (scripts/web_build.sh)`);
      process.exit(2);
    }
  }
  // Links carry the page's state in their query: allow any length a browser sends (Chromium's URL
  // limit is 2 MB; Node's default header limit, 16 KB, answered longer permalinks with a bare
  // 431), so the page itself reads the link and says what it did with it.
  const server = createServer({ maxHeaderSize: maxHeaderBytes }, handler(options.mounts));
  server.on('clientError', (error, socket) => {
    if (!socket.writable) return socket.destroy();
    const tooLong = error.code === 'HPE_HEADER_OVERFLOW';
    const body = tooLong ? `This link is longer than this server accepts (${maxHeaderBytes / 1024 / 1024} MB of headers). Open the page without its query, or put the settings after # instead of ?.\n` : 'bad request\n';
    socket.end(`HTTP/1.1 ${tooLong ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
  server.on('error', (error) => {
    console.error(`web_serve: cannot listen on ${options.host}:${options.port}: ${error.message}`);
    process.exit(1);
  });
  server.listen(options.port, options.host, () => {
    const shown = options.host === '127.0.0.1' ? 'localhost' : options.host;
    for (const mount of options.mounts) {
      console.log(`pertoken: serving ${mount.dir.replace(root + sep, '')} at http://${shown}:${options.port}${mount.prefix}${mount.csp ? '' : ' (no CSP)'}`);
    }
    console.log('pertoken: press Ctrl+C to stop');
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
}
