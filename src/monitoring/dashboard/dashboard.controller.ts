import { Controller, Get, Header, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DashboardAssets } from './dashboard-assets.service';

/**
 * Everything the page loads comes from this app: no CDN, so it works offline. The policy
 * below keeps it that way and refuses inline script, so a provider name can never run as code.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The page itself needs no key: it holds no data, and asks for the key before it reads any. */
@ApiExcludeController()
@Controller('dashboard')
export class DashboardController {
  constructor(private readonly assets: DashboardAssets) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  @Header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Referrer-Policy', 'no-referrer')
  page(): string {
    return this.assets.html;
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    const asset = this.assets.asset(file);
    if (!asset) throw new NotFoundException(`dashboard asset "${file}" not found`);
    res.set({ 'Content-Type': asset.contentType, 'Cache-Control': asset.cacheControl, 'X-Content-Type-Options': 'nosniff' });
    res.send(asset.body);
  }
}
