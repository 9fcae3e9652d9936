import { ApiClient, ApiError } from '../api/client';
import type { EndAnswer, SupervisionStateView, SupervisorEndMode, TakeoverAnswer, WhisperAnswer, WithdrawAnswer } from './types';

/** The supervision routes of one call; every action carries the name the supervisor gave. */
export class SupervisionApi {
  private readonly base: string;

  constructor(
    private readonly api: ApiClient,
    callSid: string,
  ) {
    this.base = `/calls/${encodeURIComponent(callSid)}`;
  }

  state(): Promise<SupervisionStateView> {
    return this.api.get<SupervisionStateView>(`${this.base}/supervision`);
  }

  whisper(text: string, supervisor: string): Promise<WhisperAnswer> {
    return this.post<WhisperAnswer>('/whisper', { text, supervisor });
  }

  withdraw(noteId: string, supervisor: string): Promise<WithdrawAnswer> {
    return this.post<WithdrawAnswer>(`/whisper/${encodeURIComponent(noteId)}/withdraw`, { supervisor });
  }

  /** to: 'human' or a department key. */
  takeOver(to: string, supervisor: string): Promise<TakeoverAnswer> {
    return this.post<TakeoverAnswer>('/takeover', { supervisor, to });
  }

  end(mode: SupervisorEndMode, supervisor: string): Promise<EndAnswer> {
    return this.post<EndAnswer>('/end', { supervisor, mode });
  }

  private async post<T>(path: string, body: unknown): Promise<T> {
    return (await this.api.request<T>('POST', `${this.base}${path}`, { body })).body;
  }
}

/** The service's 409 call_ended: nothing more can be done to the call. */
export function isCallEnded(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409 && error.code === 'call_ended';
}

/** An error in words for beside a control: a validation failure's field messages, else the service's message. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    const fieldMessages = (error.body.fields ?? []).flatMap((field) => field.messages);
    return fieldMessages.length > 0 ? fieldMessages.join(' ') : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
