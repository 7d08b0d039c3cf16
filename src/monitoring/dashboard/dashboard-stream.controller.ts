import { Controller, MessageEvent, Req, Sse } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { finished } from 'node:stream/promises';
import { Observable } from 'rxjs';
import { RequiresApiKey } from '../api-key.guard';
import { DASHBOARD_STREAM_PATH } from './dashboard.constants';
import { DashboardStreamService } from './dashboard-stream.service';

/**
 * Server-sent `snapshot` events for the dashboard, behind the monitoring API key. Browsers'
 * EventSource cannot send that header, so the page reads it with fetch. Left out of Swagger,
 * which cannot describe an event stream usefully.
 */
@ApiExcludeController()
@RequiresApiKey()
@Controller()
export class DashboardStreamController {
  constructor(private readonly streams: DashboardStreamService) {}

  @Sse(DASHBOARD_STREAM_PATH)
  stream(@Req() request: IncomingMessage & { res?: ServerResponse }): Observable<MessageEvent> {
    // Express links the response to the request; another adapter may not, and then shutdown just does not wait.
    if (request.res) this.streams.trackResponse(finished(request.res));
    return this.streams.stream();
  }
}
