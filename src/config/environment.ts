import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
  ValidationError,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase());
const blankToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

export const VOICE_AGENT_PROVIDERS = ['assemblyai', 'openai', 'local'] as const;
export type VoiceAgentProviderName = (typeof VOICE_AGENT_PROVIDERS)[number];

export const ASSEMBLYAI_VOICE_AGENT_URL = 'wss://agents.assemblyai.com/v1/ws';
export const OPENAI_REALTIME_URL = 'wss://api.openai.com/v1/realtime';

/**
 * Every environment variable the service reads. Anything not listed here is not configuration.
 * Defaults work on a fresh development machine (Postgres and Redis on 127.0.0.1).
 */
export class Environment {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  PUBLIC_BASE_URL?: string;

  @Matches(/^postgres(ql)?:\/\/[^/\s]+\/[A-Za-z0-9_-]+(\?.*)?$/, {
    message:
      'DATABASE_URL must be a postgres:// connection string with a database name, e.g. postgres://postgres@127.0.0.1:5432/voice_agents',
  })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/voice_agents';

  @Matches(/^rediss?:\/\/[^\s]+$/, {
    message: 'REDIS_URL must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379',
  })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Every Redis key and BullMQ queue of this deployment lives under this prefix. */
  @Matches(/^[A-Za-z0-9_\-:.]{1,64}$/, { message: 'REDIS_KEY_PREFIX must be 1-64 characters of letters, digits, _ - : .' })
  REDIS_KEY_PREFIX = 'voice-agents';

  @Transform(blankToUndefined)
  @IsOptional()
  @IsIn(VOICE_AGENT_PROVIDERS)
  VOICE_AGENT_PROVIDER?: VoiceAgentProviderName;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['ws', 'wss'], require_protocol: true })
  VOICE_AGENT_URL?: string;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(8)
  ASSEMBLYAI_API_KEY?: string;

  /** OpenAI Realtime (VOICE_AGENT_PROVIDER=openai), sent as `Authorization: Bearer`. */
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(8)
  OPENAI_API_KEY?: string;

  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'OPENAI_REALTIME_MODEL must be a model name such as gpt-realtime' })
  OPENAI_REALTIME_MODEL = 'gpt-realtime';

  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(8)
  TWILIO_AUTH_TOKEN?: string;

  @Transform(blankToUndefined)
  @IsOptional()
  @Matches(/^AC[0-9a-fA-F]{32}$/, { message: 'TWILIO_ACCOUNT_SID must look like AC followed by 32 hex characters' })
  TWILIO_ACCOUNT_SID?: string;

  /** Twilio webhooks and Media Stream upgrades one source address may make per minute (Twilio's egress addresses carry many calls). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  TWILIO_REQUESTS_PER_MINUTE_PER_SOURCE = 1200;

  /** Failed Twilio signatures one source address may cause per minute; then it gets 429 without signature checks until the minute passes. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  TWILIO_FAILED_SIGNATURES_PER_MINUTE_PER_SOURCE = 20;

  @IsString()
  @MinLength(3)
  HUMAN_QUEUE_TARGET = 'support-humans';

  /**
   * warm: the person is dialled with a whisper (who is calling and why) and a timeout, and a caller
   * nobody answers for comes back to the agent. cold: the call is handed over and leaves us.
   * Queue targets are always cold: the queue holds the caller and carries the task attributes.
   */
  @IsIn(['warm', 'cold'])
  HUMAN_TRANSFER_MODE: 'warm' | 'cold' = 'warm';

  /** How long a warm transfer rings the person before the caller comes back to the agent. */
  @Transform(toInt)
  @IsInt()
  @Min(5)
  @Max(120)
  HUMAN_DIAL_TIMEOUT_SECONDS = 20;

  /** Development and tests only: where the Twilio REST client sends its requests (the simulated Twilio). */
  @Transform(blankToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  TWILIO_API_BASE_URL?: string;

  @IsString()
  @MinLength(16, { message: 'ADMIN_TOKEN must be at least 16 characters' })
  ADMIN_TOKEN = 'dev-admin-token-change-me';

  @IsString()
  @MinLength(16, { message: 'SUPERVISOR_TOKEN must be at least 16 characters' })
  SUPERVISOR_TOKEN = 'dev-supervisor-token-change-me';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** HMAC key for caller-history keys: no raw phone number ever appears in Redis. */
  @IsString()
  @MinLength(16, { message: 'CALLER_HISTORY_SECRET must be at least 16 characters' })
  CALLER_HISTORY_SECRET = 'dev-caller-history-secret';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  CALLER_HISTORY_LIMIT = 10;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  CALLER_HISTORY_TTL_DAYS = 90;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  MAX_HANDOFFS_PER_CALL = 6;

  /** A caller silent this long (the agent not speaking, nothing pending) is asked whether they are still there; 0 turns the guard off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600)
  CALLER_SILENCE_PROMPT_SECONDS = 15;

  /** Still silent this long after being asked: the call ends politely, recorded as abandoned. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(600)
  CALLER_SILENCE_END_SECONDS = 10;

  /** The longest a call may last; the agent then says goodbye and the call ends. 0: no limit. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600)
  MAX_CALL_MINUTES = 30;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(300_000)
  TOOL_TIMEOUT_MS = 8000;

  /** Run the post-call worker inside the service process (set false when workers run apart). */
  @Transform(toBool)
  @IsBoolean()
  RUN_WORKER = true;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  SUMMARY_LLM_URL?: string;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  SUMMARY_LLM_MODEL?: string;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  SUMMARY_LLM_API_KEY?: string;

  /** Relay processes per instance (Node cluster, one per core). The primary runs migrations, then forks them. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  WEB_CONCURRENCY = 1;

  /** Calls this process takes at once before new ones get a busy answer (0: no fixed limit). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100_000)
  MAX_LIVE_CALLS = 0;

  /** New calls are turned away while the event loop lags more than this (p99 over the last second; 0: off). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10_000)
  ADMISSION_MAX_EVENT_LOOP_LAG_MS = 30;

  /** Local provider only: how long its simulated agent takes to speak a word (real time by default). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(2000)
  LOCAL_PROVIDER_MS_PER_WORD = 150;

  /** Local provider only: how long its simulated agent thinks before each reply (0: answers at once). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(30_000)
  LOCAL_PROVIDER_REPLY_DELAY_MS = 0;

  /** Seconds live calls get to finish on shutdown before they are ended. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3600)
  SHUTDOWN_DRAIN_SECONDS = 30;

  /** A live call whose instance has not heartbeated for this long is orphaned and summarised by another. */
  @Transform(toInt)
  @IsInt()
  @Min(300)
  @Max(600_000)
  CALL_ORPHAN_AFTER_MS = 30_000;

  /** First retry delay of a failed post-call summary job (doubles per attempt, capped at 5 minutes). */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(300_000)
  SUMMARY_JOB_BACKOFF_MS = 1000;

  /**
   * How long a call waits for the provider to answer (at start, or after a drop) before the
   * caller hears an apology and is handed to a human or told to call back.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(60_000)
  PROVIDER_RECOVERY_TIMEOUT_MS = 10_000;

  /** Both call sockets (Twilio's and the provider's) are pinged this often; one silent for two intervals is dead. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60_000)
  SOCKET_PING_INTERVAL_MS = 2500;

  /** A Media Stream that sends no start, or no audio once started, for this long is closed. */
  @Transform(toInt)
  @IsInt()
  @Min(500)
  @Max(60_000)
  MEDIA_STREAM_IDLE_TIMEOUT_MS = 8000;
}

export class EnvironmentError extends Error {}

function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((error) => {
    const value = /TOKEN|KEY|SECRET|DATABASE_URL|REDIS_URL/.test(error.property) ? '(hidden)' : JSON.stringify(error.value);
    return Object.values(error.constraints ?? {}).map((message) => `  ${error.property}=${value}: ${message}`);
  });
}

/** Validates raw environment values; throws one error naming every bad variable. */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const known = Object.keys(new Environment());
  const optional = [
    'PUBLIC_BASE_URL',
    'VOICE_AGENT_PROVIDER',
    'VOICE_AGENT_URL',
    'ASSEMBLYAI_API_KEY',
    'OPENAI_API_KEY',
    'TWILIO_AUTH_TOKEN',
    'TWILIO_ACCOUNT_SID',
    'SUMMARY_LLM_URL',
    'SUMMARY_LLM_MODEL',
    'SUMMARY_LLM_API_KEY',
  ];
  const picked: Record<string, unknown> = {};
  for (const name of [...known, ...optional]) {
    if (raw[name] !== undefined) picked[name] = raw[name];
  }
  const environment = plainToInstance(Environment, picked, { exposeDefaultValues: true });
  const problems = describe(validateSync(environment, { skipMissingProperties: false }));
  problems.push(...deploymentProblems(environment));
  if (problems.length > 0) {
    throw new EnvironmentError(`Invalid environment, the service cannot start:\n${problems.join('\n')}`);
  }
  return environment;
}

function deploymentProblems(environment: Environment): string[] {
  const problems: string[] = [];
  const provider = chosenVoiceAgentProvider(environment);
  if (environment.WEB_CONCURRENCY > 1 && usesLocalProvider(environment)) {
    problems.push(
      '  WEB_CONCURRENCY: several processes need an external provider; the built-in local provider and its control channel live in one process',
    );
  }
  if (environment.NODE_ENV !== 'production') return problems;
  if (!environment.TWILIO_AUTH_TOKEN) problems.push('  TWILIO_AUTH_TOKEN: required in production (Twilio signatures are checked)');
  if (!environment.TWILIO_ACCOUNT_SID)
    problems.push('  TWILIO_ACCOUNT_SID: required in production (without it a transfer to a human cannot be placed)');
  if (!environment.PUBLIC_BASE_URL) problems.push('  PUBLIC_BASE_URL: required in production (TwiML and signature checks use it)');
  if (environment.TWILIO_API_BASE_URL)
    problems.push('  TWILIO_API_BASE_URL: not allowed in production (it points the Twilio REST client at a simulated Twilio)');
  if (environment.ADMIN_TOKEN === new Environment().ADMIN_TOKEN) problems.push('  ADMIN_TOKEN: set a real token in production');
  if (environment.SUPERVISOR_TOKEN === new Environment().SUPERVISOR_TOKEN)
    problems.push('  SUPERVISOR_TOKEN: set a real token in production');
  if (environment.ADMIN_TOKEN === environment.SUPERVISOR_TOKEN)
    problems.push('  ADMIN_TOKEN: must differ from SUPERVISOR_TOKEN in production (a supervisor would hold admin rights)');
  if (environment.CALLER_HISTORY_SECRET === new Environment().CALLER_HISTORY_SECRET)
    problems.push('  CALLER_HISTORY_SECRET: set a real secret in production');
  if (provider === 'local') problems.push('  VOICE_AGENT_PROVIDER: the local provider is for development and tests only');
  if (provider === 'assemblyai' && !environment.ASSEMBLYAI_API_KEY)
    problems.push('  ASSEMBLYAI_API_KEY: required in production with VOICE_AGENT_PROVIDER=assemblyai');
  if (provider === 'openai' && !environment.OPENAI_API_KEY)
    problems.push('  OPENAI_API_KEY: required in production with VOICE_AGENT_PROVIDER=openai');
  if (environment.VOICE_AGENT_URL && !/^wss:\/\//i.test(environment.VOICE_AGENT_URL))
    problems.push('  VOICE_AGENT_URL: must be wss:// in production (call audio and prompts would travel in plaintext)');
  return problems;
}

/** The provider named, or the one whose key is set (AssemblyAI first), or the local one. */
export function chosenVoiceAgentProvider(
  environment: Pick<Environment, 'VOICE_AGENT_PROVIDER' | 'ASSEMBLYAI_API_KEY' | 'OPENAI_API_KEY'>,
): VoiceAgentProviderName {
  if (environment.VOICE_AGENT_PROVIDER) return environment.VOICE_AGENT_PROVIDER;
  if (environment.ASSEMBLYAI_API_KEY) return 'assemblyai';
  return environment.OPENAI_API_KEY ? 'openai' : 'local';
}

/**
 * Whether calls go to a local server this process serves: `local` (the AssemblyAI wire), or
 * `openai` without a key or URL (the OpenAI-compatible local server), outside production.
 */
export function usesLocalProvider(
  environment: Pick<Environment, 'VOICE_AGENT_PROVIDER' | 'ASSEMBLYAI_API_KEY' | 'OPENAI_API_KEY' | 'VOICE_AGENT_URL'>,
): boolean {
  if (environment.VOICE_AGENT_URL) return false;
  const provider = chosenVoiceAgentProvider(environment);
  return provider === 'local' || (provider === 'openai' && !environment.OPENAI_API_KEY);
}
