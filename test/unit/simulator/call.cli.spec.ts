import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import twilio from 'twilio';
import { localTwilioRest, parseCallArguments, summaryLine, transferLines } from '../../../src/simulator/call.cli';
import { SimulatedCallStats, TransferRecord } from '../../../src/simulator/twilio-call.simulator';
import { FakeVoiceService, FakeVoiceServiceOptions } from './fake-voice-service.server';

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
      {
        cwd: repositoryRoot,
        env: { ...process.env, TWILIO_AUTH_TOKEN: '', TWILIO_ACCOUNT_SID: '', TWILIO_API_BASE_URL: '', PUBLIC_BASE_URL: '', ...env },
        timeout: 20_000,
      },
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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

const stampless = (stdout: string): string[] => stdout.split('\n').map((line) => line.replace(/^\[\s*[\d.]+s\] /, ''));

describe("call CLI with Twilio's REST API played locally (TWILIO_API_BASE_URL)", () => {
  const accountSid = `AC${'7'.repeat(32)}`;
  let service: FakeVoiceService | undefined;

  afterEach(async () => {
    await service?.close();
    service = undefined;
  });

  const warmTransferService = async (restUrl: string): Promise<FakeVoiceService> => {
    const routes: FakeVoiceServiceOptions['routes'] = {
      '/twilio/transfer-whisper': () => {
        const response = new twilio.twiml.VoiceResponse();
        response.say('Jane Doe, asking for a person.');
        return response.toString();
      },
      '/twilio/transfer-result': (request) => {
        if (request.params.DialCallStatus === 'completed') return new twilio.twiml.VoiceResponse().hangup().toString();
        return (service as FakeVoiceService).streamTwiml({ callSid: request.params.CallSid }, 'Sorry, nobody could take your call.');
      },
    };
    const twiml = (fake: FakeVoiceService): string => {
      const response = new twilio.twiml.VoiceResponse();
      response.say('Connecting you to a member of our team.');
      response
        .dial({ action: `${fake.publicBaseUrl}/twilio/transfer-result?transferId=t1`, timeout: 5 })
        .number({ url: `${fake.publicBaseUrl}/twilio/transfer-whisper?transferId=t1` }, '+15550100');
      return response.toString();
    };
    return new FakeVoiceService({
      authToken: 'cli-token',
      brain: true,
      routes,
      humanTransfer: { restUrl, accountSid, authToken: 'cli-token', twiml },
    }).listen();
  };

  it('shows a warm transfer nobody answers, the caller back with the agent, and the script going on', async () => {
    const port = await freePort();
    service = await warmTransferService(`http://127.0.0.1:${port}`);

    const run = await runCli(['--say', 'Get me a human', '--say', 'OK, a ticket then', '--quiet-ms', '150', '--human', 'no-answer'], {
      SERVICE_URL: service.baseUrl,
      TWILIO_AUTH_TOKEN: 'cli-token',
      TWILIO_ACCOUNT_SID: accountSid,
      TWILIO_API_BASE_URL: `http://127.0.0.1:${port}`,
    });

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = stampless(run.stdout);
    const order = [
      `simulated Twilio REST API on http://127.0.0.1:${port} (the person a transfer dials: no-answer)`,
      'transfer to human',
      expect.stringMatching(/^Media Stream MZ[0-9a-f]{32} stopped: the service moved the call through Twilio's REST API$/),
      "twilio says to the caller: 'Connecting you to a member of our team.'",
      'transfer: dialing +15550100',
      "twilio says to the caller: 'Sorry, nobody could take your call.'",
      'the human did not answer (no-answer): back to the agent',
      expect.stringMatching(/^rejoined: new Media Stream MZ[0-9a-f]{32}$/),
      'caller: OK, a ticket then',
      'call ended',
    ];
    expect(lines).toEqual(expect.arrayContaining(order));
    const positions = order.map((expected) => lines.findIndex((line) => expect.arrayContaining([expected]).asymmetricMatch([line])));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(run.stdout).toMatch(/summary: 2 caller turns, .*dialled \+15550100 \(no-answer, back to the agent\); .*0 protocol violations/);
    expect(service.requests.map((request) => [request.path.split('?')[0], request.signatureValid])).toEqual([
      ['/twilio/voice', true],
      ['/twilio/transfer-result', true],
      ['/twilio/status', true],
    ]);
  }, 25_000);

  it('shows a warm transfer the person answers: the whisper, then the call ends with them', async () => {
    const port = await freePort();
    service = await warmTransferService(`http://127.0.0.1:${port}`);

    const run = await runCli(['--say', 'Get me a human', '--say', 'never said', '--quiet-ms', '150'], {
      SERVICE_URL: service.baseUrl,
      TWILIO_AUTH_TOKEN: 'cli-token',
      TWILIO_ACCOUNT_SID: accountSid,
      TWILIO_API_BASE_URL: `http://localhost:${port}`,
    });

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = stampless(run.stdout);
    expect(lines).toEqual(
      expect.arrayContaining([
        "transfer: dialing +15550100, whisper to the human: 'Jane Doe, asking for a person.'",
        'with a person (answered); call ended',
      ]),
    );
    expect(lines).not.toContain('caller: never said');
    expect(run.stdout).toMatch(/transferred to human, dialled \+15550100 \(completed\)/);
  }, 25_000);

  it('exits with a clear message when the REST port is taken', async () => {
    service = await new FakeVoiceService({ authToken: 'cli-token', brain: true }).listen();
    const taken = Number(new URL(service.baseUrl).port);

    const run = await runCli(['--say', 'hello'], {
      SERVICE_URL: service.baseUrl,
      TWILIO_AUTH_TOKEN: 'cli-token',
      TWILIO_ACCOUNT_SID: accountSid,
      TWILIO_API_BASE_URL: `http://127.0.0.1:${taken}`,
    });

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot play Twilio's REST API on 127\.0\.0\.1:\d+ \(TWILIO_API_BASE_URL\): .*EADDRINUSE/);
  }, 25_000);
});

describe('transfer lines and summary', () => {
  const base = { twiml: '<Response/>', kind: 'dial' as const, target: '+15550100' };

  it('reads a transfer as it happens', () => {
    expect(transferLines({ ...base, dialStatus: 'answered', whisper: 'Jane, fraud.' })).toEqual([
      "transfer: dialing +15550100, whisper to the human: 'Jane, fraud.'",
    ]);
    expect(transferLines({ ...base, dialStatus: 'busy' })).toEqual(['transfer: dialing +15550100']);
    expect(transferLines({ ...base, kind: 'enqueue', target: 'support' })).toEqual(['transfer: enqueued in support']);
  });

  it('adds each transfer to the summary', () => {
    const stats = {
      received: { mediaFrames: 0, audioMs: 0, clears: 0 },
      sent: { mediaFrames: 0 },
      protocolViolations: 0,
    } as SimulatedCallStats;
    const conversation = {
      callerTurns: 1,
      agentTurns: 1,
      toolCalls: 0,
      handoffs: [],
      interruptions: 0,
      providerErrors: 0,
      transferredToHuman: false,
      sessionEnded: false,
    };
    const transfers: TransferRecord[] = [
      { ...base, startedAt: 0, dialStatus: 'no-answer', rejoinedStreamSid: 'MZ1' },
      { ...base, kind: 'enqueue', target: 'support', startedAt: 1 },
    ];

    expect(summaryLine(conversation, stats, 1000, transfers)).toContain(
      '0 interruptions, dialled +15550100 (no-answer, back to the agent), enqueued in support;',
    );
  });
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

  it("reads --human, and plays Twilio's REST API only for a local TWILIO_API_BASE_URL with a port and both credentials", () => {
    const env = { TWILIO_API_BASE_URL: 'http://localhost:4100', TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 'token' };

    expect(parseCallArguments(['--human', 'busy'], env)).toMatchObject({
      human: 'busy',
      accountSid: 'AC1',
      twilioRest: { host: '127.0.0.1', port: 4100, accountSid: 'AC1', authToken: 'token' },
    });
    expect(() => parseCallArguments(['--human', 'maybe'], {})).toThrow('--human is one of answers, no-answer, busy, failed');
    expect(localTwilioRest({ ...env, TWILIO_API_BASE_URL: 'http://[::1]:4100' })).toMatchObject({ host: '::1', port: 4100 });
    expect(localTwilioRest({ ...env, TWILIO_API_BASE_URL: 'https://api.twilio.com' })).toBeUndefined();
    expect(localTwilioRest({ ...env, TWILIO_API_BASE_URL: 'http://127.0.0.1' })).toBeUndefined();
    expect(localTwilioRest({ ...env, TWILIO_ACCOUNT_SID: '' })).toBeUndefined();
    expect(() => localTwilioRest({ ...env, TWILIO_API_BASE_URL: 'not a url' })).toThrow('TWILIO_API_BASE_URL is not a URL');
  });

  it('refuses unknown flags, missing values and bad numbers', () => {
    expect(() => parseCallArguments(['--nope', 'x'], {})).toThrow('unknown option --nope');
    expect(() => parseCallArguments(['--say'], {})).toThrow('--say needs a value');
    expect(() => parseCallArguments(['--timeout', 'soon'], {})).toThrow('--timeout needs a number');
    expect(parseCallArguments(['--help'], {})).toBe('help');
  });
});
