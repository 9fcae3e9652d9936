import { Controller, Get, Req } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Request } from 'express';
import { RequireRole } from '../auth/roles';
import { Role } from '../auth/role';

class WhoAmIView {
  @ApiProperty({ enum: ['admin', 'supervisor'], description: 'What the token may do: admins also edit agent configs' })
  role: Role;
}

/** The console signs in by asking which role its token holds; 401 for an unknown token. */
@ApiTags('auth')
@RequireRole('supervisor')
@Controller('auth')
export class WhoAmIController {
  @Get('whoami')
  @ApiOkResponse({ type: WhoAmIView })
  whoAmI(@Req() request: Request & { role?: Role }): WhoAmIView {
    return { role: request.role ?? 'supervisor' };
  }
}
