import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import { Request } from 'express';
import { AppConfig } from '../config/app-config';
import { REQUIRED_ROLE, Role, roleSatisfies } from './role';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function roleForToken(token: string, tokens: Record<Role, string>): Role | undefined {
  if (sameSecret(token, tokens.admin)) return 'admin';
  if (sameSecret(token, tokens.supervisor)) return 'supervisor';
  return undefined;
}

@Injectable()
export class BearerRoleGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, [context.getHandler(), context.getClass()]);
    if (!required) return true;
    const request = context.switchToHttp().getRequest<Request & { role?: Role }>();
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match) throw new UnauthorizedException('A bearer token is required');
    const role = roleForToken(match[1], { admin: this.config.env.ADMIN_TOKEN, supervisor: this.config.env.SUPERVISOR_TOKEN });
    if (!role) throw new UnauthorizedException('Unknown bearer token');
    if (!roleSatisfies(role, required)) throw new ForbiddenException(`This route needs the ${required} role`);
    request.role = role;
    return true;
  }
}
