'use strict';
// Loaded into the service by bench/run-bench.ts (`node -r`), plain JS so the service runs
// exactly as in production. In cluster mode (WEB_CONCURRENCY > 1) the workers inherit it. Jobs:
// - exit when the process that started this one is gone (the bench, even killed with SIGKILL;
//   for a worker, its primary);
// - in a cluster primary: append each worker's pid to BENCH_LISTENING_FILE once it listens,
//   so the bench knows when every worker takes calls;
// - CPU-profile on demand: SIGUSR2 starts the profiler, the next SIGUSR2 writes
//   <BENCH_PROFILE_DIR>/<BENCH_PROFILE_PREFIX>[-<pid> in a worker]-<n>.cpuprofile.
const fs = require('node:fs');
const path = require('node:path');
const cluster = require('node:cluster');
const inspector = require('node:inspector');

const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 1000).unref();

const listeningFile = process.env.BENCH_LISTENING_FILE;
if (listeningFile && cluster.isPrimary) {
  cluster.on('listening', (worker) => fs.appendFileSync(listeningFile, `${worker.process.pid}\n`));
}

const directory = process.env.BENCH_PROFILE_DIR;
if (directory) {
  const prefix = `${process.env.BENCH_PROFILE_PREFIX || 'service'}${cluster.isWorker ? `-${process.pid}` : ''}`;
  let session;
  let written = 0;
  process.on('SIGUSR2', () => {
    if (!session) {
      session = new inspector.Session();
      session.connect();
      session.post('Profiler.enable', () =>
        session.post('Profiler.setSamplingInterval', { interval: 500 }, () => session.post('Profiler.start')),
      );
      return;
    }
    const active = session;
    session = undefined;
    active.post('Profiler.stop', (error, result) => {
      if (!error && result && result.profile) {
        written += 1;
        const file = path.join(directory, `${prefix}-${written}.cpuprofile`);
        fs.writeFileSync(`${file}.tmp`, JSON.stringify(result.profile));
        fs.renameSync(`${file}.tmp`, file);
      }
      active.disconnect();
    });
  });
}
