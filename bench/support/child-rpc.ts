import { ChildProcess, fork } from 'node:child_process';

/*
 * Parent <-> child commands over the Node IPC channel. A child announces `{ ready, port }`
 * once it listens, answers `{ rpc, command, args }` with `{ rpc, ok, result | error }`, and
 * exits when the channel closes (the orchestrator died, even by SIGKILL).
 */

interface RpcRequest {
  rpc: number;
  command: string;
  args?: unknown;
}

type RpcResponse = { rpc: number; ok: true; result: unknown } | { rpc: number; ok: false; error: string };

export interface ReadyMessage {
  ready: true;
  port?: number;
}

export type RpcHandlers = Record<string, (args: never) => unknown>;

/** In the child: serve commands, announce readiness, die with the parent. */
export function serveRpc(handlers: RpcHandlers, ready: ReadyMessage): void {
  if (!process.send) throw new Error('this process must be started by bench/run-bench.ts (no IPC channel)');
  process.on('disconnect', () => process.exit(0));
  // A clean exit on SIGTERM, so `--cpu-prof` (BENCH_CHILD_NODE_ARGS) can write its profile.
  process.on('SIGTERM', () => process.exit(0));
  process.on('message', (message: RpcRequest) => {
    if (typeof message?.rpc !== 'number') return;
    const handler = handlers[message.command];
    const answer = (response: RpcResponse): void => {
      if (process.connected) process.send?.(response);
    };
    if (!handler) {
      answer({ rpc: message.rpc, ok: false, error: `unknown command ${message.command}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(message.args as never))
      .then(
        (result) => answer({ rpc: message.rpc, ok: true, result }),
        (error: unknown) => answer({ rpc: message.rpc, ok: false, error: error instanceof Error ? error.message : String(error) }),
      );
  });
  process.send(ready);
}

/** In the parent: one forked bench process running a TypeScript entry point. */
export class BenchChild {
  private nextRpc = 1;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }
  >();
  private exited = false;

  private constructor(
    readonly name: string,
    readonly process: ChildProcess,
  ) {
    process.on('message', (message: RpcResponse) => {
      if (typeof message?.rpc !== 'number') return;
      const waiter = this.pending.get(message.rpc);
      if (!waiter) return;
      this.pending.delete(message.rpc);
      clearTimeout(waiter.timer);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new Error(`${name}: ${message.error}`));
    });
    process.on('exit', (code, signal) => {
      this.exited = true;
      for (const waiter of this.pending.values()) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error(`${name} exited (${signal ?? code}) while a command was running`));
      }
      this.pending.clear();
    });
  }

  get pid(): number {
    return this.process.pid ?? -1;
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** Forks a JavaScript entry point (see transpile.ts) and waits for its ready message. */
  static async start(
    name: string,
    script: string,
    args: string[],
    timeoutMs = 30_000,
  ): Promise<{ child: BenchChild; ready: ReadyMessage }> {
    const execArgv = (process.env.BENCH_CHILD_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = fork(script, args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const handle = new BenchChild(name, child);
    const ready = await new Promise<ReadyMessage>((resolveReady, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${name} did not start within ${timeoutMs} ms`));
      }, timeoutMs);
      const onMessage = (message: ReadyMessage): void => {
        if (message?.ready !== true) return;
        cleanup();
        resolveReady(message);
      };
      const onExit = (code: number | null): void => {
        cleanup();
        reject(new Error(`${name} exited (${code}) before it was ready`));
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
    });
    return { child: handle, ready };
  }

  call<T>(command: string, args: unknown = {}, timeoutMs = 30_000): Promise<T> {
    if (this.exited || !this.process.connected) return Promise.reject(new Error(`${this.name} is not running`));
    const rpc = this.nextRpc++;
    return new Promise<T>((resolveCall, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(rpc);
        reject(new Error(`${this.name}: ${command} took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(rpc, { resolve: resolveCall as (value: unknown) => void, reject, timer });
      this.process.send({ rpc, command, args } satisfies RpcRequest);
    });
  }

  /** SIGTERM, then SIGKILL if it is still there after graceMs. */
  async stop(graceMs = 3000): Promise<void> {
    await stopProcess(this.process, graceMs);
  }
}

export async function stopProcess(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const killed = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((resolveTimeout) => {
      timer = setTimeout(() => resolveTimeout(true), graceMs);
    }),
  ]);
  clearTimeout(timer);
  if (killed && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await Promise.race([exited, new Promise((resolveWait) => setTimeout(resolveWait, 2000))]);
  }
}
