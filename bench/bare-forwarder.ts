import cluster from 'node:cluster';
import { AddressInfo, createServer } from 'node:net';
import WebSocket, { RawData, WebSocketServer } from 'ws';
import { serveRpc } from './support/child-rpc';

/*
 * The baseline: the least a relay can do with the same `ws` library and the same socket
 * options as the service. One upstream socket per accepted socket; every frame is forwarded
 * as-is both ways (no parsing, no re-encoding); frames that arrive before the upstream
 * opens wait for it. Whatever the service costs above this is the cost of its logic.
 * With --workers N > 1 it takes the service's cluster shape: a primary that forks N workers
 * sharing the port (Node cluster, the same scheduling as WEB_CONCURRENCY).
 *
 *   node -r ts-node/register/transpile-only bench/bare-forwarder.ts --upstream ws://127.0.0.1:9000/v1/ws [--port 0] [--workers 1]
 */

function argument(name: string, fallback?: string): string {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? process.argv[at + 1] : fallback;
  if (value === undefined) throw new Error(`--${name} is required`);
  return value;
}

const upstreamUrl = argument('upstream');
const port = Number(argument('port', '0'));
const workers = Number(argument('workers', '1'));
const counters = { accepted: 0, open: 0, upstreamErrors: 0 };

if (workers > 1 && cluster.isPrimary) void runPrimary();
else forward();

/** Cluster mode: pick the port, fork the workers, report ready once every worker listens. */
async function runPrimary(): Promise<void> {
  const shared = port || (await freePort());
  let listening = 0;
  cluster.on('listening', () => {
    listening++;
    if (listening !== workers) return;
    if (process.send) serveRpc({ stats: () => ({ workers: listening }) }, { ready: true, port: shared });
    else process.stdout.write(`bare forwarder (${workers} workers) on ws://127.0.0.1:${shared} -> ${upstreamUrl}\n`);
  });
  cluster.on('exit', (worker, code, signal) =>
    process.stderr.write(`bare forwarder worker ${worker.process.pid} exited (${signal ?? code})\n`),
  );
  for (let index = 0; index < workers; index++) cluster.fork({ BENCH_FORWARDER_PORT: String(shared) });
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const bound = (probe.address() as AddressInfo).port;
      probe.close(() => resolvePort(bound));
    });
  });
}

function forward(): void {
  // The service's gateway: maxPayload 1 MiB, no compression; its provider client: no compression.
  const listenPort = cluster.isWorker ? Number(process.env.BENCH_FORWARDER_PORT) : port;
  const server = new WebSocketServer({ host: '127.0.0.1', port: listenPort, maxPayload: 1024 * 1024, perMessageDeflate: false });

  server.on('connection', (caller: WebSocket) => {
    counters.accepted++;
    counters.open++;
    const upstream = new WebSocket(upstreamUrl, { perMessageDeflate: false });
    const waiting: RawData[] = [];
    caller.on('message', (data, isBinary) => {
      if (upstream.readyState === WebSocket.OPEN) upstream.send(data, { binary: isBinary });
      else if (upstream.readyState === WebSocket.CONNECTING) waiting.push(data);
    });
    upstream.on('open', () => {
      for (const data of waiting.splice(0)) upstream.send(data, { binary: false });
    });
    upstream.on('message', (data, isBinary) => {
      if (caller.readyState === WebSocket.OPEN) caller.send(data, { binary: isBinary });
    });
    const closeBoth = (): void => {
      if (caller.readyState === WebSocket.OPEN) caller.close(1000);
      else if (caller.readyState === WebSocket.CONNECTING) caller.terminate();
      if (upstream.readyState === WebSocket.OPEN) upstream.close(1000);
      else if (upstream.readyState === WebSocket.CONNECTING) upstream.terminate();
    };
    caller.on('close', () => {
      counters.open--;
      closeBoth();
    });
    upstream.on('close', closeBoth);
    caller.on('error', closeBoth);
    upstream.on('error', () => {
      counters.upstreamErrors++;
      closeBoth();
    });
  });

  server.on('listening', () => {
    const bound = (server.address() as AddressInfo).port;
    if (cluster.isWorker) return; // The primary reports for the cluster.
    if (process.send) {
      serveRpc({ stats: () => ({ ...counters }) }, { ready: true, port: bound });
    } else {
      process.stdout.write(`bare forwarder on ws://127.0.0.1:${bound} -> ${upstreamUrl}\n`);
    }
  });
}
