import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { NestFactory } from '@nestjs/core';
import { IncomingMessage, Server } from 'node:http';
import { Duplex } from 'node:stream';
import { AppConfig } from './config/app-config';
import { LOCAL_VOICE_AGENT_SERVER } from './voice-agent/voice-agent.module';
import { LocalVoiceAgentServer } from './voice-agent/local/local-voice-agent.server';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { validateEnvironment } from './config/environment';
import { GuardedWsAdapter } from './common/guarded-ws.adapter';
import { HttpErrorFilter } from './common/http-error.filter';
import { createValidationPipe } from './common/validation.pipe';
import { mergeUpgradeGuards, UpgradeGuards } from './common/upgrade-guards';
import { LISTEN_UPGRADE_GUARDS } from './supervision/listen/listen.providers';
import { TELEPHONY_UPGRADE_GUARDS } from './telephony/telephony.module';

/** Every module serving WebSocket paths provides their upgrade guards under its own token. */
const UPGRADE_GUARD_TOKENS = [TELEPHONY_UPGRADE_GUARDS, LISTEN_UPGRADE_GUARDS];

/** Builds the configured HTTP + WebSocket application (used by main.ts and the e2e tests). */
export async function createApp(): Promise<INestApplication> {
  const environment = validateEnvironment(process.env);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(environment), { bufferLogs: true, abortOnError: false });
  // Replaces Nest's default JSON parser (same limits), adding the JSON merge patch (RFC 7396) media type of PATCH /agents/:key.
  app.useBodyParser('json', { type: ['application/json', 'application/merge-patch+json'] });
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpErrorFilter());
  const upgradeGuards = mergeUpgradeGuards(UPGRADE_GUARD_TOKENS.map((token) => providedUpgradeGuards(app, token)));
  app.useWebSocketAdapter(new GuardedWsAdapter(app, upgradeGuards));

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Contact-center voice agents')
      .setDescription('Twilio calls bridged to a speech-to-speech voice agent with live department handoffs.')
      .setVersion('1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
  return app;
}

/**
 * A module's upgrade guards, or none when that module is not part of the app: its gateways are not
 * either, and a gateway whose guard is missing stops start-up (GuardedWsAdapter).
 */
function providedUpgradeGuards(app: INestApplication, token: symbol): UpgradeGuards {
  try {
    return app.get<UpgradeGuards>(token);
  } catch {
    return {};
  }
}

/** Starts listening and tells the config which port was bound (port 0 picks a free one). */
export async function listen(app: INestApplication, port: number): Promise<void> {
  await app.init();
  mountLocalProvider(app);
  await app.listen(port, '0.0.0.0');
  const address = app.getHttpServer().address();
  app.get(AppConfig).bindListeningPort(typeof address === 'object' && address ? address.port : port);
}

/**
 * Outside production the local voice agent provider shares our port. Nest's ws adapter
 * destroys upgrades for paths it does not know, so its provider paths are routed first.
 */
function mountLocalProvider(app: INestApplication): void {
  const localProvider = app.get<LocalVoiceAgentServer | null>(LOCAL_VOICE_AGENT_SERVER, { strict: false });
  if (!localProvider) return;
  const server = app.getHttpServer() as Server;
  const nestListeners = server.listeners('upgrade') as ((request: IncomingMessage, socket: Duplex, head: Buffer) => void)[];
  server.removeAllListeners('upgrade');
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (localProvider.handleUpgrade(request, socket, head)) return;
    for (const listener of nestListeners) listener.call(server, request, socket, head);
  });
}
