import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { BearerRoleGuard } from './bearer-role.guard';
import { REQUIRED_ROLE, Role } from './role';

/** Protects a controller or route with a bearer token of the given role (or admin). */
export function RequireRole(role: Role) {
  return applyDecorators(
    SetMetadata(REQUIRED_ROLE, role),
    UseGuards(BearerRoleGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Missing or unknown bearer token' }),
    ApiForbiddenResponse({ description: `Token lacks the ${role} role` }),
  );
}
