import { DynamicModule, Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { CONSOLE_ASSETS_DIR, consoleIsBuilt } from './console-assets';
import { ConsoleNotBuiltController } from './console-not-built.controller';
import { WhoAmIController } from './who-am-i.controller';

/**
 * The web console at /console: the built single-page app (every path under /console answers its
 * index.html, so deep links work), and the one route it needs besides the REST API (who am I).
 */
/** Everything the page loads comes from here; it may not be framed (the token is typed into it). */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  // React and Recharts set style attributes.
  "style-src 'self' 'unsafe-inline'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

function consoleHeaders(response: { setHeader(name: string, value: string): void }, path: string): void {
  // Hashed file names: assets never change in place; the page itself is always revalidated.
  const page = path.endsWith('.html');
  response.setHeader('Cache-Control', page ? 'no-cache' : 'public, max-age=31536000, immutable');
  if (page) {
    response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('X-Content-Type-Options', 'nosniff');
  }
}

@Module({})
export class ConsoleModule {
  static forRoot(): DynamicModule {
    const built = consoleIsBuilt();
    return {
      module: ConsoleModule,
      imports: built
        ? [
            ServeStaticModule.forRoot({
              rootPath: CONSOLE_ASSETS_DIR,
              serveRoot: '/console',
              serveStaticOptions: { setHeaders: consoleHeaders },
            }),
          ]
        : [],
      controllers: built ? [WhoAmIController] : [WhoAmIController, ConsoleNotBuiltController],
    };
  }
}
