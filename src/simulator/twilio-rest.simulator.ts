import { EventEmitter } from 'node:events';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { SimulatorException, SimulatorExceptionCode } from './simulator.exception';

/** What the REST simulator needs of a call it placed (SimulatedTwilioCall implements it). */
export interface RestControlledCall {
  readonly callSid: string;
  readonly from: string;
  readonly to: string;
  /** Twilio's status of the call: queued, ringing, in-progress, completed. */
  readonly restStatus: string;
  /** New TwiML for the live call; throws a SimulatorException for bad TwiML or a call no longer in progress. */
  redirect(twiml: string): void;
  /** `Status=completed`: Twilio hangs the call up. */
  complete(): void;
}

export interface SimulatedTwilioRestOptions {
  accountSid: string;
  authToken: string;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
}

export interface RestRequestRecord {
  method: string;
  path: string;
  callSid?: string;
  params: Record<string, string>;
  status: number;
  /** Twilio's error code when refused (20003, 20404, 21220, ...). */
  code?: number;
}

export interface SimulatedTwilioRestEvents {
  request: [RestRequestRecord];
}

const API_VERSION = '2010-04-01';
const CALL_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Calls\/([^/]+)\.json$/;

class TwilioRestError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Plays Twilio's REST API for the calls the simulator placed: `calls(sid).update({ twiml })`
 * (and `fetch`, and `status: 'completed'`), with HTTP Basic auth on the account SID and auth
 * token and Twilio's JSON errors. The TwiML goes to the SimulatedTwilioCall registered for the SID.
 */
export class SimulatedTwilioRest extends EventEmitter<SimulatedTwilioRestEvents> {
  readonly accountSid: string;
  readonly requests: RestRequestRecord[] = [];
  private readonly authToken: string;
  private readonly calls = new Map<string, RestControlledCall>();
  private readonly server: http.Server;
  private address?: AddressInfo;

  constructor(private readonly options: SimulatedTwilioRestOptions) {
    super();
    this.accountSid = options.accountSid;
    this.authToken = options.authToken;
    this.server = http.createServer((request, response) => this.onRequest(request, response));
    // keep-alive sockets from the service's client must not hold close() up
    this.server.keepAliveTimeout = 1000;
  }

  static start(options: SimulatedTwilioRestOptions): Promise<SimulatedTwilioRest> {
    return new SimulatedTwilioRest(options).listen();
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.address = this.server.address() as AddressInfo;
    return this;
  }

  /** The base URL to give the service (TWILIO_API_BASE_URL). */
  get url(): string {
    if (!this.address) {
      throw new SimulatorException(SimulatorExceptionCode.NOT_CONNECTED, 'the simulated Twilio REST API is not listening');
    }
    const host = this.address.family === 'IPv6' ? `[${this.address.address}]` : this.address.address;
    return `http://${host}:${this.address.port}`;
  }

  get port(): number {
    return this.address?.port ?? 0;
  }

  /** Calls register themselves when they dial; a later registration of the same SID replaces the earlier one. */
  register(call: RestControlledCall): void {
    this.calls.set(call.callSid, call);
  }

  unregister(callSid: string): void {
    this.calls.delete(callSid);
  }

  async close(): Promise<void> {
    this.calls.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private onRequest(request: http.IncomingMessage, response: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = new URL(request.url ?? '/', 'http://twilio.invalid').pathname;
      const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      const record: RestRequestRecord = { method: request.method ?? 'GET', path, params, status: 0 };
      let status: number;
      let body: Record<string, unknown>;
      try {
        ({ status, body } = this.answer(request, path, params, record));
      } catch (error) {
        const refusal =
          error instanceof TwilioRestError ? error : new TwilioRestError(500, 20500, `internal error: ${errorMessage(error)}`);
        status = refusal.status;
        record.code = refusal.code;
        body = twilioError(refusal);
      }
      record.status = status;
      this.requests.push(record);
      const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8' };
      if (status === 401) {
        headers['WWW-Authenticate'] = 'Basic realm="Twilio API"';
      }
      response.writeHead(status, headers).end(JSON.stringify(body));
      this.emit('request', record);
    });
  }

  private answer(
    request: http.IncomingMessage,
    path: string,
    params: Record<string, string>,
    record: RestRequestRecord,
  ): { status: number; body: Record<string, unknown> } {
    if (!this.authorized(request.headers.authorization)) {
      throw new TwilioRestError(401, 20003, 'Authenticate');
    }
    const match = CALL_PATH.exec(path);
    const call = match && match[1] === this.accountSid ? this.calls.get(match[2]) : undefined;
    record.callSid = match?.[2];
    if (!call) {
      throw new TwilioRestError(404, 20404, `The requested resource ${path} was not found`);
    }
    if (request.method === 'GET') {
      return { status: 200, body: this.callResource(call) };
    }
    if (request.method !== 'POST') {
      throw new TwilioRestError(405, 20004, 'Method not allowed');
    }
    this.update(call, params);
    return { status: 200, body: this.callResource(call) };
  }

  private update(call: RestControlledCall, params: Record<string, string>): void {
    if (params.Status !== undefined) {
      if (params.Status !== 'completed' && params.Status !== 'canceled') {
        throw new TwilioRestError(400, 21218, `Invalid Status: ${params.Status}`);
      }
      if (call.restStatus !== 'completed') {
        call.complete();
      }
      return;
    }
    if (params.Url !== undefined && params.Twiml === undefined) {
      throw new TwilioRestError(400, 21205, 'The simulated Twilio runs TwiML given inline (Twiml); Url is not supported');
    }
    if (params.Twiml === undefined) {
      return;
    }
    try {
      call.redirect(params.Twiml);
    } catch (error) {
      if (error instanceof SimulatorException && error.code === SimulatorExceptionCode.BAD_TWIML) {
        throw new TwilioRestError(400, 12100, `Document parse failure: ${error.message}`);
      }
      if (error instanceof SimulatorException && error.code === SimulatorExceptionCode.NOT_CONNECTED) {
        throw new TwilioRestError(400, 21220, 'Call is not in-progress. Cannot redirect.');
      }
      throw error;
    }
  }

  private authorized(header: string | undefined): boolean {
    const [scheme, encoded] = (header ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'basic' || !encoded) {
      return false;
    }
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const separator = decoded.indexOf(':');
    return separator > 0 && decoded.slice(0, separator) === this.accountSid && decoded.slice(separator + 1) === this.authToken;
  }

  private callResource(call: RestControlledCall): Record<string, unknown> {
    const now = rfc2822(new Date());
    return {
      sid: call.callSid,
      account_sid: this.accountSid,
      parent_call_sid: null,
      date_created: null,
      date_updated: now,
      to: call.to,
      to_formatted: call.to,
      from: call.from,
      from_formatted: call.from,
      phone_number_sid: null,
      status: call.restStatus,
      start_time: null,
      end_time: call.restStatus === 'completed' ? now : null,
      duration: null,
      price: null,
      price_unit: 'USD',
      direction: 'inbound',
      answered_by: null,
      api_version: API_VERSION,
      forwarded_from: null,
      group_sid: null,
      caller_name: null,
      queue_time: '0',
      trunk_sid: null,
      uri: `/${API_VERSION}/Accounts/${this.accountSid}/Calls/${call.callSid}.json`,
      subresource_uris: {},
    };
  }
}

function twilioError(error: TwilioRestError): Record<string, unknown> {
  return {
    code: error.code,
    message: error.message,
    more_info: `https://www.twilio.com/docs/errors/${error.code}`,
    status: error.status,
    ...(error.code === 20003 ? { detail: 'Your AccountSid or AuthToken was incorrect.' } : {}),
  };
}

/** Twilio's date format: "Tue, 10 Jun 2025 12:00:00 +0000". */
function rfc2822(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
