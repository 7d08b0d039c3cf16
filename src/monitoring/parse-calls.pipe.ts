import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { invalidCallReason } from './core/sample-rules';
import { RecordCallDto } from './dto/record-call.dto';

export const MAX_CALLS_PER_BATCH = 1_000;

/**
 * Accepts one call or an array of up to MAX_CALLS_PER_BATCH and validates every item before
 * any is stored, so a batch with one bad item is refused whole. Messages name the item:
 * `[3].latencyMs must not be less than 0`.
 */
@Injectable()
export class ParseCallsPipe implements PipeTransform<unknown, RecordCallDto[]> {
  transform(body: unknown): RecordCallDto[] {
    const batch = Array.isArray(body);
    const items: unknown[] = batch ? body : [body];
    if (items.length === 0) throw new BadRequestException(['body must contain at least 1 call']);
    if (items.length > MAX_CALLS_PER_BATCH) {
      throw new BadRequestException([`body must contain no more than ${MAX_CALLS_PER_BATCH} calls (got ${items.length})`]);
    }
    const messages: string[] = [];
    const calls = items.map((item, index) => {
      const prefix = batch ? `[${index}].` : '';
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        messages.push(`${batch ? `[${index}]` : 'body'} must be a JSON object (send application/json)`);
        return undefined;
      }
      const call = plainToInstance(RecordCallDto, item);
      const errors = validateSync(call, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true });
      for (const error of errors) messages.push(...describe(error, prefix));
      // The engine's own rules too (null flags, blank names, code-unit length...), so whatever
      // passes here is stored and nothing is dropped silently.
      const engineProblem = errors.length === 0 ? (invalidCallReason(call) ?? contradiction(call)) : null;
      if (engineProblem) messages.push(`${prefix}${engineProblem}`);
      return call;
    });
    if (messages.length > 0) throw new BadRequestException(messages);
    return calls as RecordCallDto[];
  }
}

/**
 * The engine takes a timed-out call that claims success as a timeout (the more telling half), so
 * in-process recording never loses one; a client reporting over HTTP can fix its payload instead.
 */
function contradiction(call: RecordCallDto): string | null {
  return call.success && call.timedOut === true ? 'timedOut and success cannot both be true: a timed-out call is a failure (send success: false)' : null;
}

function describe(error: ValidationError, prefix: string): string[] {
  return Object.values(error.constraints ?? {}).map((text) => `${prefix}${text}`);
}
