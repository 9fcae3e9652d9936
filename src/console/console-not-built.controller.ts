import { Controller, Get, Header, HttpCode, HttpStatus } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

/** Answers /console when the front end was never built, saying how to build it, instead of a bare 404. */
@ApiExcludeController()
@Controller('console')
export class ConsoleNotBuiltController {
  @Get(['', '*path'])
  @HttpCode(HttpStatus.SERVICE_UNAVAILABLE)
  @Header('Content-Type', 'text/plain; charset=utf-8')
  notBuilt(): string {
    return 'The web console is not built. Run `npm run build` (or `npm run build:console`) and restart the service.\n';
  }
}
