import { IncomingMessage } from 'node:http';
import { AppConfig } from '../../../../src/config/app-config';
import { validateEnvironment } from '../../../../src/config/environment';
import { ListenUpgradeGuard } from '../../../../src/supervision/listen/listen-upgrade.guard';

const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
const SUPERVISOR_TOKEN = 'supervisor-token-0123456789';
const upgrade = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const asSubprotocols = (token: string) => `voice-agent.listen.v1, bearer.${Buffer.from(token).toString('base64url')}`;

describe('ListenUpgradeGuard', () => {
  const guard = new ListenUpgradeGuard(
    new AppConfig(validateEnvironment({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ADMIN_TOKEN, SUPERVISOR_TOKEN })),
  );

  it("lets a supervisor's or an admin's token through, from the header or the subprotocol", () => {
    expect(guard.check(upgrade({ authorization: `Bearer ${SUPERVISOR_TOKEN}` }))).toEqual({ allowed: true });
    expect(guard.roleOf(upgrade({ authorization: `Bearer ${SUPERVISOR_TOKEN}` }))).toBe('supervisor');
    expect(guard.roleOf(upgrade({ 'sec-websocket-protocol': asSubprotocols(ADMIN_TOKEN) }))).toBe('admin');
  });

  it('refuses any other upgrade with 401', () => {
    const refused: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong' },
      { 'sec-websocket-protocol': asSubprotocols('wrong') },
    ];
    for (const headers of refused) {
      expect(guard.check(upgrade(headers))).toEqual({
        allowed: false,
        status: 401,
        message: 'Unauthorized',
        headers: { 'WWW-Authenticate': 'Bearer' },
      });
    }
  });
});
