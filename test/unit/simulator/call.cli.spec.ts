import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { parseCallArguments } from '../../../src/simulator/call.cli';
import { FakeVoiceService } from './fake-voice-service.server';

const repositoryRoot = join(__dirname, '../../..');

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'src/simulator/call.cli.ts', ...args],
      { cwd: repositoryRoot, env: { ...process.env, TWILIO_AUTH_TOKEN: '', PUBLIC_BASE_URL: '', ...env }, timeout: 20_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('call CLI', () => {
  let service: FakeVoiceService | undefined;

  afterEach(async () => {
    await service?.close();
    service = undefined;
  });

  it('plays a scripted call and prints the conversation', async () => {
    service = await new FakeVoiceService({ authToken: 'cli-token', brain: true }).listen();

    const run = await runCli(['--say', 'Where is ORD-12345?', '--say', 'I want a refund', '--say', 'Get me a human', '--quiet-ms', '150'], {
      SERVICE_URL: service.baseUrl,
      TWILIO_AUTH_TOKEN: 'cli-token',
    });

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n').map((line) => line.replace(/^\[\s*[\d.]+s\] /, ''));
    expect(lines).toEqual(
      expect.arrayContaining([
        'session opened (triage: 3 tools)',
        'agent (triage): Hi, this is Avery from Acme support. How can I help?',
        'caller: Where is ORD-12345?',
        'tool call transfer_to_refund {"reason":"refund"}',
        'handoff -> refund (session.update: 7 tools)',
        'tool result transfer_to_refund -> {"transferred":true}',
        'agent (refund): Refunds here. Which order?',
        'transfer to human',
        'call ended',
      ]),
    );
    // each line is said only after the agent's previous reply
    expect(lines.indexOf('caller: I want a refund')).toBeGreaterThan(lines.indexOf('agent (triage): Sure, anything else?'));
    expect(lines.indexOf('caller: Get me a human')).toBeGreaterThan(lines.indexOf('agent (refund): Refunds here. Which order?'));
    expect(run.stdout).toMatch(/summary: 3 caller turns, .*handoffs triage -> refund.*transferred to human; .*0 protocol violations/);
    expect(service.requests.map((request) => [request.path, request.signatureValid])).toEqual([
      ['/twilio/voice', true],
      ['/twilio/status', true],
    ]);
  }, 25_000);

  it('exits non-zero with a clear message when the service refuses the signature', async () => {
    service = await new FakeVoiceService({ authToken: 'cli-token', brain: true }).listen();

    const run = await runCli(['--say', 'hello'], { SERVICE_URL: service.baseUrl, TWILIO_AUTH_TOKEN: 'wrong-token' });

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/refused the call: POST \/twilio\/voice answered 403/);
    expect(run.stderr).toMatch(/TWILIO_AUTH_TOKEN must match/);
  }, 25_000);
});

describe('parseCallArguments', () => {
  it('reads flags over environment defaults, gathering --say lines into a script', () => {
    const options = parseCallArguments(['--url', 'http://svc:4000', '--say', 'Hi', '--say', 'pause 10', '--quiet-ms', '500'], {
      SERVICE_URL: 'http://ignored:1',
      TWILIO_AUTH_TOKEN: 'token',
      PUBLIC_BASE_URL: 'https://public.example',
    });

    expect(options).toMatchObject({
      baseUrl: 'http://svc:4000',
      publicBaseUrl: 'https://public.example',
      authToken: 'token',
      quietMs: 500,
      script: [
        { kind: 'say', text: 'Hi' },
        { kind: 'pause', ms: 10 },
      ],
    });
  });

  it('defaults to the local service and an interactive call', () => {
    const options = parseCallArguments([], {});

    expect(options).toMatchObject({ baseUrl: 'http://127.0.0.1:3000', authToken: undefined });
    expect(options !== 'help' && options.script).toBeUndefined();
  });

  it('refuses unknown flags, missing values and bad numbers', () => {
    expect(() => parseCallArguments(['--nope', 'x'], {})).toThrow('unknown option --nope');
    expect(() => parseCallArguments(['--say'], {})).toThrow('--say needs a value');
    expect(() => parseCallArguments(['--timeout', 'soon'], {})).toThrow('--timeout needs a number');
    expect(parseCallArguments(['--help'], {})).toBe('help');
  });
});
