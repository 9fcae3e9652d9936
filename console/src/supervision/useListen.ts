import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { decodeStereoFrame, EarMode, levelOf } from './listenAudio';
import { listenProtocols, listenUrl, parseListenMessage } from './listenConnection';
import { INITIAL_LISTEN_STATE, ListenState, listenReducer } from './listenState';
import { ListenPlayer } from './ListenPlayer';

export interface Listen {
  state: ListenState;
  earMode: EarMode;
  setEarMode(mode: EarMode): void;
  /** Opens the listen socket (again); call it from a click, so the audio may play. */
  start(): void;
  stop(): void;
}

/** The listen WebSocket of one call, its audio played and measured. Closed on Stop and when the page goes. */
export function useListen(callSid: string, supervisor: string | null, token: string): Listen {
  const [state, dispatch] = useReducer(listenReducer, INITIAL_LISTEN_STATE);
  const [earMode, setEarModeState] = useState<EarMode>('mixed');
  const earModeRef = useRef<EarMode>('mixed');
  const socketRef = useRef<WebSocket | undefined>(undefined);
  const playerRef = useRef<ListenPlayer | undefined>(undefined);

  const release = useCallback(() => {
    const socket = socketRef.current;
    socketRef.current = undefined;
    if (socket && (socket.readyState === WebSocket.CONNECTING || socket.readyState === WebSocket.OPEN))
      socket.close(1000, 'stopped listening');
    playerRef.current?.close();
    playerRef.current = undefined;
  }, []);

  const start = useCallback(() => {
    if (!supervisor) return;
    release();
    dispatch({ type: 'start' });
    try {
      playerRef.current = new ListenPlayer();
    } catch (error) {
      dispatch({ type: 'audio-unavailable', message: error instanceof Error ? error.message : String(error) });
    }
    let socket: WebSocket;
    try {
      socket = new WebSocket(listenUrl(window.location, callSid, supervisor), listenProtocols(token));
    } catch (error) {
      dispatch({ type: 'closed', code: 0, reason: error instanceof Error ? error.message : String(error) });
      release();
      return;
    }
    socket.binaryType = 'arraybuffer';
    socketRef.current = socket;
    // Events of a socket this hook has let go of (Stop, or Listen again) change nothing.
    const current = () => socketRef.current === socket;
    socket.onopen = () => {
      if (current()) dispatch({ type: 'opened' });
    };
    socket.onmessage = (event: MessageEvent<string | ArrayBuffer>) => {
      if (!current()) return;
      if (typeof event.data === 'string') {
        const message = parseListenMessage(event.data);
        if (message.type === 'listening' && playerRef.current) playerRef.current.sampleRate = message.sampleRate;
        dispatch({ type: 'message', message });
        return;
      }
      const frame = decodeStereoFrame(event.data);
      playerRef.current?.play(frame, earModeRef.current);
      dispatch({ type: 'frame', samples: frame.caller.length, levels: { caller: levelOf(frame.caller), agent: levelOf(frame.agent) } });
    };
    socket.onclose = (event) => {
      if (!current()) return;
      dispatch({ type: 'closed', code: event.code, reason: event.reason });
      release();
    };
  }, [callSid, supervisor, token, release]);

  const stop = useCallback(() => {
    dispatch({ type: 'stop' });
    release();
  }, [release]);

  const setEarMode = useCallback((mode: EarMode) => {
    earModeRef.current = mode;
    setEarModeState(mode);
  }, []);

  useEffect(() => release, [release]);

  return { state, earMode, setEarMode, start, stop };
}
