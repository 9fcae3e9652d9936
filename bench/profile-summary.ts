import { readFileSync } from 'node:fs';
import { busyStretches, CpuProfile, formatBusyStretches, formatProfileSummary, summariseCpuProfile } from './support/cpu-profile';

// node -r ts-node/register/transpile-only bench/profile-summary.ts <file.cpuprofile> [top]
const [file, top] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: bench/profile-summary.ts <file.cpuprofile> [top]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
process.stdout.write(
  `${formatProfileSummary(summariseCpuProfile(profile, 50), Number(top ?? 20))}\n${formatBusyStretches(busyStretches(profile, 20, 5))}\n`,
);
