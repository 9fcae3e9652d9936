import { Injectable } from '@nestjs/common';
import { IncomingMessage } from 'node:http';
import { roleForToken } from '../../auth/bearer-role.guard';
import { Role } from '../../auth/role';
import { UpgradeVerdict } from '../../common/upgrade-guards';
import { AppConfig } from '../../config/app-config';
import { listenBearerToken } from './listen-request.rules';

/** The listen upgrade needs a supervisor's (or an admin's) token, from the header or the subprotocol: else 401, no WebSocket. */
@Injectable()
export class ListenUpgradeGuard {
  constructor(private readonly config: AppConfig) {}

  check(request: IncomingMessage): UpgradeVerdict {
    if (this.roleOf(request)) return { allowed: true };
    return { allowed: false, status: 401, message: 'Unauthorized', headers: { 'WWW-Authenticate': 'Bearer' } };
  }

  roleOf(request: IncomingMessage): Role | undefined {
    const token = listenBearerToken(request.headers);
    if (!token) return undefined;
    return roleForToken(token, { admin: this.config.env.ADMIN_TOKEN, supervisor: this.config.env.SUPERVISOR_TOKEN });
  }
}
