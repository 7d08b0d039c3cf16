import { ArgumentMetadata, BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

/** Deeper than any real request body here; deep enough bodies overflow class-transformer's stack. */
export const MAX_BODY_DEPTH = 32;

/**
 * Refuses request bodies nested deeper than MAX_BODY_DEPTH with a 400, before validation walks
 * them recursively. Install it as the first global pipe. The walk is iterative, so it cannot
 * overflow itself.
 */
@Injectable()
export class BodyDepthPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' || value === null || typeof value !== 'object') return value;
    const stack: [unknown, number][] = [[value, 1]];
    while (stack.length > 0) {
      const [node, depth] = stack.pop()!;
      if (depth > MAX_BODY_DEPTH) throw new BadRequestException([`body must not be nested more than ${MAX_BODY_DEPTH} levels deep`]);
      for (const child of Object.values(node as object)) {
        if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
      }
    }
    return value;
  }
}
