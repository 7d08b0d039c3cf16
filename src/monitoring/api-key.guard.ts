import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException, UseGuards, applyDecorators } from '@nestjs/common';
import { ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { createHash, timingSafeEqual } from 'node:crypto';
import { MonitoringOptions } from './core/monitoring-options';
import { MONITORING_OPTIONS } from './monitoring.constants';
import { ErrorResponseDto } from './dto/error-response.dto';

interface RequestHeaders {
  headers: Record<string, string | string[] | undefined>;
}

/** Digests have a fixed length, so comparing them leaks neither the key nor its length. */
const digest = (value: string) => createHash('sha256').update(value).digest();

/** When an API key is configured, requires it as `x-api-key` or `Authorization: Bearer`. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly expected: Buffer | null;

  constructor(@Inject(MONITORING_OPTIONS) options: MonitoringOptions) {
    this.expected = options.apiKey ? digest(options.apiKey) : null;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) return true;
    const { headers } = context.switchToHttp().getRequest<RequestHeaders>();
    const presented = presentedKey(headers);
    if (presented !== null && timingSafeEqual(digest(presented), this.expected)) return true;
    // RFC 9110: a 401 names the scheme it wants.
    context.switchToHttp().getResponse<{ setHeader?(name: string, value: string): void }>().setHeader?.('WWW-Authenticate', 'Bearer realm="monitoring"');
    throw new UnauthorizedException(
      presented === null
        ? 'This endpoint requires an API key in the x-api-key header or as Authorization: Bearer <key>'
        : 'The API key is not valid',
    );
  }
}

function presentedKey(headers: RequestHeaders['headers']): string | null {
  const header = headers['x-api-key'];
  if (typeof header === 'string' && header.length > 0) return header;
  const authorization = headers['authorization'];
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match) return match[1];
  }
  return null;
}

/** Puts a controller behind the monitoring API key, and says so in Swagger (the security scheme and the 401 answer). */
export const RequiresApiKey = () =>
  applyDecorators(
    ApiSecurity('api-key'),
    ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'MONITORING_API_KEY is set and the request did not carry it' }),
    UseGuards(ApiKeyGuard),
  );
