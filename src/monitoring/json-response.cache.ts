import { Injectable } from '@nestjs/common';
import type { Response } from 'express';

interface Entry {
  version: string;
  status: number;
  body: Buffer;
  etag: string;
}

/**
 * Keeps the serialized body of the heavy reads (every provider, system health) until the
 * monitor's snapshot version changes, so repeated polls of 1,000 providers cost a buffer write,
 * not a re-evaluation and a 700 kB JSON.stringify. The ETag comes from the version, so a client
 * that sends If-None-Match gets a 304 without hashing the body.
 */
@Injectable()
export class JsonResponseCache {
  private readonly entries = new Map<string, Entry>();

  send(res: Response, key: string, version: string, compute: () => { status: number; body: unknown }, headers: Record<string, string> = {}): void {
    let entry = this.entries.get(key);
    if (!entry || entry.version !== version) {
      const { status, body } = compute();
      entry = { version, status, body: Buffer.from(JSON.stringify(body)), etag: `W/"${key}:${version}"` };
      this.entries.set(key, entry);
    }
    res.set({ 'Content-Type': 'application/json; charset=utf-8', ETag: entry.etag, ...headers });
    // Checked here rather than by Express: browsers' fetch adds Cache-Control: no-cache to a
    // request with If-None-Match, and Express then never answers 304.
    const presented = res.req.headers['if-none-match'];
    if (presented !== undefined && presented.split(',').some((tag) => tag.trim() === entry.etag)) {
      res.status(304).end();
      return;
    }
    res.status(entry.status).send(entry.body);
  }
}
