import { ArgumentMetadata, BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

/** Deeper than any real request body here; deep enough bodies overflow class-transformer's stack. */
export const MAX_BODY_DEPTH = 32;

/** Keys that class-validator's whitelist cannot see (they live on every prototype) and that no body here has. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Checks the shape of a request body before validation walks it: a body bound to a DTO class
 * must be a JSON object; no body may nest deeper than MAX_BODY_DEPTH (class-transformer would
 * overflow its stack); and no object may carry `__proto__`, `constructor` or `prototype` keys,
 * which the whitelist would let through. Install it as the first global pipe. The walk is
 * iterative, so it cannot overflow itself.
 */
@Injectable()
export class BodyShapePipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    // No body at all (Express leaves it undefined): the DTO's own rules decide whether one was needed.
    if (metadata.type !== 'body' || value === undefined) return value;
    const dto = typeof metadata.metatype === 'function' && metadata.metatype !== Object && metadata.metatype !== Array;
    if (dto && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new BadRequestException(['body must be a JSON object']);
    }
    if (value === null || typeof value !== 'object') return value;
    const stack: [object, number, string][] = [[value, 1, '']];
    while (stack.length > 0) {
      const [node, depth, path] = stack.pop()!;
      if (depth > MAX_BODY_DEPTH) throw new BadRequestException([`body must not be nested more than ${MAX_BODY_DEPTH} levels deep`]);
      for (const [key, child] of Object.entries(node)) {
        const at = Array.isArray(node) ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;
        if (!Array.isArray(node) && FORBIDDEN_KEYS.has(key)) throw new BadRequestException([`property ${at} should not exist`]);
        if (child !== null && typeof child === 'object') stack.push([child, depth + 1, at]);
      }
    }
    return value;
  }
}
